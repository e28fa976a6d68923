import type { Request, Response } from 'express'
import type { RouteModule, StackContext } from '../context'
import { forbidden, route } from '../http/errors'
import { readJsonApi } from '../http/body'
import { queryString } from '../http/body'

const SETTINGS = 'io.cozy.settings'

function settingsObject(id: string, attributes: Record<string, unknown>, self: string, rev?: string): string {
  const data: Record<string, unknown> = { type: SETTINGS, id, attributes, links: { self } }
  if (rev) data.meta = { rev }
  return JSON.stringify({ data })
}

function send(res: Response, body: string): void {
  res.status(200).type('application/vnd.api+json').send(body)
}

/** A GET on a settings document by id (settings objects' permissions are only on their id). */
async function allowSettingsDoc(ctx: StackContext, req: Request, verb: 'GET' | 'PUT', id: string): Promise<void> {
  const set = await ctx.permission(req)
  if (!set.allowId(verb, SETTINGS, id)) throw forbidden()
}

function instanceAttributes(ctx: StackContext): Record<string, unknown> {
  const s = ctx.instance.state
  return {
    locale: s.locale,
    password_defined: true,
    auto_update: true,
    email: s.email,
    public_name: s.publicName,
    auth_mode: 'basic',
    default_redirection: '',
    context: s.contextName,
    tos_signed: '1.0.0',
    uuid: s.name,
    oidc_id: undefined,
    // the move fields of the settings document (moved_to, moved_from, importing…), kept by dev-stack/move
    ...(typeof s.extra.settings === 'object' && s.extra.settings !== null ? (s.extra.settings as Record<string, unknown>) : {})
  }
}

/**
 * Settings (docs/settings.md; web/settings/disk_usage.go, instance.go, capabilities.go).
 * disk-usage answers its numbers as strings, omits `quota` when there is none and adds
 * `trash` only with ?include=trash.
 */
export const settingsRoutes: RouteModule = {
  name: 'settings',
  mount(router, ctx) {
    // web/settings/disk_usage.go checkAccessToDiskUsage: GET on the doc; or a webapp token
    // with the user's session (the cozy-bar's case); or, CanWriteToAnyDirectory
    // (web/middlewares/permissions.go), any token with POST on io.cozy.files
    router.get(
      '/settings/disk-usage',
      route(async (req, res) => {
        const set = await ctx.permission(req)
        const allowed =
          set.allowId('GET', SETTINGS, 'io.cozy.settings.disk-usage') ||
          (set.kind === 'app' && (await ctx.session(req)) !== null) ||
          set.allowWholeType('POST', 'io.cozy.files') ||
          set.valuesFor('POST', 'io.cozy.files').length > 0
        if (!allowed) throw forbidden()
        const usage = await ctx.instance.files.diskUsage()
        const attributes: Record<string, string> = { used: String(usage.used) }
        if (ctx.instance.state.quota !== null) attributes.quota = String(ctx.instance.state.quota)
        attributes.files = String(usage.used)
        if (queryString(req, 'include') === 'trash') attributes.trash = String(usage.trash)
        attributes.versions = '0'
        send(res, settingsObject('io.cozy.settings.disk-usage', attributes, '/settings/disk-usage'))
      })
    )

    // web/settings/capabilities.go: any authenticated request
    router.get(
      '/settings/capabilities',
      route(async (req, res) => {
        await ctx.permission(req)
        send(
          res,
          settingsObject(
            'io.cozy.settings.capabilities',
            { file_versioning: false, flat_subdomains: true, can_auth_with_password: true, can_auth_with_magic_links: false, can_auth_with_oidc: false },
            '/settings/capabilities'
          )
        )
      })
    )

    // web/settings/instance.go getInstance: GET on io.cozy.settings.instance
    router.get(
      '/settings/instance',
      route(async (req, res) => {
        await allowSettingsDoc(ctx, req, 'GET', 'io.cozy.settings.instance')
        send(res, settingsObject('io.cozy.settings.instance', instanceAttributes(ctx), '/settings/instance', `1-${ctx.instance.state.secret.slice(0, 8)}`))
      })
    )

    // web/settings/instance.go updateInstance: PUT on io.cozy.settings.instance (locale, email, public_name)
    router.put(
      '/settings/instance',
      route(async (req, res) => {
        const { attributes } = await readJsonApi(req)
        await allowSettingsDoc(ctx, req, 'PUT', 'io.cozy.settings.instance')
        const s = ctx.instance.state
        if (typeof attributes.locale === 'string') s.locale = attributes.locale
        if (typeof attributes.email === 'string') s.email = attributes.email
        if (typeof attributes.public_name === 'string') s.publicName = attributes.public_name
        await ctx.instance.save()
        send(res, settingsObject('io.cozy.settings.instance', instanceAttributes(ctx), '/settings/instance'))
      })
    )
  }
}
