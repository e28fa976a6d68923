import type { RouteModule } from '../context'

/**
 * Development routes that exist only in the stand-in (the real stack sends mails by SMTP):
 * GET /dev/mails lists the mails this instance sent, oldest first, as `{"data": [mail…]}`;
 * DELETE /dev/mails empties the outbox. No token: they are for tests and the console.
 */
export const devRoutes: RouteModule = {
  name: 'dev',
  mount(router, ctx) {
    router.get('/dev/mails', (_req, res) => {
      res.json({ data: ctx.stack.outbox.list(ctx.instance.domain) })
    })
    router.delete('/dev/mails', (_req, res) => {
      ctx.stack.outbox.clear()
      res.status(204).end()
    })
  }
}
