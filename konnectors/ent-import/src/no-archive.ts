import fr from '../../../locales/fr.json'
import en from '../../../locales/en.json'
import type { StackClient } from '../../../src/import/stack/client'
import type { NotificationRequest } from '../../../src/stack-client/notification-request'
import { escapeHtml } from '../../../src/text/escape-html'

/** The app that chooses archives and starts imports. */
export const APP_SLUG = 'mes-donnees'
/** Declared in manifest.konnector "notifications". */
export const NO_ARCHIVE_CATEGORY = 'no-archive'

type Texts = typeof fr.konnectorNoArchive
const TEXTS: Record<'fr' | 'en', Texts> = { fr: fr.konnectorNoArchive, en: en.konnectorNoArchive }

/**
 * The notification of a run with nothing to import (Home starts the konnector with its account
 * only): the user learns where archives are chosen, by the notification centre, the phone and
 * a mail (the stack mails only with content_html), with a link to the app's import page.
 */
export function noArchiveNotification(locale: string, appUrl: string | null): NotificationRequest {
  const lang = locale.slice(0, 2) === 'en' ? 'en' : 'fr'
  const texts = TEXTS[lang]
  const colon = lang === 'fr' ? '\u202f:' : ':'
  const link = appUrl ? `${appUrl.replace(/#.*$/, '').replace(/\/?$/, '/')}#/ent-import` : null
  return {
    category: NO_ARCHIVE_CATEGORY,
    title: texts.title,
    message: texts.message,
    content: link ? `${texts.message}\n\n${texts.open}${colon} ${link}` : texts.message,
    contentHtml: `<p>${escapeHtml(texts.message)}</p>${link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(texts.open)}</a></p>` : ''}`,
    preferredChannels: ['mobile', 'mail'],
    // Cozy's phone app opens `<slug>/#/<route>`.
    data: { redirectLink: `${APP_SLUG}/#/ent-import` }
  }
}

export async function notifyNoArchive(client: StackClient, locale: string): Promise<void> {
  const appUrl = await client.webappUrl(APP_SLUG).catch(() => null)
  await client.createNotification(noArchiveNotification(locale, appUrl))
}
