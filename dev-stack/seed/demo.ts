import path from 'path'
import type { StackRuntime } from '../context'
import type { StackInstance } from '../stack'

/** Repository root (dev-stack/seed/ → ../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..')

/**
 * --seed-demo: the app and the konnector installed from build/, a few contacts. Filled in
 * further once the files module lands (files, the ENT sample in the Drive).
 */
export async function seedDemo(handle: StackInstance, _runtime: StackRuntime): Promise<void> {
  const { instance } = handle
  await handle.installApp(path.join(REPO_ROOT, 'build', 'app'))
  await handle.installKonnector(path.join(REPO_ROOT, 'build', 'konnectors', 'ent-import'))
  const contacts = await instance.dbs.list('io.cozy.contacts')
  if (contacts.length === 0) {
    for (const c of DEMO_CONTACTS) await instance.dbs.create('io.cozy.contacts', c)
  }
}

const DEMO_CONTACTS = [
  { fullname: 'Camille Martin', name: { givenName: 'Camille', familyName: 'Martin' }, email: [{ address: 'camille.martin@example.org', primary: true }] },
  { fullname: 'Lucas Bernard', name: { givenName: 'Lucas', familyName: 'Bernard' }, email: [{ address: 'lucas.bernard@example.org', primary: true }] },
  { fullname: 'Inès Petit', name: { givenName: 'Inès', familyName: 'Petit' }, email: [{ address: 'ines.petit@example.org', primary: true }], cozy: [{ url: 'https://ines.mycozy.cloud', primary: true }] }
]
