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

export class StackClient {
  constructor(private readonly timeoutMs: number) {}

  private async call(cozyUrl: string, path: string, init: RequestInit): Promise<Answer> {
    const url = new URL(path, cozyUrl)
    let response: Response
    try {
      response = await fetch(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { Accept: 'application/json', ...(init.headers as Record<string, string>) }
      })
    } catch (err) {
      throw new StackCallError('unreachable', `${init.method ?? 'GET'} ${url.origin}${url.pathname}: ${(err as Error).name}`)
    }
    let text: string
    try {
      text = await readCapped(response)
    } catch (err) {
      throw new StackCallError('unreachable', `${init.method ?? 'GET'} ${url.origin}${url.pathname}: ${(err as Error).name}`)
    }
    let json: Record<string, unknown> | undefined
    try {
      const parsed: unknown = JSON.parse(text)
      json = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
    } catch {
      json = undefined
    }
    return { status: response.status, json }
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

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_BODY_BYTES) {
      await reader.cancel()
      return ''
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}
