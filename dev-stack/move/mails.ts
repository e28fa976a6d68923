import type { Instance } from '../instance/instance'

/**
 * The mails of the move code, sent like the stack sends them: a `sendmail` job (mode
 * "noreply", to the instance's owner) named after the stack's template (assets/mails/*). The
 * wording is the stand-in's own, in French or English after the instance's locale; the values
 * are the template values the stack passes (ArchiveLink, ConfirmLink, CozyLink, …).
 */
export type MoveMailTemplate = 'archiver' | 'export_error' | 'move_confirm' | 'import_success' | 'import_error' | 'move_success' | 'move_error'

type Values = Record<string, string>

const TEXTS: Record<'fr' | 'en', Record<MoveMailTemplate, (v: Values) => { subject: string; body: string }>> = {
  fr: {
    archiver: v => ({
      // The subject the stack gives this mail (assets/locales/fr.po "Mail Archive Subject"): the app names the mail by it.
      subject: 'Téléchargement de vos données',
      body: `Bonjour ${v.PublicName},\n\nL'export de vos données est prêt. Téléchargez-le depuis ce lien (valable 7 jours au plus) :\n${v.ArchiveLink}\n`
    }),
    export_error: () => ({ subject: "L'export de vos données a échoué", body: "L'export de vos données n'a pas pu être créé. Vous pouvez relancer un export plus tard.\n" }),
    move_confirm: v => ({
      subject: 'Confirmez le déménagement de votre Cozy',
      body: `Bonjour ${v.PublicName},\n\nUne demande de déménagement de vos données de ${v.Source} vers ${v.Target} a été faite. Pour l'accepter, ouvrez ce lien dans les 5 minutes, dans le navigateur où vous êtes connecté à ${v.Source} :\n${v.ConfirmLink}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n`
    }),
    import_success: v => ({
      subject: 'Vos données ont été importées',
      body: `Bonjour ${v.PublicName},\n\nL'import de vos données est terminé : ${v.CozyLink}\n${v.AppsNotInstalled ? `Applications non réinstallées : ${v.AppsNotInstalled}\n` : ''}`
    }),
    import_error: () => ({ subject: "L'import de vos données a échoué", body: "L'import de vos données n'a pas abouti.\n" }),
    move_success: v => ({
      subject: 'Le déménagement de votre Cozy est terminé',
      body: `Bonjour ${v.PublicName},\n\nVos données sont arrivées dans votre Cozy : ${v.CozyLink}\n${v.AppsNotInstalled ? `Applications non réinstallées : ${v.AppsNotInstalled}\n` : ''}`
    }),
    move_error: () => ({ subject: 'Le déménagement de votre Cozy a échoué', body: "Le déménagement de vos données n'a pas abouti. Votre ancien Cozy reste utilisable.\n" })
  },
  en: {
    archiver: v => ({
      // assets/locales/en.po "Mail Archive Subject"
      subject: 'Download your data',
      body: `Hello ${v.PublicName},\n\nThe export of your data is ready. Download it from this link (valid for 7 days at most):\n${v.ArchiveLink}\n`
    }),
    export_error: () => ({ subject: 'The export of your data failed', body: 'The export of your data could not be created. You can start another export later.\n' }),
    move_confirm: v => ({
      subject: 'Confirm the move of your Cozy',
      body: `Hello ${v.PublicName},\n\nSomeone asked to move your data from ${v.Source} to ${v.Target}. To accept, open this link within 5 minutes, in the browser where you are logged in to ${v.Source}:\n${v.ConfirmLink}\n\nIf you did not ask for this, ignore this message.\n`
    }),
    import_success: v => ({
      subject: 'Your data has been imported',
      body: `Hello ${v.PublicName},\n\nThe import of your data is done: ${v.CozyLink}\n${v.AppsNotInstalled ? `Apps not reinstalled: ${v.AppsNotInstalled}\n` : ''}`
    }),
    import_error: () => ({ subject: 'The import of your data failed', body: 'The import of your data did not succeed.\n' }),
    move_success: v => ({
      subject: 'The move of your Cozy is done',
      body: `Hello ${v.PublicName},\n\nYour data has arrived in your Cozy: ${v.CozyLink}\n${v.AppsNotInstalled ? `Apps not reinstalled: ${v.AppsNotInstalled}\n` : ''}`
    }),
    move_error: () => ({ subject: 'The move of your Cozy failed', body: 'The move of your data did not succeed. Your former Cozy is still usable.\n' })
  }
}

export async function sendMoveMail(instance: Instance, template: MoveMailTemplate, values: Values = {}): Promise<void> {
  const locale = instance.state.locale === 'en' ? 'en' : 'fr'
  const { subject, body } = TEXTS[locale][template]({ PublicName: instance.state.publicName, ...values })
  await instance.jobs.push({
    worker: 'sendmail',
    message: { mode: 'noreply', template_name: template, template_values: values, subject, parts: [{ type: 'text/plain', body }] }
  })
}
