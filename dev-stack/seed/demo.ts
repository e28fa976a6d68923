import { createReadStream, promises as fs } from 'fs'
import path from 'path'
import { Readable } from 'stream'
import type { StackRuntime } from '../context'
import type { StackInstance } from '../stack'

/** Repository root (dev-stack/seed/ → ../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..')

/** The genuine ENT export shipped beside the repository (../shared/fixtures/ent/). */
export const ENT_SAMPLE = path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'ent', 'real-export-sample.zip')

const DEMO_QUOTA = 10 * 1024 ** 3

const DEMO_CONTACTS = [
  { fullname: 'Camille Martin', name: { givenName: 'Camille', familyName: 'Martin' }, email: [{ address: 'camille.martin@example.org', primary: true }] },
  { fullname: 'Lucas Bernard', name: { givenName: 'Lucas', familyName: 'Bernard' }, email: [{ address: 'lucas.bernard@example.org', primary: true }] },
  { fullname: 'Inès Petit', name: { givenName: 'Inès', familyName: 'Petit' }, email: [{ address: 'ines.petit@example.org', primary: true }], cozy: [{ url: 'https://ines.mycozy.cloud', primary: true }] },
  { fullname: 'Mme Durand (CM2)', name: { givenName: 'Sophie', familyName: 'Durand' }, email: [{ address: 'sophie.durand@ac-exemple.fr', primary: true }] }
]

const DEMO_FILES: { dir: string; name: string; mime: string; content: string }[] = [
  { dir: '/Documents', name: 'Lisez-moi.txt', mime: 'text/plain', content: 'Bienvenue dans le Cozy de démonstration de Mes données.\n' },
  { dir: '/Documents/École', name: 'Liste des fournitures.txt', mime: 'text/plain', content: 'Cahiers, crayons, règle, compas.\n' },
  { dir: '/Documents/École', name: 'Sortie au musée.cozy-note', mime: 'text/markdown', content: '# Sortie au musée\n\nNous avons vu **des tableaux** et des sculptures.\n' },
  { dir: '/Photos', name: 'README.md', mime: 'text/markdown', content: 'Les photos de la classe arriveront ici.\n' }
]

/**
 * --seed-demo: the app and the konnector installed from build/, a 10 GiB quota, a few folders,
 * files and contacts, and the genuine ENT sample in the Drive (/Téléchargements), so a newcomer
 * can try every page. Runs once per data folder (instance.json remembers it); installs again
 * every start so a fresh build is served.
 */
export interface SeedOptions {
  /** The built webapp (default build/app). */
  appDir?: string
  /** The built konnector (default build/konnectors/ent-import). */
  konnectorDir?: string
}

export async function seedDemo(handle: StackInstance, runtime: StackRuntime, options: SeedOptions = {}): Promise<void> {
  const { instance } = handle
  const appDir = options.appDir ?? path.join(REPO_ROOT, 'build', 'app')
  const konnectorDir = options.konnectorDir ?? path.join(REPO_ROOT, 'build', 'konnectors', 'ent-import')
  for (const [dir, manifest] of [
    [appDir, 'manifest.webapp'],
    [konnectorDir, 'manifest.konnector']
  ]) {
    try {
      await fs.access(path.join(dir, manifest))
    } catch {
      throw new Error(`--seed-demo needs the built app and konnector: ${path.join(dir, manifest)} is missing (run npm run build first)`)
    }
  }
  await handle.installApp(appDir)
  await handle.installKonnector(konnectorDir)
  if (instance.state.extra.demoSeeded) return
  if (instance.state.quota === null) instance.state.quota = DEMO_QUOTA
  const cozyMetadata = { doctypeVersion: '1', metadataVersion: 1, createdAt: new Date().toISOString(), createdOn: instance.url }
  for (const c of DEMO_CONTACTS) await instance.dbs.create('io.cozy.contacts', c)
  await instance.files.init()
  for (const f of DEMO_FILES) {
    const dir = await instance.files.ensureDirPath(f.dir, cozyMetadata)
    if (await instance.files.childNamed(dir._id, f.name)) continue
    await instance.files.createFile(Readable.from([Buffer.from(f.content, 'utf8')]), { name: f.name, dirId: dir._id, contentType: f.mime, cozyMetadata })
  }
  try {
    const stat = await fs.stat(ENT_SAMPLE)
    const downloads = await instance.files.ensureDirPath('/Téléchargements', cozyMetadata)
    if (!(await instance.files.childNamed(downloads._id, path.basename(ENT_SAMPLE)))) {
      await instance.files.createFile(createReadStream(ENT_SAMPLE), { name: path.basename(ENT_SAMPLE), dirId: downloads._id, size: stat.size, contentType: 'application/zip', cozyMetadata })
    }
  } catch (err) {
    runtime.config.log(`[seed] the ENT sample was not copied (${(err as Error).message}); expected at ${ENT_SAMPLE}`)
  }
  await instance.files.ensureDirPath('/Mes données ENT', cozyMetadata)
  instance.state.extra.demoSeeded = true
  await instance.save()
}
