import type { RouteModule } from '../context'
import { jsonApiError, route } from '../http/errors'
import { readJsonApi } from '../http/body'

const NOTIFICATIONS = 'io.cozy.notifications'

/**
 * POST /notifications (docs/notifications.md; web/notifications/notifications.go,
 * model/notification/center): no io.cozy.notifications permission is checked, but only a
 * webapp or konnector may notify, in a category its manifest declares (403 otherwise). With no
 * mobile device the stack falls back to mail: the notification lands in the outbox.
 */
export const notificationsRoutes: RouteModule = {
  name: 'notifications',
  mount(router, ctx) {
    router.post(
      '/notifications',
      route(async (req, res) => {
        const { attributes } = await readJsonApi(req)
        const set = await ctx.permission(req)
        if (typeof attributes.title !== 'string' || attributes.title === '') throw jsonApiError(400, 'Notification is not valid')
        if ((set.kind !== 'app' && set.kind !== 'konnector') || !set.sourceSlug) throw jsonApiError(403, 'Not authorized to send notification')
        const manifest = await ctx.instance.manifestOf(set.kind === 'app' ? 'webapp' : 'konnector', set.sourceSlug)
        const categories = manifest?.notifications as Record<string, unknown> | undefined
        if (!categories) throw jsonApiError(403, 'No category for this app')
        const category = typeof attributes.category === 'string' ? attributes.category : ''
        if (!(category in categories)) throw jsonApiError(403, 'Notification category does not exist')
        const categoryId = typeof attributes.category_id === 'string' ? attributes.category_id : undefined
        const doc: Record<string, unknown> = {
          source_id: ['cozy', set.kind === 'app' ? 'app' : 'konnector', set.sourceSlug, category, categoryId].filter(Boolean).join('/'),
          originator: set.kind === 'app' ? 'app' : 'konnector',
          slug: set.sourceSlug,
          category,
          title: attributes.title,
          created_at: new Date().toISOString(),
          last_sent: new Date().toISOString()
        }
        for (const k of ['category_id', 'message', 'priority', 'state', 'data', 'preferred_channels', 'at'] as const) if (attributes[k] !== undefined) doc[k] = attributes[k]
        const saved = await ctx.instance.dbs.create(NOTIFICATIONS, doc)
        await ctx.stack.outbox.send({
          instance: ctx.instance.domain,
          to: ctx.instance.state.email,
          subject: String(attributes.title),
          template: 'notification',
          text: typeof attributes.message === 'string' ? attributes.message : String(attributes.title),
          values: { slug: set.sourceSlug, category, data: attributes.data ?? {} }
        })
        const { _id, _rev, ...rest } = saved
        res.status(201).type('application/vnd.api+json').send(JSON.stringify({ data: { type: NOTIFICATIONS, id: _id, attributes: rest, meta: { rev: _rev }, links: { self: `/notifications/${_id}` } } }))
      })
    )
  }
}
