import { promises as fs } from 'fs'
import os from 'os'
import path from 'path'

/** Writes a tiny webapp (manifest.webapp + index.html) into a temporary folder and returns it. */
export async function writeWebapp(manifest: Record<string, unknown>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stack-app-'))
  await fs.writeFile(path.join(dir, 'manifest.webapp'), JSON.stringify({ type: 'webapp', name: manifest.slug, version: '1.0.0', ...manifest }))
  await fs.writeFile(path.join(dir, 'index.html'), '<!DOCTYPE html><html lang="{{.Locale}}"><body><div role="application" data-cozy="{{.CozyData}}"></div></body></html>')
  return dir
}

/** Writes a konnector (manifest.konnector + index.js with the given source) into a temporary folder. */
export async function writeKonnector(manifest: Record<string, unknown>, source: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stack-konn-'))
  await fs.writeFile(path.join(dir, 'manifest.konnector'), JSON.stringify({ type: 'konnector', language: 'node', name: manifest.slug, version: '1.0.0', ...manifest }))
  await fs.writeFile(path.join(dir, 'index.js'), source)
  return dir
}
