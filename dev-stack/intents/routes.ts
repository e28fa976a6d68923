import type { Response } from 'express'
import type { RouteModule, StackContext } from '../context'
import type { Doc } from '../storage/databases'
import { forbidden, invalidParameter, jsonApiError, route } from '../http/errors'
import { readJsonApi } from '../http/body'

export const INTENTS_DOCTYPE = 'io.cozy.intents'

/** An intent a manifest declares (model/app/webapp.go Intent). */
interface DeclaredIntent {
  action?: unknown
  type?: unknown
  href?: unknown
}

interface IntentService {
  slug: string
  href: string
}

type IntentDoc = Doc & { action: string; type: string; permissions: string[]; client: string; services: IntentService[]; availableApps?: unknown[] }

/** WebappManifest.FindIntent: the action in any case, the type exactly or through a "image/*" joker. */
export function findIntent(intents: unknown, action: string, type: string): DeclaredIntent | null {
  if (!Array.isArray(intents)) return null
  for (const intent of intents as DeclaredIntent[]) {
    if (typeof intent.action !== 'string' || intent.action.toLowerCase() !== action.toLowerCase()) continue
    const types = Array.isArray(intent.type) ? (intent.type as unknown[]) : []
    for (const t of types) {
      if (typeof t !== 'string') continue
      if (t === type) return intent
      if (t.endsWith('/*') && t.split('/')[0] === type.split('/')[0]) return intent
    }
  }
  return null
}

/** Intent.GenerateHref (model/intent/intents.go): the app's origin, the href's path and fragment, ?intent=<id>. */
function serviceHref(ctx: StackContext, slug: string, target: string, id: string): string {
  const u = new URL(ctx.instance.appUrl(slug))
  const hash = target.indexOf('#')
  const pathPart = hash < 0 ? target : target.slice(0, hash)
  const fragment = hash < 0 ? '' : target.slice(hash + 1)
  if (pathPart) u.pathname = pathPart
  u.search = `intent=${encodeURIComponent(id)}`
  if (fragment) u.hash = fragment
  return u.toString()
}

/** apiIntent (web/intents/intents.go): `client` is the origin of the app that asked (for postMessage). */
function send(ctx: StackContext, res: Response, doc: IntentDoc): void {
  const { _id, _rev, client, ...rest } = doc
  const slug = client.startsWith('io.cozy.apps/') ? client.slice('io.cozy.apps/'.length) : ''
  let origin = ''
  if (slug && ctx.instance.state.apps[slug]) origin = ctx.instance.appUrl(slug).replace(/\/$/, '')
  res
    .status(200)
    .type('application/vnd.api+json')
    .send(JSON.stringify({ data: { type: INTENTS_DOCTYPE, id: _id, attributes: { ...rest, client: origin }, meta: { rev: _rev }, links: { self: `/intents/${_id}` } } }))
}

/**
 * Intents (docs/intents.md; web/intents/intents.go, model/intent/intents.go). POST /intents:
 * any valid token, no permission; the intent remembers the asking app and lists, as
 * `services`, every installed webapp whose manifest `intents` declare the action and type,
 * with the href where that app serves it. GET /intents/:id: only an app among the services.
 * Answers 200, as the code does (the doc says 201).
 */
export const intentsRoutes: RouteModule = {
  name: 'intents',
  mount(router, ctx) {
    router.post(
      '/intents',
      route(async (req, res) => {
        const set = await ctx.permission(req).catch(() => {
          throw forbidden()
        })
        const { attributes } = await readJsonApi(req)
        const action = typeof attributes.action === 'string' ? attributes.action : ''
        const type = typeof attributes.type === 'string' ? attributes.type : ''
        if (!action) throw invalidParameter('action', 'Action is missing')
        if (!type) throw invalidParameter('type', 'Type is missing')
        const permissions = Array.isArray(attributes.permissions) ? attributes.permissions.filter((p): p is string => typeof p === 'string') : []
        // pdoc.SourceID: "io.cozy.apps/<slug>" for an app token
        const client = set.kind === 'app' && set.sourceSlug ? `io.cozy.apps/${set.sourceSlug}` : set.kind === 'konnector' && set.sourceSlug ? `io.cozy.konnectors/${set.sourceSlug}` : ''
        const saved = (await ctx.instance.dbs.create(INTENTS_DOCTYPE, { action, type, permissions, client, services: [] })) as IntentDoc
        const services: IntentService[] = []
        for (const app of await ctx.instance.listInstalled('webapp')) {
          const slug = String(app.slug)
          const declared = findIntent(app.intents, action, type)
          if (declared && ctx.instance.state.apps[slug]) services.push({ slug, href: serviceHref(ctx, slug, typeof declared.href === 'string' ? declared.href : '', saved._id) })
        }
        const doc = (await ctx.instance.dbs.put(INTENTS_DOCTYPE, { ...saved, services })) as IntentDoc
        send(ctx, res, doc)
      })
    )
    router.get(
      '/intents/:id',
      route(async (req, res) => {
        const set = await ctx.permission(req).catch(() => {
          throw forbidden()
        })
        const doc = (await ctx.instance.dbs.getOrNull(INTENTS_DOCTYPE, req.params.id)) as IntentDoc | null
        if (!doc) throw jsonApiError(404, 'missing')
        if (set.kind !== 'app' || !doc.services.some(s => s.slug === set.sourceSlug)) throw forbidden()
        send(ctx, res, doc)
      })
    )
  }
}
