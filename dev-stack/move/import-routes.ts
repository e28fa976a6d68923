import type { Router } from 'express'
import type { StackContext } from '../context'
import { route, StackError } from '../http/errors'
import { queryString } from '../http/body'
import { SESSIONS_DOCTYPE } from '../instance/instance'
import { bindAttributes } from './bind'
import { checkImport, manifestUrlFromSettingsUrl } from './import-flow'
import { block, blockingReason, moveSettings, updateMoveSettings } from './instance-settings'
import { errorPage, importingPage, sendPage } from './pages'

/** The import routes of web/move/move.go: precheck, start, block for a move, the waiting page. */
export function mountImportRoutes(router: Router, ctx: StackContext): void {
  const instance = ctx.instance

  /**
   * docs/move.md "POST /move/imports/precheck"; move.go precheckImport: 204, 412 when no
   * finished export is behind the URL, 413 when it does not fit (docs/move.md says 422; the
   * code sends http.StatusRequestEntityTooLarge).
   */
  router.post(
    '/move/imports/precheck',
    route(async (req, res) => {
      await ctx.allowWholeType(req, 'POST', 'io.cozy.imports')
      const { url } = await bindAttributes(req, { url: 'string' })
      try {
        await checkImport(ctx.stack, instance, typeof url === 'string' ? url : '')
      } catch (err) {
        const e = err as { status?: number; detail?: string }
        if (e.status === 404) {
          // jsonapi.PreconditionFailed("url", err)
          throw new StackError(412, 'jsonapi', 'exports: not found', { source: { parameter: 'url' } })
        }
        throw err
      }
      res.status(204).end()
    })
  )

  // docs/move.md "POST /move/imports"; move.go createImport + import.go ScheduleImport
  router.post(
    '/move/imports',
    route(async (req, res) => {
      await ctx.allowWholeType(req, 'POST', 'io.cozy.imports')
      const attrs = await bindAttributes(req, { url: 'string', vault: 'bool', move_from: 'object' })
      let manifestUrl: string
      try {
        manifestUrl = manifestUrlFromSettingsUrl(ctx.stack, typeof attrs.url === 'string' ? attrs.url : '')
      } catch {
        sendPage(res, 500, errorPage(instance, 'exports: not found'))
        return
      }
      const message: Record<string, unknown> = { manifest_url: manifestUrl }
      if (attrs.vault === true) message.vault = true
      const from = attrs.move_from as Record<string, unknown> | undefined
      if (from && typeof from.url === 'string' && typeof from.token === 'string') message.move_from = { url: from.url, token: from.token }
      // the stack pushes the job first; the flag is set first here so that a very fast job cannot clear it before it is set
      await updateMoveSettings(instance, s => {
        s.importing = true
      })
      await instance.jobs.push({ worker: 'import', message })
      res.redirect(303, `${instance.url}move/importing`)
    })
  )

  // docs/move.md "POST /move/importing"; move.go blockForImport: log everybody out, remember the source, block
  router.post(
    '/move/importing',
    route(async (req, res) => {
      await ctx.allowWholeType(req, 'POST', 'io.cozy.imports')
      for (const s of await instance.dbs.list(SESSIONS_DOCTYPE)) await instance.deleteSession(s._id)
      const source = queryString(req, 'source')
      if (source) {
        await updateMoveSettings(instance, s => {
          s.moved_from = source
        })
      }
      await block(instance, 'MOVING')
      res.status(204).end()
    })
  )

  // docs/move.md "GET /move/importing"; move.go waitImportHasFinished: the waiting page
  router.get('/move/importing', (_req, res) => {
    const moving = blockingReason(instance) === 'MOVING'
    sendPage(res, 200, importingPage(instance, moving, moving ? (moveSettings(instance).moved_from ?? '?') : '?'))
  })

}
