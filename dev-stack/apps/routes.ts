import type { RouteModule, StackContext } from '../context'
import type { Doc } from '../storage/databases'
import { jsonApiError, route } from '../http/errors'

function appObject(ctx: StackContext, type: 'webapp' | 'konnector', doc: Doc): Record<string, unknown> {
  const { _id, _rev, ...attributes } = doc
  const slug = String(doc.slug)
  const base = type === 'webapp' ? 'apps' : 'konnectors'
  const links: Record<string, string> = { self: `/${base}/${slug}`, icon: `/${base}/${slug}/icon` }
  if (type === 'webapp' && ctx.instance.state.apps[slug]) links.related = ctx.instance.appUrl(slug)
  return { type: type === 'webapp' ? 'io.cozy.apps' : 'io.cozy.konnectors', id: _id, attributes, meta: { rev: _rev }, links }
}

/**
 * Installed apps and konnectors (docs/apps.md "List installed applications", web/apps/apps.go):
 * GET /apps/ and /konnectors/ need whole-type GET on io.cozy.apps / io.cozy.konnectors,
 * GET /apps/:slug a GET on that document. Installing is done with the programmatic API or the
 * CLI (only the Store may install through the API).
 */
export const appsRoutes: RouteModule = {
  name: 'apps',
  mount(router, ctx) {
    for (const type of ['webapp', 'konnector'] as const) {
      const base = type === 'webapp' ? '/apps' : '/konnectors'
      const doctype = type === 'webapp' ? 'io.cozy.apps' : 'io.cozy.konnectors'
      router.get(
        `${base}/`,
        route(async (req, res) => {
          await ctx.allowWholeType(req, 'GET', doctype)
          const docs = await ctx.instance.listInstalled(type)
          res.type('application/vnd.api+json').send(JSON.stringify({ data: docs.map(d => appObject(ctx, type, d)), meta: { count: docs.length }, links: {} }))
        })
      )
      router.get(
        `${base}/:slug`,
        route(async (req, res) => {
          const id = `${doctype}/${req.params.slug}`
          await ctx.allow(req, 'GET', { id, doctype, fetch: f => (f === 'slug' ? [req.params.slug] : []) })
          const doc = await ctx.instance.dbs.getOrNull(doctype, id)
          if (!doc) throw jsonApiError(404, 'Application is not installed')
          res.type('application/vnd.api+json').send(JSON.stringify({ data: appObject(ctx, type, doc) }))
        })
      )
    }
  }
}
