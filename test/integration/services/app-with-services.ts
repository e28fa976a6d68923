/**
 * "Mes données" as a folder the stand-in installs like the stack installs the built app: the
 * real manifest.webapp, an index.html, and the manifest's services bundled from
 * src/targets/services with esbuild (tsx's compiler, already installed) into services/*.js,
 * the files the manifest's `services.*.file` name, as `npm run build` writes them.
 */
import { promises as fs } from 'fs'
import os from 'os'
import path from 'path'

const REPO = path.resolve(__dirname, '../../..')

interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<unknown>
  stop(): Promise<void> | void
}

interface ManifestService {
  file: string
}

let built: Promise<string> | null = null

/** Bundles each service once per test file; the folder is copied for each install. */
async function buildServices(): Promise<string> {
  const esbuild = (await import(require.resolve('esbuild', { paths: [path.dirname(require.resolve('tsx/package.json'))] }))) as EsbuildLike
  const manifest = JSON.parse(await fs.readFile(path.join(REPO, 'manifest.webapp'), 'utf8')) as { services: Record<string, ManifestService> }
  const out = await fs.mkdtemp(path.join(os.tmpdir(), 'mes-donnees-services-'))
  for (const [name, service] of Object.entries(manifest.services)) {
    await esbuild.build({
      entryPoints: [path.join(REPO, 'src/targets/services', `${name}.ts`)],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: path.join(out, service.file),
      logLevel: 'error'
    })
  }
  // esbuild keeps a service process for later builds; a test file builds once, so end it here
  // rather than leave Jest's worker a child to wait for.
  await esbuild.stop()
  return out
}

export async function appWithServices(): Promise<string> {
  built ??= buildServices()
  const services = await built
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mes-donnees-app-'))
  await fs.cp(services, dir, { recursive: true })
  await fs.copyFile(path.join(REPO, 'manifest.webapp'), path.join(dir, 'manifest.webapp'))
  await fs.writeFile(path.join(dir, 'index.html'), '<!DOCTYPE html><html lang="{{.Locale}}"><body><div role="application" data-cozy="{{.CozyData}}"></div></body></html>')
  return dir
}
