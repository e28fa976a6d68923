/**
 * What the `export-notification` service does, on each update of an io.cozy.exports
 * document: when the export is done or has failed, send a Cozy notification, so a user who
 * left the export page still hears about it.
 * Environment (docs/apps.md "Services"): COZY_URL, COZY_CREDENTIALS, COZY_COUCH_DOC, COZY_LOCALE.
 */
import CozyClient from 'cozy-client'
import { createStackApi, exportDocFromCouch } from '../../stack-client'
import { stackFetcherOf } from '../../stack-client/fetcher'
import { exportNotificationFor } from './export-notification-message'
import { appUrlOf } from './app-url'

const SLUG = 'mes-donnees'

/** Only COZY_URL, COZY_CREDENTIALS, COZY_COUCH_DOC and COZY_LOCALE are read. */
export type ServiceEnv = Record<string, string | undefined>

export type ServiceOutcome = 'sent-ready' | 'sent-failed' | 'still-exporting'

export async function runExportNotification(env: ServiceEnv): Promise<ServiceOutcome> {
  if (!env.COZY_URL || !env.COZY_CREDENTIALS || !env.COZY_COUCH_DOC) {
    throw new Error('COZY_URL, COZY_CREDENTIALS and COZY_COUCH_DOC must be set by the stack.')
  }
  const doc = exportDocFromCouch(JSON.parse(env.COZY_COUCH_DOC))
  if (doc.state === 'exporting') return 'still-exporting'
  const client = new CozyClient({ uri: env.COZY_URL.replace(/\/$/, ''), token: env.COZY_CREDENTIALS, schema: {} })
  const api = createStackApi(stackFetcherOf(client))
  const appUrl = await appUrlOf(client, SLUG, env.COZY_URL)
  const notification = exportNotificationFor(doc, env.COZY_LOCALE ?? 'fr', appUrl, SLUG)
  if (!notification) return 'still-exporting'
  await api.notifications.create(notification)
  return doc.state === 'done' ? 'sent-ready' : 'sent-failed'
}
