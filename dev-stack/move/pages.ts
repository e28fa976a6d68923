import type { Response } from 'express'
import type { Instance } from '../instance/instance'

/**
 * The HTML pages the stack renders for the move (assets/templates/error.html,
 * authorize_move.html, move_confirm.html, import.html, move_in_progress.html, move_vault.html),
 * reduced to what a user and a test need, in French or English after the instance's locale.
 */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function fr(instance: Instance): boolean {
  return instance.state.locale !== 'en'
}

function layout(instance: Instance, title: string, body: string): string {
  const lang = fr(instance) ? 'fr' : 'en'
  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title></head>
<body><main>
<h1>${esc(title)}</h1>
${body}
</main></body></html>`
}

export function sendPage(res: Response, status: number, html: string): void {
  res.status(status).type('text/html; charset=utf-8').send(html)
}

/** error.html: the message of the error, as the stack shows it. */
export function errorPage(instance: Instance, message: string): string {
  return layout(instance, fr(instance) ? 'Une erreur est survenue' : 'An error occurred', `<p role="alert">${esc(message)}</p>`)
}

/** authorize_move.html: the password form; the stand-in takes the plain passphrase (the stack hashes it in the page). */
export function authorizeMovePage(instance: Instance, fields: { state: string; clientId: string; redirect: string }, error?: string): string {
  const f = fr(instance)
  return layout(
    instance,
    f ? `Autoriser le déménagement – ${instance.state.publicName}` : `Allow the move – ${instance.state.publicName}`,
    `<p>${esc(instance.domain)}</p>
<form method="POST" action="/auth/authorize/move">
<input type="hidden" name="state" value="${esc(fields.state)}">
<input type="hidden" name="client_id" value="${esc(fields.clientId)}">
<input type="hidden" name="redirect" value="${esc(fields.redirect)}">
<label for="passphrase">${f ? 'Mot de passe' : 'Password'}</label>
<input id="passphrase" type="password" name="passphrase" autocomplete="current-password" autofocus>
${error ? `<p role="alert">${esc(error)}</p>` : ''}
<button type="submit">${f ? 'Autoriser' : 'Allow'}</button>
</form>`
  )
}

/** move_confirm.html: the request was received, a mail was sent to confirm it. */
export function moveConfirmPage(instance: Instance, email: string): string {
  const f = fr(instance)
  return layout(
    instance,
    f ? 'Demande de déménagement envoyée' : 'Move request sent',
    `<p>${f ? `Un e-mail a été envoyé à ${esc(email)} : ouvrez le lien qu'il contient pour lancer le déménagement.` : `A mail was sent to ${esc(email)}: open its link to start the move.`}</p>`
  )
}

/**
 * import.html / move_in_progress.html: the waiting page. Its script listens on
 * /move/importing/realtime and follows the `redirect` it receives (assets/scripts/import.js).
 */
export function importingPage(instance: Instance, moving: boolean, source: string): string {
  const f = fr(instance)
  const title = moving ? (f ? 'Déménagement en cours' : 'Move in progress') : f ? 'Import en cours' : 'Import in progress'
  const text = moving
    ? f
      ? `Vos données arrivent depuis ${esc(source)} vers ${esc(instance.domain)}. Cette page changera d'elle-même à la fin.`
      : `Your data is on its way from ${esc(source)} to ${esc(instance.domain)}. This page will move on by itself when it is done.`
    : f
      ? "Vos données sont en cours d'import. Cette page changera d'elle-même à la fin."
      : 'Your data is being imported. This page will move on by itself when it is done.'
  return layout(
    instance,
    title,
    `<p role="status">${text}</p>
<script>
(function () {
  var scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  var socket = new WebSocket(scheme + '//' + location.host + '/move/importing/realtime', 'io.cozy.websocket');
  socket.onmessage = function (event) {
    try { var data = JSON.parse(event.data); if (data.redirect) location.href = data.redirect; } catch (e) {}
  };
})();
</script>`
  )
}

/** move_vault.html: the passwords were not moved; how to import them. */
export function vaultPage(instance: Instance, link: string): string {
  const f = fr(instance)
  return layout(
    instance,
    f ? 'Importez vos mots de passe' : 'Import your passwords',
    `<p>${f ? "Vos mots de passe chiffrés n'ont pas été déménagés : importez le fichier exporté depuis votre ancien Cozy dans votre gestionnaire de mots de passe." : 'Your encrypted passwords were not moved: import the file exported from your former Cozy into your password manager.'}</p>
<p><a href="${esc(link)}">${f ? 'Continuer' : 'Continue'}</a></p>`
  )
}
