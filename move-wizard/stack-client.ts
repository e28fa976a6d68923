import http from 'http'
import https from 'https'
import { isIP, type LookupFunction } from 'net'
import { pinPublicHost, type AddressRules, type PinnedHost, type Resolve } from './cozy-address'

/**
 * The wizard's server-to-server calls to a Cozy (reference/cozy-stack-api.md §3.2 steps 2–5):
 * GET /status, POST /auth/register, POST /auth/access_token. Redirects are never followed,
 * bodies are capped, and nothing here logs a code, secret or token.
 */

/** What went wrong with a Cozy; each reason has its message under moveWizard.errors. */
export type StackFailure = 'unreachable' | 'notACozy' | 'registerRefused' | 'codeRefused'

export class StackCallError extends Error {
  constructor(
    readonly reason: StackFailure,
    detail: string
  ) {
    super(`${reason}: ${detail}`)
  }
}

export interface RegisteredClient {
  clientId: string
  clientSecret: string
}

const MAX_BODY_BYTES = 64 * 1024
const SOFTWARE_ID = 'github.com/mes-donnees/move-wizard'
const SOFTWARE_VERSION = '0.1.0'

interface Answer {
  status: number
  json: Record<string, unknown> | undefined
}

export interface StackClientOptions {
  timeoutMs: number
  rules: AddressRules
  /** How host names are resolved (tests give their own; default: the system's resolver). */
  resolve?: Resolve
  /** Tests only: which addresses count as public (see pinPublicHost). */
  isAllowedAddress?: (address: string) => boolean
}

export class StackClient {
  constructor(private readonly options: StackClientOptions) {}

  /**
   * One call to a Cozy. The host is resolved and checked once (pinPublicHost), then the socket
   * connects to that checked address while the Host header and TLS (SNI, certificate) keep the
   * host name: nothing resolves the name a second time. AddressError passes through.
   */
  private async call(cozyUrl: string, path: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
    const url = new URL(path, cozyUrl)
    const pin = await pinPublicHost(cozyUrl, this.options.rules, this.options.resolve, this.options.isAllowedAddress)
    const where = `${init.method} ${url.origin}${url.pathname}`
    try {
      return await pinnedRequest(url, pin, init, this.options.timeoutMs)
    } catch (err) {
      throw new StackCallError('unreachable', `${where}: ${(err as Error).name}`)
    }
  }

  /** A Cozy answers GET /status with 200 and a JSON status (reference §3.2 step 3.2). */
  async checkStatus(cozyUrl: string): Promise<void> {
    const answer = await this.call(cozyUrl, 'status', { method: 'GET' })
    if (answer.status !== 200 || !answer.json || !('status' in answer.json || 'message' in answer.json)) {
      throw new StackCallError('notACozy', `GET /status answered ${answer.status}`)
    }
  }

  /**
   * Registers the wizard as an OAuth client of a Cozy (POST /auth/register, 201). The name is
   * what the Cozy's owner sees among their connected clients, so it comes in their language.
   */
  async register(cozyUrl: string, wizardUrl: string, redirectUri: string, clientName: string): Promise<RegisteredClient> {
    const answer = await this.call(cozyUrl, 'auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_name: clientName,
        client_kind: 'web',
        client_uri: wizardUrl,
        redirect_uris: [redirectUri],
        software_id: SOFTWARE_ID,
        software_version: SOFTWARE_VERSION
      })
    })
    const id = answer.json?.client_id
    const secret = answer.json?.client_secret
    if ((answer.status !== 201 && answer.status !== 200) || typeof id !== 'string' || typeof secret !== 'string' || !id || !secret) {
      throw new StackCallError('registerRefused', `POST /auth/register answered ${answer.status}`)
    }
    return { clientId: id, clientSecret: secret }
  }

  /** Exchanges an access code for a token with the move scope (POST /auth/access_token). */
  async exchangeCode(cozyUrl: string, code: string, client: RegisteredClient): Promise<string> {
    const answer = await this.call(cozyUrl, 'auth/access_token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: client.clientId,
        client_secret: client.clientSecret
      }).toString()
    })
    const token = answer.json?.access_token
    if (answer.status !== 200 || typeof token !== 'string' || token === '') {
      throw new StackCallError('codeRefused', `POST /auth/access_token answered ${answer.status}`)
    }
    return token
  }
}

/** An HTTP(S) request whose socket goes to `pin.address`; redirects are not followed, the body is capped. */
function pinnedRequest(url: URL, pin: PinnedHost, init: { method: string; headers?: Record<string, string>; body?: string }, timeoutMs: number): Promise<Answer> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: pin.address, family: pin.family }])
    else callback(null, pin.address, pin.family)
  }
  const body = init.body ?? ''
  const requestOptions: https.RequestOptions = {
    protocol: url.protocol,
    hostname: pin.hostname,
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    method: init.method,
    headers: { Accept: 'application/json', ...init.headers, 'Content-Length': String(Buffer.byteLength(body)) },
    lookup,
    agent: false,
    signal: AbortSignal.timeout(timeoutMs),
    ...(isIP(pin.hostname) === 0 ? { servername: pin.hostname } : {})
  }
  return new Promise<Answer>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(requestOptions, response => {
      const chunks: Uint8Array[] = []
      let size = 0
      let tooLarge = false
      response.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_BODY_BYTES) {
          tooLarge = true
          response.destroy()
          return
        }
        chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      })
      response.on('error', err => (tooLarge ? undefined : reject(err)))
      response.on('close', () => {
        const text = tooLarge ? '' : Buffer.concat(chunks).toString('utf8')
        resolve({ status: response.statusCode ?? 0, json: parseObject(text) })
      })
    })
    request.on('error', reject)
    request.end(body)
  })
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
