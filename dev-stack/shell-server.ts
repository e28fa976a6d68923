import http from 'http'
import type { AddressInfo } from 'net'
import { promises as fs } from 'fs'
import path from 'path'
import { contentTypeFor, readAsset, renderIndexHtml, resolveAssetPath } from './apps/serve-webapp'

export interface ShellServer {
  url: string
  close(): Promise<void>
}

/**
 * Serves the built webapp alone on 127.0.0.1, with the stack's template filled in and a
 * token that no stack accepts: enough to see every page, not to talk to a Cozy.
 * The locale comes from `?locale=` (default French), as a user's Cozy setting would.
 */
export async function startShellServer(options: { appDir: string; port?: number }): Promise<ShellServer> {
  const template = await fs.readFile(path.join(options.appDir, 'index.html'), 'utf8')
  const manifest = JSON.parse(await fs.readFile(path.join(options.appDir, 'manifest.webapp'), 'utf8')) as {
    slug: string
    name: string
    version: string
  }
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const locale = url.searchParams.get('locale') === 'en' ? 'en' : 'fr'
        const html = renderIndexHtml(template, {
          domain: req.headers.host ?? '127.0.0.1',
          token: 'no-stack',
          locale,
          app: { slug: manifest.slug, name: manifest.name, version: manifest.version }
        })
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        res.end(html)
        return
      }
      const file = resolveAssetPath(options.appDir, url.pathname)
      const body = file ? await readAsset(file) : null
      if (!file || !body) {
        res.writeHead(404, { 'Content-Type': 'text/plain' })
        res.end('Not found')
        return
      }
      res.writeHead(200, { 'Content-Type': contentTypeFor(file) })
      res.end(body)
    })()
  })
  await new Promise<void>(resolve => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>(resolve => server.close(() => resolve()))
  }
}
