import type { Request, Response, Router } from 'express'
import type { StackContext } from '../context'
import { httpError, route } from '../http/errors'
import { queryString } from '../http/body'
import { settingsOrigin } from './export-doc'
import { checkExportRateLimit, markMoved, unblock, updateMoveSettings } from './instance-settings'
import { sendMoveMail } from './mails'
import { accessTokenFor, createAccessCode, createClient, diskInfo, EXPORTS_REQUESTS_SCOPE, findAccessCode, findClient, MOVE_SCOPE, readForm, SOURCE_CLIENT_ID } from './oauth'
import { errorPage, moveConfirmPage, sendPage, vaultPage } from './pages'
import { getRequest, saveRequest, type MoveRequest } from './request-store'
import { otherInstanceUrl } from './workers'

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
 * The move protocol between two instances (docs/move.md, web/move/move.go,
 * model/move/request.go): the wizard's entry points on the source, the confirmation, the start,
 * and the calls one instance makes on the other at the end.
 */
export function mountProtocolRoutes(router: Router, ctx: StackContext): void {
  // docs/move.md "GET /move/authorize"; move.go getAuthorizeCode (303; docs/move.md says 302)
  router.get(
    '/move/authorize',
    route((req, res) => authorize(ctx, req, res))
  )

  // docs/move.md "POST /move/initialize"; move.go initializeMove: a form POST with the session, 307 to the wizard
  router.post(
    '/move/initialize',
    route((req, res) => initializeMove(ctx, req, res))
  )

  // docs/move.md "POST /move/request"; move.go requestMove: the confirmation mail and page
  router.post(
    '/move/request',
    route((req, res) => requestMove(ctx, req, res))
  )

  // docs/move.md "GET /move/go"; move.go startMove + request.go StartMove. docs/move-design.md says
  // the source is blocked during the export; the code never blocks the source, nor does the stand-in.
  router.get(
    '/move/go',
    route((req, res) => startMove(ctx, req, res))
  )

  // docs/move.md "POST /move/finalize"; request.go Finalize: stop the konnectors, mark moved, unblock
  router.post(
    '/move/finalize',
    route((req, res) => finalizeMove(ctx, req, res))
  )

  // docs/move.md "POST /move/abort"; move.go abortMove
  router.post(
    '/move/abort',
    route((req, res) => abortMove(ctx, req, res))
  )

  // web/settings/instance.go clearMovedFrom (cozy-home's "moved" modal): the user's session only
  router.delete(
    '/settings/instance/moved_from',
    route((req, res) => clearMovedFrom(ctx, req, res))
  )

  // move.go importVault: how to import the passwords after a move
  router.get(
    '/move/vault',
    route((req, res) => importVault(ctx, req, res))
  )
}

async function authorize(ctx: StackContext, req: Request, res: Response): Promise<void> {
  const instance = ctx.instance
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
}

async function initializeMove(ctx: StackContext, req: Request, res: Response): Promise<void> {
  const instance = ctx.instance
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
}

async function requestMove(ctx: StackContext, req: Request, res: Response): Promise<void> {
  const instance = ctx.instance
  let created: { request: MoveRequest; link: string }
  try {
    created = await createRequest(ctx, await readForm(req))
  } catch (err) {
    sendPage(res, 400, errorPage(instance, (err as Error).message))
    return
  }
  await sendMoveMail(instance, 'move_confirm', { ConfirmLink: created.link, Source: instance.domain, Target: targetHost(created.request.target_url) })
  sendPage(res, 200, moveConfirmPage(instance, instance.state.email))
}

async function startMove(ctx: StackContext, req: Request, res: Response): Promise<void> {
  const instance = ctx.instance
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
}

async function finalizeMove(ctx: StackContext, req: Request, res: Response): Promise<void> {
  const instance = ctx.instance
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
}

async function abortMove(ctx: StackContext, req: Request, res: Response): Promise<void> {
  const instance = ctx.instance
  await ctx.allowWholeType(req, 'POST', 'io.cozy.imports')
  await unblock(instance)
  res.status(204).end()
}

async function clearMovedFrom(ctx: StackContext, req: Request, res: Response): Promise<void> {
  const instance = ctx.instance
  if (!(await ctx.session(req))) throw httpError(403)
  await updateMoveSettings(instance, s => {
    delete s.moved_from
  })
  res.status(204).end()
}

async function importVault(ctx: StackContext, req: Request, res: Response): Promise<void> {
  const instance = ctx.instance
  if (!(await ctx.session(req))) {
    res.redirect(303, loginUrl(ctx, requestUrl(ctx, req)))
    return
  }
  await updateMoveSettings(instance, s => {
    delete s.import_vault
  })
  const first = Object.keys(instance.state.apps)[0]
  sendPage(res, 200, vaultPage(instance, first ? instance.appUrl(first) : instance.url))
}
