import type { Router } from 'express'
import type { StackContext } from '../context'
import { route } from '../http/errors'
import { queryString } from '../http/body'
import { bindAttributes } from './bind'
import { exportFromMac, exportResource, settingsOrigin } from './export-doc'
import { checkPartReadable, parseCursor, partFileName, writePart } from './export-data'
import { checkExportRateLimit } from './instance-settings'
import { ZipStreamWriter } from './zip-writer'

/** The export routes of web/move/move.go: start an export, read it by MAC, download its parts. */
export function mountExportRoutes(router: Router, ctx: StackContext): void {
  const instance = ctx.instance

  // docs/move.md "POST /move/exports"; web/move/move.go createExport: rate limit first, then permission
  router.post(
    '/move/exports',
    route(async (req, res) => {
      checkExportRateLimit(instance)
      await ctx.allowWholeType(req, 'POST', 'io.cozy.exports')
      const options = await bindAttributes(req, { parts_size: 'int', max_age: 'int', with_doctypes: 'strings' })
      const message: Record<string, unknown> = { ...options, contextual_domain: instance.domain }
      if (Array.isArray(message.with_doctypes)) message.with_doctypes = (message.with_doctypes as unknown[]).filter((d): d is string => typeof d === 'string')
      await instance.jobs.push({ worker: 'export', message })
      res.status(201).end()
    })
  )

  // docs/move.md "GET /move/exports/:export-mac"; move.go exportHandler: the MAC is the only credential
  router.get(
    '/move/exports/:mac',
    route(async (req, res) => {
      const doc = await exportFromMac(instance, req.params.mac)
      res.status(200).type('application/vnd.api+json').send(JSON.stringify(exportResource(doc)))
    })
  )

  // docs/move.md "GET /move/exports/data/:export-mac"; move.go exportDataHandler: a zip made while it streams
  router.get(
    '/move/exports/data/:mac',
    route(async (req, res) => {
      const doc = await exportFromMac(instance, req.params.mac)
      const cursor = parseCursor(doc, queryString(req, 'cursor'))
      await checkPartReadable(instance, doc, cursor)
      res.setHeader('Content-Security-Policy', `frame-ancestors ${new URL(settingsOrigin(instance)).origin}`)
      res.setHeader('Content-Type', 'application/zip')
      res.setHeader('Content-Disposition', `attachment; filename=${partFileName(doc, cursor)}`)
      res.status(200)
      const zip = new ZipStreamWriter(res)
      try {
        await writePart(instance, doc, cursor, zip)
        await zip.finish()
        res.end()
      } catch (err) {
        ctx.stack.config.log(`[move] export data: ${(err as Error).message}`)
        res.destroy()
      }
    })
  )
}
