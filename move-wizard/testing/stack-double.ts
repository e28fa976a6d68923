import { createServer, type IncomingMessage, type ServerResponse } from 'http'
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

export async function startStackDouble(options: StackDoubleOptions = {}): Promise<StackDouble> {
  const registeredClients = new Map<string, { secret: string; redirectUris: string[]; name?: string }>()
  const codes = new Map<string, { clientId: string; scope: string }>()
  const tokens = new Map<string, { clientId: string; scope: string }>()
  const moveRequests: MoveRequestRecord[] = []
  const requests: string[] = []
  let selfUrl = ''

  function diskParams(q: URLSearchParams): void {
    q.set('vault', String(Boolean(options.vault)))
    if (options.used !== undefined) q.set('used', String(options.used))
    if (options.quota !== undefined) q.set('quota', String(options.quota))
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', selfUrl)
    const route = `${req.method} ${url.pathname}`
    requests.push(`${req.method} ${url.pathname}${url.search}`)
    const text = await body(req)
    const form = new URLSearchParams(text)

    if (route === 'GET /status') {
      if (options.statusCode && options.statusCode !== 200) return html(res, options.statusCode, 'Not found')
      return json(res, 200, { couchdb: 'healthy', cache: 'healthy', fs: 'healthy', status: 'OK', message: 'OK' })
    }

    if (route === 'POST /auth/register') {
      if (options.refuseRegister) return json(res, 404, { error: 'Not found' })
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
      registeredClients.set(id, { secret, redirectUris: uris as string[], name: client.client_name })
      return json(res, 201, { client_id: id, client_secret: secret, registration_access_token: random(), redirect_uris: uris })
    }

    if (route === 'GET /auth/authorize/move') {
      const state = url.searchParams.get('state')
      const clientId = url.searchParams.get('client_id') ?? ''
      const redirectUri = url.searchParams.get('redirect_uri') ?? ''
      if (!state) return html(res, 400, 'Error No state parameter')
      const client = registeredClients.get(clientId)
      if (!client) return html(res, 400, 'Error No registered client')
      if (!client.redirectUris.includes(redirectUri)) return html(res, 400, 'Error Incorrect redirect_uri')
      return html(res, 200, 'Password form')
    }

    if (route === 'POST /auth/authorize/move') {
      if (form.get('passphrase') !== (options.passphrase ?? 'cozy')) return json(res, 401, { error: 'Bad credentials' })
      const clientId = form.get('client_id') ?? ''
      if (!registeredClients.has(clientId)) return json(res, 400, { error: 'no client' })
      const code = random()
      codes.set(code, { clientId, scope: MOVE_SCOPE })
      const redirect = new URL(form.get('redirect') ?? '')
      redirect.searchParams.set('state', form.get('state') ?? '')
      redirect.searchParams.set('code', code)
      diskParams(redirect.searchParams)
      return json(res, 200, { redirect: redirect.href })
    }

    if (route === 'POST /auth/access_token') {
      const code = form.get('code') ?? ''
      const clientId = form.get('client_id') ?? ''
      const granted = codes.get(code)
      const client = registeredClients.get(clientId)
      if (
        options.refuseTokens || form.get('grant_type') !== 'authorization_code' || !granted || !client ||
        granted.clientId !== clientId || client.secret !== form.get('client_secret')
      ) {
        return json(res, 400, { error: 'invalid code' })
      }
      codes.delete(code)
      const token = `tok-${random(32)}`
      tokens.set(token, { clientId, scope: granted.scope })
      return json(res, 200, { access_token: token, token_type: 'bearer', refresh_token: `ref-${random()}`, scope: granted.scope })
    }

    if (route === 'POST /move/initialize') {
      const id = random()
      const secret = random(24)
      registeredClients.set(id, { secret, redirectUris: [`${options.moveUrl ?? ''}/fake`] })
      const code = random()
      codes.set(code, { clientId: id, scope: MOVE_SCOPE })
      const location = new URL('/initialize', options.moveUrl)
      location.searchParams.set('client_id', id)
      location.searchParams.set('client_secret', secret)
      location.searchParams.set('code', code)
      diskParams(location.searchParams)
      location.searchParams.set('cozy_url', selfUrl)
      res.writeHead(307, { Location: location.href })
      res.end()
      return
    }

    if (route === 'GET /move/authorize') {
      const redirect = url.searchParams.get('redirect_uri') ?? ''
      let target: URL
      try {
        target = new URL(redirect)
      } catch {
        return html(res, 400, 'bad url: could not parse')
      }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') return html(res, 400, 'bad url: bad scheme')
      const code = random()
      codes.set(code, { clientId: 'move', scope: 'io.cozy.exports.requests' })
      target.searchParams.set('state', url.searchParams.get('state') ?? '')
      target.searchParams.set('code', code)
      diskParams(target.searchParams)
      target.hash = ''
      res.writeHead(303, { Location: `${target.href}#` })
      res.end()
      return
    }

    if (route === 'POST /move/request') {
      const fields = Object.fromEntries(form.entries())
      let sourceBy: 'token' | 'code'
      if (fields.code) {
        const granted = codes.get(fields.code)
        if (!granted || granted.clientId !== 'move') return html(res, 400, 'Invalid code')
        codes.delete(fields.code)
        sourceBy = 'code'
      } else {
        if (!fields.client_id) return html(res, 400, 'No client_id')
        if (!fields.client_secret) return html(res, 400, 'No client_secret')
        const issued = tokens.get(fields.token ?? '')
        if (!issued || issued.clientId !== fields.client_id || registeredClients.get(fields.client_id)?.secret !== fields.client_secret) {
          return html(res, 400, 'Invalid token')
        }
        sourceBy = 'token'
      }
      if (!fields.target_url) return html(res, 400, 'No target_url')
      if (new URL(fields.target_url).host === new URL(selfUrl).host) return html(res, 400, 'Invalid target_url')
      for (const name of ['target_token', 'target_client_id', 'target_client_secret']) {
        if (!fields[name]) return html(res, 400, `No ${name}`)
      }
      moveRequests.push({ form: fields, sourceBy })
      return html(res, 200, 'Votre demande de déménagement a bien été transmise')
    }

    return json(res, 404, { error: 'Not found' })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  selfUrl = `http://127.0.0.1:${port}/`
  return {
    url: selfUrl,
    host: `127.0.0.1:${port}`,
    options,
    registeredClients,
    tokens,
    moveRequests,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
