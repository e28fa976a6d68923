/**
 * The Cozy notification sent when an ENT import ends, so a user who left the page still hears
 * about it: run by the app's `import-notification` service on each update of an import record
 * (manifest.webapp `services`, `@event io.cozy.mesdonnees.imports:UPDATED:done,failed:state`: only ended imports wake it). The record keeps
 * `notifiedAt` (a field added to the contract's shape) so that one end gives one notification.
 */
import CozyClient from 'cozy-client'
import { createStackApi, StackError } from '../../stack-client'
import { stackFetcherOf } from '../../stack-client/fetcher'
import { toStackError } from '../../stack-client/StackError'
import type { CouchDoc } from '../../stack-client/couch-docs'
import { toImportRecord } from '../../stack-client/ent-imports'
import type { NotificationRequest } from '../../stack-client/notifications'
import { IMPORTS_DOCTYPE, type ImportRecord } from '../../import/records'
import { interpolate } from './export-notification-message'
import fr from '../../../locales/fr.json'
import en from '../../../locales/en.json'
import { escapeHtml } from '../../text/escape-html'
import { appUrlOf } from './app-url'

const SLUG = 'mes-donnees'
/** Declared in manifest.webapp `notifications`. */
export const IMPORT_NOTIFICATION_CATEGORY = 'import-finished'

type Texts = typeof fr.importNotification
const TEXTS: Record<'fr' | 'en', Texts> = { fr: fr.importNotification, en: en.importNotification }

/**
 * The notification for an ended import, or null while it runs or once it was notified.
 * The stack mails an app's notification only when it has `content_html`, and pushes it to
 * phones only when `preferred_channels` names "mobile" (model/notification/center/
 * notification_center.go makePush, buildMailMessage): both are set, with a plain-text part.
 */
export function importNotificationFor(record: ImportRecord & { _id: string; notifiedAt?: unknown }, locale: string, appUrl: string): NotificationRequest | null {
  if (record.state !== 'done' && record.state !== 'failed') return null
  if (record.notifiedAt) return null
  const texts = TEXTS[locale.startsWith('en') ? 'en' : 'fr']
  const name = record.archive.name ?? record._id
  const sum = (key: 'imported' | 'skipped' | 'notSelected' | 'failed') => String(record.apps.reduce((total, app) => total + app[key], 0))
  const message =
    record.state === 'done'
      ? interpolate(texts.doneMessage, { name, imported: sum('imported'), skipped: sum('skipped'), notSelected: sum('notSelected'), failed: sum('failed') })
      : interpolate(texts.failedMessage, { name })
  const route = `#/ent-import/history/${encodeURIComponent(record._id)}`
  const link = `${appUrl.replace(/\/$/, '')}/${route}`
  return {
    category: IMPORT_NOTIFICATION_CATEGORY,
    title: record.state === 'done' ? texts.doneTitle : texts.failedTitle,
    message,
    content: `${message}\n\n${interpolate(texts.linkLine, { link })}`,
    contentHtml: `<p>${escapeHtml(message)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(texts.link)}</a></p>`,
    preferredChannels: ['mobile', 'mail'],
    data: { redirectLink: `${SLUG}/${route}` }
  }
}

/** The record through cozy-client's DocumentCollection (`GET /data/:doctype/:id`). */
async function readRecord(client: CozyClient, id: string): Promise<CouchDoc> {
  const { data } = (await client.collection(IMPORTS_DOCTYPE).get(id).catch((err: unknown) => Promise.reject(toStackError(err)))) as { data: CouchDoc | null }
  // DocumentCollection.get gives no document for CouchDB's not_found.
  if (!data) throw new StackError(404, 'stackErrors.notFound')
  return data
}

/**
 * `client.save` (PUT /data/:doctype/:id with its `_rev`: a 409 when someone else wrote first),
 * without the `id` DocumentCollection.get adds beside `_id`, so the record keeps its fields.
 */
async function saveRecord(client: CozyClient, { id: _normalizedId, ...doc }: CouchDoc): Promise<void> {
  try {
    await client.save({ ...doc, _type: IMPORTS_DOCTYPE })
  } catch (err) {
    throw toStackError(err)
  }
}

export type ImportNotificationOutcome = 'sent' | 'not-ended' | 'already-notified'

export async function runImportNotification(env: Record<string, string | undefined>): Promise<ImportNotificationOutcome> {
  if (!env.COZY_URL || !env.COZY_CREDENTIALS || !env.COZY_COUCH_DOC) {
    throw new Error('COZY_URL, COZY_CREDENTIALS and COZY_COUCH_DOC must be set by the stack.')
  }
  const raw = JSON.parse(env.COZY_COUCH_DOC) as Record<string, unknown> & { _id: string }
  const record = { ...toImportRecord(raw), notifiedAt: raw.notifiedAt }
  if (record.state !== 'done' && record.state !== 'failed') return 'not-ended'
  if (record.notifiedAt) return 'already-notified'
  // appMetadata: client.save then names the app in the record's cozyMetadata, as the page's client does (src/app/cozy-data.ts).
  const client = new CozyClient({ uri: env.COZY_URL.replace(/\/$/, ''), token: env.COZY_CREDENTIALS, schema: {}, appMetadata: { slug: SLUG } })
  const api = createStackApi(stackFetcherOf(client))
  // The event may be older than the record: decide on the record as it is now.
  const current = await readRecord(client, record._id)
  if (current.notifiedAt) return 'already-notified'
  const appUrl = await appUrlOf(client, SLUG, env.COZY_URL)
  const notification = importNotificationFor({ ...toImportRecord(current), notifiedAt: current.notifiedAt }, env.COZY_LOCALE ?? 'fr', appUrl)
  if (!notification) return 'not-ended'
  // Marked first: a second event for the same end then finds it notified.
  await saveRecord(client, { ...current, notifiedAt: new Date().toISOString() })
  await api.notifications.create(notification)
  return 'sent'
}
