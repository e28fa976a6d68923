import { createServer, type IncomingMessage, type ServerResponse } from 'http'
import express, { Router, type Request, type Response } from 'express'
import { randomBytes } from 'crypto'
import type { AddressInfo } from 'net'

/**
 * A small HTTP server on 127.0.0.1 that plays one Cozy's side of the move protocol for the
 * wizard's tests (reference/cozy-stack-api.md §3): /status, /auth/register,
 * /auth/authorize/move, /auth/access_token, /move/initialize, /move/authorize and
 * /move/request, with the stack's checks that matter to the wizard. It is a test helper,
 * not the local stand-in for cozy-stack (dev-stack/).
 */

export interface StackDoubleOptions {
  /** Bytes used; undefined = not reported. */
  used?: number
  /** Quota in bytes; undefined = unlimited (omitted, as the stack does). */
  quota?: number
  vault?: boolean
  passphrase?: string
  /** The wizard's address, as the stack's move.url. */
  moveUrl?: string
  /** Misbehaviours for the refusal tests. */
  statusCode?: number
  refuseRegister?: boolean
  refuseTokens?: boolean
}

export interface MoveRequestRecord {
  form: Record<string, string>
  /** How the source credentials were checked: a token it issued, or a /move/authorize code. */
  sourceBy: 'token' | 'code'
}

export interface StackDouble {
  url: string
  host: string
  options: StackDoubleOptions
  registeredClients: Map<string, { secret: string; redirectUris: string[]; name?: string }>
  /** Access tokens this Cozy issued, with their client and scope. */
  tokens: Map<string, { clientId: string; scope: string }>
  moveRequests: MoveRequestRecord[]
  /** Every request line received (method and path with query), for assertions. */
  requests: string[]
  close(): Promise<void>
}

const MOVE_SCOPE = 'io.cozy.exports.requests io.cozy.imports'

function random(n = 16): string {
  return randomBytes(n).toString('hex')
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Uint8Array[] = []
  for await (const chunk of req) chunks.push(chunk as Uint8Array)
  return Buffer.concat(chunks).toString('utf8')
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify(value))
}

function html(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' })
  res.end(`<!DOCTYPE html><html><body><p>${text}</p></body></html>`)
}

/** What one double remembers between requests. */
interface DoubleState {
  options: StackDoubleOptions
  registeredClients: StackDouble['registeredClients']
  codes: Map<string, { clientId: string; scope: string }>
  tokens: StackDouble['tokens']
  moveRequests: MoveRequestRecord[]
  selfUrl: string
}

/** The request as every route reads it: its URL, and its body both raw and as a form. */
interface Received {
  url: URL
  text: string
  form: URLSearchParams
}

function diskParams(state: DoubleState, q: URLSearchParams): void {
  q.set('vault', String(Boolean(state.options.vault)))
  if (state.options.used !== undefined) q.set('used', String(state.options.used))
  if (state.options.quota !== undefined) q.set('quota', String(state.options.quota))
}

function status(state: DoubleState, _in: Received, res: Response): void {
  if (state.options.statusCode && state.options.statusCode !== 200) return html(res, state.options.statusCode, 'Not found')
  json(res, 200, { couchdb: 'healthy', cache: 'healthy', fs: 'healthy', status: 'OK', message: 'OK' })
}

function register(state: DoubleState, { text }: Received, res: Response): void {
  if (state.options.refuseRegister) return json(res, 404, { error: 'Not found' })
  let client: { client_name?: string; redirect_uris?: unknown; software_id?: string }
  try {
    client = JSON.parse(text)
  } catch {
    return json(res, 400, { error: 'bad json' })
  }
  const uris = client.redirect_uris
  if (!client.client_name || !client.software_id || !Array.isArray(uris) || uris.length === 0 || !uris.every(u => typeof u === 'string')) {
    return json(res, 400, { error: 'invalid_client_metadata' })
  }
  const id = random()
  const secret = random(24)
  state.registeredClients.set(id, { secret, redirectUris: uris as string[], name: client.client_name })
  json(res, 201, { client_id: id, client_secret: secret, registration_access_token: random(), redirect_uris: uris })
}

function authorizeMoveForm(state: DoubleState, { url }: Received, res: Response): void {
  const clientId = url.searchParams.get('client_id') ?? ''
  const redirectUri = url.searchParams.get('redirect_uri') ?? ''
  if (!url.searchParams.get('state')) return html(res, 400, 'Error No state parameter')
  const client = state.registeredClients.get(clientId)
  if (!client) return html(res, 400, 'Error No registered client')
  if (!client.redirectUris.includes(redirectUri)) return html(res, 400, 'Error Incorrect redirect_uri')
  html(res, 200, 'Password form')
}

function authorizeMove(state: DoubleState, { form }: Received, res: Response): void {
  if (form.get('passphrase') !== (state.options.passphrase ?? 'cozy')) return json(res, 401, { error: 'Bad credentials' })
  const clientId = form.get('client_id') ?? ''
  if (!state.registeredClients.has(clientId)) return json(res, 400, { error: 'no client' })
  const code = random()
  state.codes.set(code, { clientId, scope: MOVE_SCOPE })
  const redirect = new URL(form.get('redirect') ?? '')
  redirect.searchParams.set('state', form.get('state') ?? '')
  redirect.searchParams.set('code', code)
  diskParams(state, redirect.searchParams)
  json(res, 200, { redirect: redirect.href })
}

function accessToken(state: DoubleState, { form }: Received, res: Response): void {
  const code = form.get('code') ?? ''
  const clientId = form.get('client_id') ?? ''
  const granted = state.codes.get(code)
  const client = state.registeredClients.get(clientId)
  if (
    state.options.refuseTokens || form.get('grant_type') !== 'authorization_code' || !granted || !client ||
    granted.clientId !== clientId || client.secret !== form.get('client_secret')
  ) {
    return json(res, 400, { error: 'invalid code' })
  }
  state.codes.delete(code)
  const token = `tok-${random(32)}`
  state.tokens.set(token, { clientId, scope: granted.scope })
  json(res, 200, { access_token: token, token_type: 'bearer', refresh_token: `ref-${random()}`, scope: granted.scope })
}

function initializeMove(state: DoubleState, _in: Received, res: Response): void {
  const id = random()
  const secret = random(24)
  state.registeredClients.set(id, { secret, redirectUris: [`${state.options.moveUrl ?? ''}/fake`] })
  const code = random()
  state.codes.set(code, { clientId: id, scope: MOVE_SCOPE })
  const location = new URL('/initialize', state.options.moveUrl)
  location.searchParams.set('client_id', id)
  location.searchParams.set('client_secret', secret)
  location.searchParams.set('code', code)
  diskParams(state, location.searchParams)
  location.searchParams.set('cozy_url', state.selfUrl)
  res.writeHead(307, { Location: location.href })
  res.end()
}

function moveAuthorize(state: DoubleState, { url }: Received, res: Response): void {
  const redirect = url.searchParams.get('redirect_uri') ?? ''
  let target: URL
  try {
    target = new URL(redirect)
  } catch {
    return html(res, 400, 'bad url: could not parse')
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return html(res, 400, 'bad url: bad scheme')
  const code = random()
  state.codes.set(code, { clientId: 'move', scope: 'io.cozy.exports.requests' })
  target.searchParams.set('state', url.searchParams.get('state') ?? '')
  target.searchParams.set('code', code)
  diskParams(state, target.searchParams)
  target.hash = ''
  res.writeHead(303, { Location: `${target.href}#` })
  res.end()
}

/** How the source's credentials check out: a /move/authorize code, or a token it issued; a refusal's text otherwise. */
function sourceCheck(state: DoubleState, fields: Record<string, string>): MoveRequestRecord['sourceBy'] | { refused: string } {
  if (fields.code) {
    const granted = state.codes.get(fields.code)
    if (!granted || granted.clientId !== 'move') return { refused: 'Invalid code' }
    state.codes.delete(fields.code)
    return 'code'
  }
  if (!fields.client_id) return { refused: 'No client_id' }
  if (!fields.client_secret) return { refused: 'No client_secret' }
  const issued = state.tokens.get(fields.token ?? '')
  if (!issued || issued.clientId !== fields.client_id || state.registeredClients.get(fields.client_id)?.secret !== fields.client_secret) {
    return { refused: 'Invalid token' }
  }
  return 'token'
}

function moveRequest(state: DoubleState, { form }: Received, res: Response): void {
  const fields = Object.fromEntries(form.entries())
  const sourceBy = sourceCheck(state, fields)
  if (typeof sourceBy === 'object') return html(res, 400, sourceBy.refused)
  if (!fields.target_url) return html(res, 400, 'No target_url')
  if (new URL(fields.target_url).host === new URL(state.selfUrl).host) return html(res, 400, 'Invalid target_url')
  for (const name of ['target_token', 'target_client_id', 'target_client_secret']) {
    if (!fields[name]) return html(res, 400, `No ${name}`)
  }
  state.moveRequests.push({ form: fields, sourceBy })
  html(res, 200, 'Votre demande de déménagement a bien été transmise')
}

type DoubleRoute = (state: DoubleState, received: Received, res: Response) => void

function doubleRoutes(state: DoubleState): Router {
  const router = Router({ caseSensitive: true, strict: true })
  const on = (run: DoubleRoute) => (_req: Request, res: Response) => run(state, res.locals.received as Received, res)
  router.get('/status', on(status))
  router.post('/auth/register', on(register))
  router.get('/auth/authorize/move', on(authorizeMoveForm))
  router.post('/auth/authorize/move', on(authorizeMove))
  router.post('/auth/access_token', on(accessToken))
  router.post('/move/initialize', on(initializeMove))
  router.get('/move/authorize', on(moveAuthorize))
  router.post('/move/request', on(moveRequest))
  return router
}

/** Every request is recorded and its whole body read, whatever its type, before any route. */
function doubleApp(state: DoubleState, requests: string[]): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.use((req, res, next) => {
    const url = new URL(req.url, state.selfUrl)
    requests.push(`${req.method} ${url.pathname}${url.search}`)
    body(req).then(text => {
      res.locals.received = { url, text, form: new URLSearchParams(text) } satisfies Received
      next()
    }, next)
  })
  app.use(doubleRoutes(state))
  app.use((_req, res) => json(res, 404, { error: 'Not found' }))
  app.use((_err: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    if (!res.headersSent) res.writeHead(500)
    res.end()
  })
  return app
}

export async function startStackDouble(options: StackDoubleOptions = {}): Promise<StackDouble> {
  const state: DoubleState = { options, registeredClients: new Map(), codes: new Map(), tokens: new Map(), moveRequests: [], selfUrl: '' }
  const requests: string[] = []
  const server = createServer(doubleApp(state, requests))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  state.selfUrl = `http://127.0.0.1:${port}/`
  return {
    url: state.selfUrl,
    host: `127.0.0.1:${port}`,
    options,
    registeredClients: state.registeredClients,
    tokens: state.tokens,
    moveRequests: state.moveRequests,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
