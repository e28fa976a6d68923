import { formatGigabytes, type Translate, type WizardLocale } from './i18n'
import type { HostingProvider } from './config'
import type { CozySide } from './session'
import type { MoveRefusal } from './move-checks'

/** Escapes text for HTML content and attribute values. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

export interface PageContext {
  t: Translate
  locale: WizardLocale
  /** Path of this page, for the language switch (GET pages only). */
  path?: string
  csrf?: string
}

interface LayoutOptions {
  title: string
  body: string
  back?: string
  /** Extra class on <main>, e.g. the dimmed page under a dialog. */
  mainClass?: string
  after?: string
}

function languageSwitch(ctx: PageContext): string {
  if (!ctx.path) return ''
  const other: WizardLocale = ctx.locale === 'fr' ? 'en' : 'fr'
  return `<a class="wz-lang" href="${esc(`${ctx.path}?lang=${other}`)}" hreflang="${other}" lang="${other}">${esc(ctx.t('common.otherLanguage'))}</a>`
}

const MOVE_ILLUSTRATION = `<svg class="wz-illustration" width="96" height="64" viewBox="0 0 96 64" aria-hidden="true" focusable="false">
<path d="M28 52h44a16 16 0 0 0 2-31.9A22 22 0 0 0 32.4 16 18 18 0 0 0 28 52z" fill="var(--primaryColorLight)"/>
<path d="M48 44V24m0 0-9 9m9-9 9 9" stroke="var(--primaryColor)" stroke-width="4" fill="none" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`

export function layout(ctx: PageContext, options: LayoutOptions): string {
  const { t } = ctx
  const back = options.back
    ? `<a class="wz-back" href="${esc(options.back)}"><span aria-hidden="true">←</span> ${esc(t('common.back'))}</a>`
    : '<span></span>'
  return `<!DOCTYPE html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(options.title === t('title') ? options.title : `${options.title} · ${t('title')}`)}</title>
<link rel="stylesheet" href="/assets/cozy-ui.utils.min.css">
<link rel="stylesheet" href="/assets/wizard.css">
</head>
<body>
<div class="wz-page"${options.after ? ' inert' : ''}>
<nav class="wz-top" aria-label="${esc(t('common.navigation'))}">${back}${languageSwitch(ctx)}</nav>
<main class="wz-main ${options.mainClass ?? ''}" id="main">
${options.body}
</main>
<footer class="wz-footer u-caption">${esc(t('common.footer'))}</footer>
</div>
${options.after ?? ''}
</body>
</html>`
}

function csrfField(ctx: PageContext): string {
  return `<input type="hidden" name="csrf" value="${esc(ctx.csrf ?? '')}">`
}

export function landingPage(ctx: PageContext): string {
  const { t } = ctx
  return layout(ctx, {
    title: t('landing.title'),
    body: `${MOVE_ILLUSTRATION}
<h1 class="u-title-h1">${esc(t('landing.title'))}</h1>
<p>${esc(t('landing.intro'))}</p>
<p>${esc(t('landing.blocked'))}</p>
<p>${esc(t('landing.afterwards'))}</p>
<div class="wz-actions"><a class="wz-btn" href="/summary">${esc(t('landing.start'))}</a></div>`
  })
}

function sizeLine(ctx: PageContext, side: CozySide, highlight: boolean): string {
  const { t, locale } = ctx
  if (side.used === undefined) return `<p class="u-caption wz-size">${esc(t('summary.usageUnknown'))}</p>`
  const used = formatGigabytes(side.used, locale)
  if (side.quota === undefined) {
    return `<p class="u-caption wz-size">${esc(t('summary.usedNoQuota', { used }))}</p>`
  }
  const quota = formatGigabytes(side.quota, locale)
  const label = t('summary.usedOfQuota', { used, quota })
  return `<p class="u-caption wz-size${highlight ? ' u-error' : ''}">${esc(label)}</p>
<progress class="wz-bar" max="${side.quota}" value="${Math.min(side.used, side.quota)}" aria-label="${esc(label)}"></progress>`
}

function cozyCard(ctx: PageContext, side: CozySide | undefined, editHref: string, highlight: boolean, testId: string): string {
  const { t } = ctx
  if (!side) {
    return `<a class="wz-pick" href="${esc(editHref)}" data-testid="${testId}-pick">${esc(t('summary.select'))}</a>`
  }
  const host = new URL(side.url).host
  return `<div class="wz-card" data-testid="${testId}">
<p class="wz-card-url">${esc(host)}</p>
${sizeLine(ctx, side, highlight)}
<a class="wz-edit" href="${esc(editHref)}" aria-label="${esc(t('summary.editLabel', { cozy: host }))}">${esc(t('summary.edit'))}</a>
</div>`
}

export interface SummaryModel {
  source?: CozySide
  target?: CozySide
  refusal?: MoveRefusal
  canSwap: boolean
  /** Where "Lancer le déménagement" goes when the move can start. */
  startHref?: string
}

export function summarySection(ctx: PageContext, model: SummaryModel): string {
  const { t, locale } = ctx
  const { source, target, refusal } = model
  const swap = model.canSwap
    ? `<form method="post" action="/swap" class="wz-inline">${csrfField(ctx)}<button type="submit" class="wz-btn wz-btn-text">${esc(t('summary.swap'))}</button></form>`
    : ''
  let refusalText = ''
  if (refusal === 'same') {
    refusalText = `<p class="u-error wz-refusal" role="alert">${esc(t('summary.refusals.same'))}</p>`
  } else if (refusal === 'quota' && target && target.quota !== undefined) {
    refusalText = `<div class="u-error wz-refusal" role="alert"><p>${esc(
      t('summary.refusals.quota', { target: new URL(target.url).host, quota: formatGigabytes(target.quota, locale) })
    )}</p><p>${esc(t('summary.refusals.quotaHelp'))}</p></div>`
  }
  const start = model.startHref
    ? `<a class="wz-btn" href="${esc(model.startHref)}">${esc(t('summary.start'))}</a>`
    : `<button class="wz-btn" type="button" disabled>${esc(t('summary.start'))}</button>`
  return `<header class="wz-header">${MOVE_ILLUSTRATION}<h1 class="u-title-h1">${esc(t('title'))}</h1></header>
<section aria-labelledby="wz-from">
<h2 class="u-title-h4 wz-side-title" id="wz-from">${esc(t('summary.exportFrom'))}</h2>
${cozyCard(ctx, source, '/address/source', refusal === 'quota', 'source')}
</section>
<section aria-labelledby="wz-to">
<div class="wz-side-head"><h2 class="u-title-h4 wz-side-title" id="wz-to">${esc(t('summary.to'))}</h2>${swap}</div>
${cozyCard(ctx, target, '/select', refusal === 'quota', 'target')}
</section>
${refusalText}
<p class="wz-note">${esc(t('summary.blockedInfo'))}</p>
<div class="wz-actions">${start}</div>`
}

export function summaryPage(ctx: PageContext, model: SummaryModel): string {
  return layout(ctx, { title: ctx.t('title'), body: summarySection(ctx, model), back: '/' })
}

export function selectPage(ctx: PageContext): string {
  const { t } = ctx
  return layout(ctx, {
    title: t('select.title'),
    back: '/summary',
    body: `<h1 class="u-title-h1">${esc(t('select.title'))}</h1>
<ul class="wz-choices">
<li><a href="/address/target"><span>${esc(t('select.haveOne'))}</span><span aria-hidden="true">›</span></a></li>
<li><a href="/create"><span>${esc(t('select.notYet'))}</span><span aria-hidden="true">›</span></a></li>
</ul>`
  })
}

export function createPage(ctx: PageContext, providers: HostingProvider[]): string {
  const { t, locale } = ctx
  const links = providers
    .map(
      p =>
        `<li><a class="wz-provider" href="${esc(p.url.replace('%{locale}', locale))}" target="_blank" rel="noopener noreferrer">${esc(
          t('create.createWith', { provider: p.name })
        )}<span class="wz-visually-hidden"> ${esc(t('common.newTab'))}</span></a></li>`
    )
    .join('\n')
  return layout(ctx, {
    title: t('create.title'),
    back: '/select',
    body: `<h1 class="u-title-h1">${esc(t('create.title'))}</h1>
<ol class="wz-steps">
<li><p>${esc(t('create.step1'))}</p><ul class="wz-providers">${links}</ul></li>
<li><p>${esc(t('create.step2', { choice: t('select.haveOne') }))}</p></li>
</ol>
<div class="wz-actions"><a class="wz-btn" href="/address/target">${esc(t('create.done'))}</a></div>`
  })
}

export function addressPage(ctx: PageContext, side: 'source' | 'target', defaultDomain: string, error?: string, typed = ''): string {
  const { t } = ctx
  const errorBlock = error ? `<p class="u-error wz-field-error" id="wz-address-error" role="alert">${esc(error)}</p>` : ''
  return layout(ctx, {
    title: t('address.title'),
    back: side === 'source' ? '/summary' : '/select',
    body: `<form method="post" action="/address/${side}" novalidate>
${csrfField(ctx)}
<h1 class="u-title-h1">${esc(t('address.title'))}</h1>
<p>${esc(t(side === 'source' ? 'address.sourceHelp' : 'address.targetHelp'))}</p>
<label class="wz-label" for="wz-address">${esc(t('address.label'))}</label>
<input class="wz-input" id="wz-address" name="address" type="text" inputmode="url" autocomplete="url" autocapitalize="none" spellcheck="false" required value="${esc(typed)}" aria-describedby="wz-address-hint${error ? ' wz-address-error' : ''}"${error ? ' aria-invalid="true"' : ''}>
<p class="u-caption" id="wz-address-hint">${esc(t('address.hint', { domain: defaultDomain }))}</p>
${errorBlock}
<div class="wz-actions"><button class="wz-btn" type="submit">${esc(t('address.continue'))}</button></div>
</form>`
  })
}

export function passwordsPage(ctx: PageContext): string {
  const { t } = ctx
  return layout(ctx, {
    title: t('passwords.title'),
    back: '/summary',
    body: `<h1 class="u-title-h1">${esc(t('passwords.title'))}</h1>
<p>${esc(t('passwords.intro'))}</p>
<ol class="wz-steps">
<li>${esc(t('passwords.step1'))}</li>
<li>${esc(t('passwords.step2'))}</li>
<li>${esc(t('passwords.step3'))}</li>
</ol>
<form method="post" action="/passwords" class="wz-actions wz-actions-stack">
${csrfField(ctx)}
<button class="wz-btn" type="submit" name="choice" value="exported">${esc(t('passwords.exported'))}</button>
<button class="wz-btn wz-btn-secondary" type="submit" name="choice" value="ignored">${esc(t('passwords.skip'))}</button>
</form>`
  })
}

/** The fields the source's POST /move/request reads (reference §3.2 step 7), re-posted by the 307. */
export function handOverFields(source: CozySide, target: CozySide, ignoreVault: boolean): [string, string][] {
  const fields: [string, string][] = source.token
    ? [
        ['token', source.token],
        ['client_id', source.clientId ?? ''],
        ['client_secret', source.clientSecret ?? '']
      ]
    : [['code', source.code ?? '']]
  fields.push(
    ['target_url', target.url],
    ['target_token', target.token ?? ''],
    ['target_client_id', target.clientId ?? ''],
    ['target_client_secret', target.clientSecret ?? '']
  )
  if (ignoreVault) fields.push(['ignore_vault', 'true'])
  return fields
}

export function confirmPage(ctx: PageContext, model: SummaryModel & { fields: [string, string][] }): string {
  const { t } = ctx
  const target = new URL(model.target?.url ?? '').host
  const source = new URL(model.source?.url ?? '').host
  const hidden = model.fields.map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`).join('\n')
  // An alert dialog puts the focus on its least destructive action.
  const dialog = `<div class="wz-overlay">
<div class="wz-dialog" role="alertdialog" aria-modal="true" aria-labelledby="wz-dialog-title" aria-describedby="wz-dialog-body">
<h2 class="u-title-h2" id="wz-dialog-title">${esc(t('confirm.title'))}</h2>
<div id="wz-dialog-body">
<p>${esc(t('confirm.overwrite', { target }))
    .replace(esc(target), `<strong><em>${esc(target)}</em></strong>`)}</p>
<p>${esc(t('confirm.fromTo', { source, target }))}</p>
<p>${esc(t('confirm.question'))}</p>
</div>
<form method="post" action="/move" class="wz-dialog-actions">
${csrfField(ctx)}
${hidden}
<a class="wz-btn wz-btn-secondary" href="/summary" autofocus>${esc(t('confirm.cancel'))}</a>
<button class="wz-btn wz-btn-danger" type="submit">${esc(t('confirm.confirm'))}</button>
</form>
</div>
</div>`
  return layout(ctx, {
    title: t('confirm.title'),
    body: summarySection(ctx, { ...model, startHref: undefined }),
    mainClass: 'wz-behind-dialog',
    after: dialog
  })
}

export function errorPage(ctx: PageContext, message: string, restartHref = '/'): string {
  const { t } = ctx
  return layout(ctx, {
    title: t('errors.title'),
    body: `<h1 class="u-title-h1">${esc(t('errors.title'))}</h1>
<p role="alert">${esc(message)}</p>
<div class="wz-actions"><a class="wz-btn" href="${esc(restartHref)}">${esc(t('errors.restart'))}</a></div>`
  })
}
