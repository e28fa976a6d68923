import type { RouteModule } from '../context'
import { jsonApiError, route } from '../http/errors'
import { readJsonApi } from '../http/body'

const NOTIFICATIONS = 'io.cozy.notifications'

/** Fields of notification.Notification (model/notification/notifications.go) a client may set. */
const CLIENT_FIELDS = ['category_id', 'message', 'priority', 'sound', 'state', 'data', 'content', 'content_html'] as const

/**
 * POST /notifications (docs/notifications.md; web/notifications/notifications.go,
 * model/notification/center/notification_center.go Push and makePush): no io.cozy.notifications
 * permission is checked, but only a webapp or konnector may notify (403), one that is installed
 * (404 "Application is not installed"), in a category its manifest declares (403 otherwise).
 * The notification is stored without `preferred_channels` and `at`, then each channel is tried
 * in turn, mail always last: "mobile" needs a device registered for push, which the stand-in
 * never has; "mail" (buildMailMessage) sends nothing for an app's category unless
 * `content_html` is set — then a mail with the title as subject, `content` as text/plain and
 * `content_html` as text/html, to the instance's owner.
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
        if (!manifest) throw jsonApiError(404, 'Application is not installed')
        const categories = manifest.notifications as Record<string, unknown> | undefined
        if (!categories) throw jsonApiError(403, 'No category for this app')
        const category = typeof attributes.category === 'string' ? attributes.category : ''
        if (!(category in categories)) throw jsonApiError(403, 'Notification category does not exist')
        const originator = set.kind === 'app' ? 'app' : 'konnector'
        const categoryId = typeof attributes.category_id === 'string' ? attributes.category_id : ''
        const now = new Date().toISOString()
        const doc: Record<string, unknown> = {
          // Notification.Source: always five parts, the last one empty without a category_id
          source_id: `cozy/${originator}/${set.sourceSlug}/${category}/${categoryId}`,
          originator,
          slug: set.sourceSlug,
          category,
          created_at: now,
          last_sent: now,
          title: attributes.title
        }
        for (const k of CLIENT_FIELDS) if (attributes[k] !== undefined && attributes[k] !== '') doc[k] = attributes[k]
        const saved = await ctx.instance.dbs.create(NOTIFICATIONS, doc)
        // The channels asked for, then mail (ensureMailFallback): the stand-in has no device
        // for "mobile" nor a provider for "sms", so only the mail can go out.
        const html = typeof attributes.content_html === 'string' ? attributes.content_html : ''
        if (html) {
          const text = typeof attributes.content === 'string' ? attributes.content : ''
          await ctx.stack.outbox.send({
            instance: ctx.instance.domain,
            to: ctx.instance.state.email,
            subject: attributes.title,
            template: 'notification',
            text,
            html,
            links: [...new Set(`${text} ${html}`.match(/https?:\/\/[^\s"'<>)]+/g) ?? [])],
            values: { slug: set.sourceSlug, category, data: attributes.data ?? {} }
          })
        }
        const { _id, _rev, ...rest } = saved
        res.status(201).type('application/vnd.api+json').send(JSON.stringify({ data: { type: NOTIFICATIONS, id: _id, attributes: rest, meta: { rev: _rev }, links: { self: `/notifications/${_id}` } } }))
      })
    )
  }
}
