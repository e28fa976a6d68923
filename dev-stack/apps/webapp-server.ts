import { promises as fs } from 'fs'
import path from 'path'
import type http from 'http'
import type { Instance } from '../instance/instance'
import { contentTypeFor, readAsset, renderIndexHtml, resolveAssetPath } from './serve-webapp'

interface Route {
  folder?: unknown
  index?: unknown
}

/**
 * The index file a path opens, from the manifest's `routes` (model/app/webapp.go FindRoute,
 * routes: "/" → index.html when the manifest has none), or null for an asset.
 */
export function routeIndex(routes: unknown, pathname: string): string | null {
  const table = typeof routes === 'object' && routes !== null ? (routes as Record<string, Route>) : { '/': { folder: '/', index: 'index.html' } }
  const key = pathname === '/index.html' ? '/' : pathname.length > 1 ? pathname.replace(/\/$/, '') : pathname
  const route = table[key]
  if (!route) return null
  const folder = typeof route.folder === 'string' ? route.folder : '/'
  const index = typeof route.index === 'string' ? route.index : 'index.html'
  return path.posix.join(folder, index).replace(/^\/+/, '')
}

/**
 * The request handler of one webapp's origin (the stack's app subdomain, web/apps/serve.go):
 * the app's files, and its index.html with the stack's template filled in and a fresh app
 * token. Like the stack, a private route needs the user's session: without one the browser is
 * sent to the instance's login page and comes back afterwards.
 */
export function webappHandler(instance: Instance, slug: string): http.RequestListener {
  return (req, res) => {
    void (async () => {
      const installed = instance.state.apps[slug]
      if (!installed) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
        res.end('Application not found')
        return
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const manifest = await instance.manifestOf('webapp', slug)
      const index = routeIndex(manifest?.routes, url.pathname)
      if (index) {
        const session = await instance.sessionOf(req as Parameters<Instance['sessionOf']>[0])
        if (!session) {
          const back = instance.appUrl(slug) + url.pathname.slice(1) + url.search
          res.writeHead(302, { Location: `${instance.url}auth/login?redirect=${encodeURIComponent(back)}` })
          res.end()
          return
        }
        const template = await fs.readFile(path.join(installed.dir, index), 'utf8')
        const html = renderIndexHtml(template, {
          domain: instance.domain,
          token: instance.issueToken('app', slug, { session_id: session.id }),
          locale: instance.state.locale,
          app: { slug, name: String(manifest?.name ?? slug), version: String(manifest?.version ?? '0.0.0') }
        })
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' })
        res.end(html)
        return
      }
      const file = resolveAssetPath(installed.dir, url.pathname)
      const body = file ? await readAsset(file) : null
      if (!file || !body) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
        res.end('Not found')
        return
      }
      res.writeHead(200, { 'Content-Type': contentTypeFor(file) })
      res.end(body)
    })().catch(err => {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end(String(err))
    })
  }
}
