import type { RouteModule, StackContext } from '../context'
import type { Doc } from '../storage/databases'
import { forbidden, jsonApiError, route } from '../http/errors'

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
 * GET /apps/:slug a GET on that document. Webapps are installed with the programmatic API or
 * the CLI; konnectors also through POST /konnectors/:slug, by the Store.
 */
export const appsRoutes: RouteModule = {
  name: 'apps',
  mount(router, ctx) {
    /**
     * installHandler (web/apps/apps.go) for konnectors: AllowInstallApp lets only the Store
     * (or the CLI, or an OAuth client) with POST on io.cozy.konnectors install; the source is
     * `registry://<slug>/<channel>` by default, found here in the stand-in's registry folders
     * (StackConfig.registry). The stack answers 202 while it installs in the background; the
     * stand-in installs before answering, so the document is already "ready".
     */
    router.post(
      '/konnectors/:slug',
      route(async (req, res) => {
        const set = await ctx.allowWholeType(req, 'POST', 'io.cozy.konnectors')
        if (!(set.kind === 'cli' || set.kind === 'oauth' || (set.kind === 'app' && set.sourceSlug === 'store'))) throw forbidden()
        const slug = req.params.slug
        if (ctx.instance.state.konnectors[slug]) throw jsonApiError(409, 'Application with same slug already exists')
        const source = typeof req.query.Source === 'string' && req.query.Source ? req.query.Source : `registry://${slug}/stable`
        const match = /^registry:\/\/([a-z0-9][a-z0-9-]*)(\/[a-z]+)?$/.exec(source)
        const dir = match ? ctx.stack.config.registry?.[match[1]] : undefined
        if (!match || match[1] !== slug || !dir) throw jsonApiError(404, 'Application not found')
        await ctx.instance.install(dir)
        const doc = await ctx.instance.dbs.get('io.cozy.konnectors', `io.cozy.konnectors/${slug}`)
        res.status(202).type('application/vnd.api+json').send(JSON.stringify({ data: appObject(ctx, 'konnector', doc) }))
      })
    )
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
      // getHandler: app.GetBySlug first, so a missing app is a 404 (app.ErrNotFound, wrapAppsError)
      // whatever the token may read; then middlewares.Allow on the manifest. cozy-client's
      // AppCollection / KonnectorCollection `get` sends this for Q(doctype).getById(`${doctype}/${slug}`).
      router.get(
        `${base}/:slug`,
        route(async (req, res) => {
          const id = `${doctype}/${req.params.slug}`
          const doc = await ctx.instance.dbs.getOrNull(doctype, id)
          if (!doc) throw jsonApiError(404, 'Application is not installed')
          await ctx.allow(req, 'GET', { id, doctype, fetch: f => (f === 'slug' ? [req.params.slug] : []) })
          res.type('application/vnd.api+json').send(JSON.stringify({ data: appObject(ctx, type, doc) }))
        })
      )
    }
  }
}
