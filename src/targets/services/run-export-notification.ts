/**
 * What the `export-notification` service does, on each update of an io.cozy.exports
 * document: when the export is done or has failed, send a Cozy notification, so a user who
 * left the export page still hears about it.
 * Environment (docs/apps.md "Services"): COZY_URL, COZY_CREDENTIALS, COZY_COUCH_DOC, COZY_LOCALE.
 */
import CozyClient from 'cozy-client'
import { createStackApi, exportDocFromCouch, StackError } from '../../stack-client'
import { stackFetcherOf } from '../../stack-client/fetcher'
import { exportNotificationFor } from './export-notification-message'

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
  // Where the app opens (flat or nested subdomains): the stack knows, the service does not.
  const appUrl = await api.apps.getWebapp(SLUG).then(
    app => app.url ?? env.COZY_URL ?? '',
    (err: unknown) => {
      if (err instanceof StackError && err.status === 404) return env.COZY_URL ?? ''
      throw err
    }
  )
  const notification = exportNotificationFor(doc, env.COZY_LOCALE ?? 'fr', appUrl, SLUG)
  if (!notification) return 'still-exporting'
  await api.notifications.create(notification)
  return doc.state === 'done' ? 'sent-ready' : 'sent-failed'
}
