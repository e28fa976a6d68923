import { promises as fs } from 'fs'
import os from 'os'
import path from 'path'
import CozyClient from 'cozy-client'
import { createStackApi, type StackApi } from '../../../src/stack-client'
import { stackFetcherOf } from '../../../src/stack-client/fetcher'
import type { StackInstance } from '../../../dev-stack'

const ROOT = path.resolve(__dirname, '../../..')

/**
 * Installs "Mes données" on a stand-in instance with its real manifest (permissions,
 * notifications, services), so every call is checked against what the app really asks for.
 * The built bundle is not needed: `npm test` runs before `npm run build`.
 */
export async function installMesDonnees(instance: StackInstance): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mes-donnees-app-'))
  await fs.copyFile(path.join(ROOT, 'manifest.webapp'), path.join(dir, 'manifest.webapp'))
  await fs.writeFile(
    path.join(dir, 'index.html'),
    '<!DOCTYPE html><html lang="{{.Locale}}"><body><div role="application" data-cozy="{{.CozyData}}"></div></body></html>'
  )
  await instance.installApp(dir)
}

/** The webapp's stack client, as the browser builds it: cozy-client with the app token. */
/** The app's cozy-client, as the pages use it for doctypes (queries, client.save). */
export function appClient(instance: StackInstance, slug = 'mes-donnees'): CozyClient {
  return new CozyClient({ uri: instance.url.replace(/\/$/, ''), token: instance.tokenFor(slug), schema: {} })
}

export function appStackApi(instance: StackInstance, slug = 'mes-donnees'): StackApi {
  const client = new CozyClient({ uri: instance.url.replace(/\/$/, ''), token: instance.tokenFor(slug), schema: {} })
  return createStackApi(stackFetcherOf(client))
}
