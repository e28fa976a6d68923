import fr from '../../../locales/fr.json'
import en from '../../../locales/en.json'
import { isAlreadyRunningError, type ExportDoc } from '../../stack-client'
import type { NotificationRequest } from '../../stack-client/notifications'
import { escapeHtml } from '../../text/escape-html'

type Texts = typeof fr.exportNotification
const TEXTS: Record<'fr' | 'en', Texts> = { fr: fr.exportNotification, en: en.exportNotification }

/** Polyglot's `%{name}` placeholders, for the few strings a service sends. */
export function interpolate(text: string, values: Record<string, string>): string {
  return text.replace(/%\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole)
}

/** The app's export page, where the user pastes the mailed link or asks again. */
export function exportPageUrl(appUrl: string): string {
  return `${appUrl.replace(/#.*$/, '').replace(/\/?$/, '/')}#/export`
}

/**
 * The notification for a finished export, or null while it is still being prepared.
 * The stack gives no app the download link's MAC (cozy-stack-api.md §0.1), so the
 * notification points to the app's export page and to the mail.
 */
export function exportNotificationFor(doc: ExportDoc, locale: string, appUrl: string, slug: string): NotificationRequest | null {
  if (doc.state === 'exporting') return null
  const texts = TEXTS[locale.slice(0, 2) === 'en' ? 'en' : 'fr']
  const link = exportPageUrl(appUrl)
  const ready = doc.state === 'done'
  const title = ready ? texts.readyTitle : texts.failedTitle
  const message = ready
    ? texts.readyMessage
    : isAlreadyRunningError(doc.error)
      ? texts.alreadyRunningMessage
      : texts.failedMessage
  const content = `${message}\n\n${texts.open}: ${link}`
  const contentHtml = `<p>${escapeHtml(message)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(texts.open)}</a></p>`
  return {
    category: ready ? 'export-ready' : 'export-failed',
    title,
    message,
    content,
    contentHtml,
    preferredChannels: ['mobile', 'mail'],
    // Mobile apps open `<slug>/#/<route>`.
    data: { redirectLink: `${slug}/#/export` }
  }
}
