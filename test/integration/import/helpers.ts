/**
 * Helpers of the import's integration tests: a stand-in stack with the ent-import konnector
 * installed (its real manifest; its entry an esbuild bundle of the konnector's source, or the
 * webpack bundle when ENT_IMPORT_USE_BUILD=1), uploads, waiting, and snapshots of what
 * an import left in the Cozy (files with their bytes' MD5, documents) for comparisons.
 */
import { createReadStream, promises as fs } from 'fs'
import os from 'os'
import path from 'path'
import { startStack, type RunningStack, type StartStackOptions } from '../../../dev-stack'
import { StackClient, type CozyFile } from '../../../src/import/stack/client'

export { allDocs, snapshotTree, type TreeEntry } from './snapshot'

export const REPO = path.resolve(__dirname, '../../..')

/**
 * A konnector folder: the real manifest and one bundled index.js, as `npm run build` makes it.
 * The tests bundle the source with esbuild (a devDependency, and tsx's own compiler: about a
 * second); ENT_IMPORT_USE_BUILD=1 takes build/konnectors/ent-import instead. Always a bundle:
 * the stand-in runs the konnector in a jail where nothing of the repository is visible
 * (dev-stack/jobs/konnector-jail.ts), so an entry loading the sources through tsx cannot start.
 */
export async function konnectorDir(runnable = true): Promise<string> {
  if (process.env.ENT_IMPORT_USE_BUILD === '1') return path.join(REPO, 'build/konnectors/ent-import')
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ent-import-konnector-'))
  await fs.copyFile(path.join(REPO, 'konnectors/ent-import/manifest.konnector'), path.join(dir, 'manifest.konnector'))
  if (!runnable) {
    // Tests that run the engine in-process only need the manifest (the token's permissions).
    await fs.writeFile(path.join(dir, 'index.js'), 'process.exitCode = 1\n')
    return dir
  }
  const { build, stop } = await import('esbuild')
  try {
    await build({ entryPoints: [path.join(REPO, 'konnectors/ent-import/src/index.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: path.join(dir, 'index.js'), logLevel: 'error' })
  } finally {
    // esbuild's service process would outlive the tests; the next build starts a new one.
    await stop()
  }
  return dir
}

export interface ImportStack {
  stack: RunningStack
  /** Client with every permission (the CLI token). */
  admin: StackClient
  /** Client with the konnector's permissions. */
  konnector: StackClient
  url: string
  cliToken: string
  konnectorToken: string
  stop(): Promise<void>
}

/** `runnable: false` installs the konnector's manifest only (for in-process engine tests). */
export async function startImportStack(options: StartStackOptions = {}, log?: string[], runnable = true): Promise<ImportStack> {
  const stack = await startStack({ ...options, log: log ? line => log.push(line) : undefined })
  const alice = stack.instances[0]
  const dir = await konnectorDir(runnable)
  for (const instance of stack.instances) await instance.installKonnector(dir)
  const konnectorToken = alice.tokenFor('ent-import')
  return {
    stack,
    admin: new StackClient(alice.url, alice.cliToken),
    konnector: new StackClient(alice.url, konnectorToken),
    url: alice.url,
    cliToken: alice.cliToken,
    konnectorToken,
    stop: async () => {
      await stack.stop()
      if (process.env.ENT_IMPORT_USE_BUILD !== '1') await fs.rm(dir, { recursive: true, force: true })
    }
  }
}

/** Uploads a local file into a Cozy folder (created when missing); returns the file. */
export async function uploadArchive(client: StackClient, localPath: string, folderId: string, name = path.basename(localPath)): Promise<CozyFile> {
  const size = (await fs.stat(localPath)).size
  return client.uploadFile(folderId, name, createReadStream(localPath), { size, contentType: 'application/zip' })
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}

export async function downloadText(client: StackClient, fileId: string): Promise<string> {
  const res = await fetch(client.downloadUrl(fileId), { headers: client.authHeaders() })
  return res.text()
}
