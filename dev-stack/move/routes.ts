import type { IncomingMessage } from 'http'
import type { Duplex } from 'stream'
import type { Request } from 'express'
import { WebSocketServer, type WebSocket } from 'ws'
import type { RouteModule, StackContext } from '../context'
import { httpError, route, StackError } from '../http/errors'
import { queryString } from '../http/body'
import { SESSIONS_DOCTYPE } from '../instance/instance'
import { bindAttributes } from './bind'
import { EXPORTS_DOCTYPE, exportFromMac, exportResource, listExports, settingsOrigin } from './export-doc'
import { checkPartReadable, parseCursor, partFileName, writePart } from './export-data'
import { checkImport, manifestUrlFromSettingsUrl } from './import-flow'
import { blockingReason, block, checkExportRateLimit, markMoved, moveSettings, unblock, updateMoveSettings } from './instance-settings'
import { sendMoveMail } from './mails'
import { accessTokenFor, createAccessCode, createClient, diskInfo, EXPORTS_REQUESTS_SCOPE, findAccessCode, findClient, mountOAuthRoutes, MOVE_SCOPE, readForm, SOURCE_CLIENT_ID } from './oauth'
import { errorPage, importingPage, moveConfirmPage, sendPage, vaultPage } from './pages'
import { getRequest, saveRequest, type MoveRequest } from './request-store'
import { exportWorker, importWorker, otherInstanceUrl } from './workers'
import { ZipStreamWriter } from './zip-writer'

/** model/instance MoveURL: the stack's default `move.url`. */
const DEFAULT_MOVE_URL = 'https://move.cozycloud.cc/'

function loginUrl(ctx: StackContext, redirect: string): string {
  return `${ctx.instance.url}auth/login?${new URLSearchParams({ redirect }).toString()}`
}

function requestUrl(ctx: StackContext, req: Request): string {
  return new URL(req.originalUrl, ctx.instance.url).toString()
}

/** request.go checkSourceToken: an access token of this instance, for the client whose id and secret are given. */
async function checkSourceToken(ctx: StackContext, source: MoveRequest['source']): Promise<void> {
  const claims = ctx.instance.verifyClaims(source.token)
  if (!claims || claims.aud !== 'access-token') throw new Error('Invalid JWT token')
  const client = await findClient(ctx.instance, claims.sub)
  if (!client || client.client_id !== source.clientId || client.client_secret !== source.clientSecret) throw new Error('Invalid JWT token')
}

/** request.go checkSourceCode: a code of the fake "move" client with the io.cozy.exports.requests scope. */
async function checkSourceCode(ctx: StackContext, code: string): Promise<void> {
  const access = await findAccessCode(ctx.instance, code)
  if (!access || access.client_id !== SOURCE_CLIENT_ID || access.scope !== EXPORTS_REQUESTS_SCOPE) throw new Error('Invalid JWT token')
}

/** request.go CreateRequestClient: the OAuth client the stack creates for itself. */
function createRequestClient(ctx: StackContext) {
  const moveUrl = ctx.stack.config.moveWizardUrl ?? DEFAULT_MOVE_URL
  return createClient(ctx.instance, { redirect_uris: [`${moveUrl}/fake`], client_name: 'cozy-stack', software_id: 'github.com/cozy/cozy-stack' })
}

/** instance.HasDomain: is this URL (with or without a scheme) this instance? */
function isOwnDomain(ctx: StackContext, value: string): boolean {
  try {
    return new URL(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`).host === ctx.instance.domain
  } catch {
    return value === ctx.instance.domain
  }
}

/** request.go CreateRequest: checks the form of the wizard and stores the request. */
async function createRequest(ctx: StackContext, params: URLSearchParams): Promise<{ request: MoveRequest; link: string }> {
  const get = (k: string): string => params.get(k) ?? ''
  let source: MoveRequest['source']
  const code = get('code')
  if (code === '') {
    if (!get('client_id')) throw new Error('No client_id')
    if (!get('client_secret')) throw new Error('No client_secret')
    if (!get('token')) throw new Error('No code or token')
    source = { clientId: get('client_id'), clientSecret: get('client_secret'), token: get('token') }
    await checkSourceToken(ctx, source)
  } else {
    await checkSourceCode(ctx, code)
    const client = await createRequestClient(ctx)
    source = { clientId: client.client_id, clientSecret: client.client_secret, token: accessTokenFor(ctx.instance, client.client_id, MOVE_SCOPE) }
  }
  const targetUrl = get('target_url')
  if (!targetUrl) throw new Error('No target_url')
  if (isOwnDomain(ctx, targetUrl)) throw new Error('Invalid target_url')
  if (!get('target_token')) throw new Error('No target_token')
  if (!get('target_client_id')) throw new Error('No target_client_id')
  if (!get('target_client_secret')) throw new Error('No target_client_secret')
  const request: MoveRequest = {
    source,
    target: { token: get('target_token'), clientId: get('target_client_id'), clientSecret: get('target_client_secret') },
    target_url: targetUrl,
    ignoreVault: get('ignore_vault') !== ''
  }
  const secret = saveRequest(ctx.instance, request)
  return { request, link: `${ctx.instance.url}move/go?${new URLSearchParams({ secret }).toString()}` }
}

function targetHost(target: string): string {
  try {
    return new URL(target).host
  } catch {
    return target
  }
}

/**
 * The move routes (docs/move.md; web/move/move.go Routes) and the OAuth routes a move wizard
 * uses (web/auth/oauth.go). The `export` and `import` workers (worker/moves/workers.go) are
 * registered on each instance's job system.
 */
export const moveRoutes: RouteModule = {
  name: 'move',
  mount(router, ctx) {
    const instance = ctx.instance
    instance.jobs.registerWorker(exportWorker)
    instance.jobs.registerWorker(importWorker)
    mountOAuthRoutes(router, ctx)

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

    // docs/move.md "GET /move/authorize"; move.go getAuthorizeCode (303; docs/move.md says 302)
    router.get(
      '/move/authorize',
      route(async (req, res) => {
        if (!(await ctx.session(req))) {
          res.redirect(303, loginUrl(ctx, requestUrl(ctx, req)))
          return
        }
        checkExportRateLimit(instance)
        const raw = queryString(req, 'redirect_uri') ?? ''
        let u: URL
        try {
          u = new URL(raw)
        } catch {
          throw httpError(400, raw === '' || !raw.includes(':') ? 'bad url: bad scheme' : 'bad url: could not parse')
        }
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw httpError(400, 'bad url: bad scheme')
        const code = await createAccessCode(instance, SOURCE_CLIENT_ID, EXPORTS_REQUESTS_SCOPE)
        const info = await diskInfo(instance)
        u.searchParams.set('state', queryString(req, 'state') ?? '')
        u.searchParams.set('code', code)
        u.searchParams.set('vault', 'false')
        u.searchParams.set('used', info.used)
        if (info.quota) u.searchParams.set('quota', info.quota)
        u.hash = ''
        res.redirect(303, `${u.toString()}#`)
      })
    )

    // docs/move.md "POST /move/initialize"; move.go initializeMove: a form POST with the session, 307 to the wizard
    router.post(
      '/move/initialize',
      route(async (req, res) => {
        if (!(await ctx.session(req))) {
          res.redirect(303, loginUrl(ctx, settingsOrigin(instance)))
          return
        }
        checkExportRateLimit(instance)
        let u: URL
        try {
          u = new URL(ctx.stack.config.moveWizardUrl ?? DEFAULT_MOVE_URL)
        } catch {
          throw httpError(400, 'bad url: could not parse')
        }
        u.pathname = '/initialize'
        const info = await diskInfo(instance)
        const client = await createRequestClient(ctx)
        const code = await createAccessCode(instance, client.client_id, MOVE_SCOPE)
        u.searchParams.set('client_id', client.client_id)
        u.searchParams.set('client_secret', client.client_secret)
        u.searchParams.set('code', code)
        u.searchParams.set('vault', 'false')
        u.searchParams.set('used', info.used)
        if (info.quota) u.searchParams.set('quota', info.quota)
        u.searchParams.set('cozy_url', instance.url)
        res.redirect(307, u.toString())
      })
    )

    // docs/move.md "POST /move/request"; move.go requestMove: the confirmation mail and page
    router.post(
      '/move/request',
      route(async (req, res) => {
        let created: { request: MoveRequest; link: string }
        try {
          created = await createRequest(ctx, await readForm(req))
        } catch (err) {
          sendPage(res, 400, errorPage(instance, (err as Error).message))
          return
        }
        await sendMoveMail(instance, 'move_confirm', { ConfirmLink: created.link, Source: instance.domain, Target: targetHost(created.request.target_url) })
        sendPage(res, 200, moveConfirmPage(instance, instance.state.email))
      })
    )

    // docs/move.md "GET /move/go"; move.go startMove + request.go StartMove
    router.get(
      '/move/go',
      route(async (req, res) => {
        if (!(await ctx.session(req))) throw httpError(401, 'You must be authenticated')
        const request = getRequest(instance, queryString(req, 'secret') ?? '')
        if (!request) return sendPage(res, 400, errorPage(instance, 'Invalid secret'))
        try {
          const blockRes = await fetch(otherInstanceUrl(request.target_url, '/move/importing', { source: instance.domain }), {
            method: 'POST',
            headers: { Authorization: `Bearer ${request.target.token}` },
            signal: AbortSignal.timeout(30_000)
          })
          // the stack does not look at the status
          await blockRes.body?.cancel()
        } catch {
          return sendPage(res, 400, errorPage(instance, 'Cannot reach the other Cozy'))
        }
        await updateMoveSettings(instance, s => {
          s.moved_to = request.target_url
        })
        await instance.jobs.push({
          worker: 'export',
          message: {
            contextual_domain: instance.domain,
            token_source: request.source.token,
            move_to: { url: request.target_url, token: request.target.token, client_id: request.target.clientId, client_secret: request.target.clientSecret },
            ignore_vault: request.ignoreVault || undefined
          }
        })
        res.redirect(303, otherInstanceUrl(request.target_url, '/move/importing'))
      })
    )

    // docs/move.md "POST /move/finalize"; request.go Finalize: stop the konnectors, mark moved, unblock
    router.post(
      '/move/finalize',
      route(async (req, res) => {
        await ctx.allowWholeType(req, 'POST', 'io.cozy.imports')
        for (const t of await instance.jobs.allTriggers()) {
          if (t.worker === 'konnector') await instance.jobs.deleteTrigger(t)
        }
        await markMoved(instance)
        await unblock(instance)
        await updateMoveSettings(instance, s => {
          s.moved_to_subdomain_type = queryString(req, 'subdomain') ?? ''
        })
        res.status(204).end()
      })
    )

    // docs/move.md "POST /move/abort"; move.go abortMove
    router.post(
      '/move/abort',
      route(async (req, res) => {
        await ctx.allowWholeType(req, 'POST', 'io.cozy.imports')
        await unblock(instance)
        res.status(204).end()
      })
    )

    // web/settings/instance.go clearMovedFrom (cozy-home's "moved" modal): the user's session only
    router.delete(
      '/settings/instance/moved_from',
      route(async (req, res) => {
        if (!(await ctx.session(req))) throw httpError(403)
        await updateMoveSettings(instance, s => {
          delete s.moved_from
        })
        res.status(204).end()
      })
    )

    // move.go importVault: how to import the passwords after a move
    router.get(
      '/move/vault',
      route(async (req, res) => {
        if (!(await ctx.session(req))) {
          res.redirect(303, loginUrl(ctx, requestUrl(ctx, req)))
          return
        }
        await updateMoveSettings(instance, s => {
          delete s.import_vault
        })
        const first = Object.keys(instance.state.apps)[0]
        sendPage(res, 200, vaultPage(instance, first ? instance.appUrl(first) : instance.url))
      })
    )
  },

  /**
   * After a restart, like jobs.start marks interrupted jobs errored: an export left
   * "exporting" becomes "error" (else every new export would get the 409 for a day) and an
   * import that was running no longer blocks the instance.
   */
  start: async ctx => {
    const instance = ctx.instance
    for (const doc of await listExports(instance)) {
      if (doc.state === 'exporting') await instance.dbs.put(EXPORTS_DOCTYPE, { ...doc, state: 'error', error: 'the stack was stopped during this export' })
    }
    if (blockingReason(instance) === 'IMPORTING' || moveSettings(instance).importing) {
      ctx.stack.config.log(`[move] ${instance.name}: the import was interrupted by a restart; the instance is unblocked`)
      await updateMoveSettings(instance, s => {
        delete s.importing
      })
      await unblock(instance)
    }
  },

  // move.go wsImporting: one message {"redirect": <login page>} once no import is running
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ctx: StackContext): boolean {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== '/move/importing/realtime') return false
    let wss = sockets.get(ctx)
    if (!wss) {
      wss = new WebSocketServer({ noServer: true, handleProtocols: protocols => (protocols.has('io.cozy.websocket') ? 'io.cozy.websocket' : false) })
      sockets.set(ctx, wss)
    }
    wss.handleUpgrade(req, socket, head, ws => waitForImport(ws, ctx))
    return true
  },

  stop: async ctx => {
    const wss = sockets.get(ctx)
    if (!wss) return
    for (const client of wss.clients) client.terminate()
    await new Promise<void>(resolve => wss.close(() => resolve()))
  }
}

const sockets = new WeakMap<StackContext, WebSocketServer>()

/**
 * move.ImportIsFinished is "no `importing` flag". The stack also says "finished" while a
 * target is blocked for a move whose export has not reached it yet, which sends the waiting
 * page to a blocked login page; the stand-in waits until the instance is unblocked too.
 */
function importFinished(ctx: StackContext): boolean {
  return !moveSettings(ctx.instance).importing && blockingReason(ctx.instance) === null
}

function waitForImport(ws: WebSocket, ctx: StackContext): void {
  let sent = false
  const done = (): void => {
    if (sent) return
    sent = true
    clearInterval(timer)
    unsubscribe()
    ws.send(JSON.stringify({ redirect: `${ctx.instance.url}auth/login` }), () => ws.close())
  }
  const timer = setInterval(() => {
    if (importFinished(ctx)) done()
  }, 250)
  const unsubscribe = ctx.instance.realtime.subscribe(event => {
    if (event.doctype !== 'io.cozy.jobs' || event.doc.worker !== 'import') return
    if (event.doc.state === 'done' || event.doc.state === 'errored') done()
  })
  ws.on('close', () => {
    clearInterval(timer)
    unsubscribe()
  })
  if (importFinished(ctx)) done()
}

