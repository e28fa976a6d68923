import type { IncomingMessage, ServerResponse } from 'http'
import { readFileSync } from 'fs'
import path from 'path'

/** The HTTP plumbing of the wizard: failures, forms, cookies, headers, client address, assets. */

/** A refused request: its status and the translation key of the message shown to the user. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: string,
    readonly vars: Record<string, string> = {}
  ) {
    super(messageKey)
  }
}

const MAX_FORM_BYTES = 16 * 1024

/** An urlencoded body (anything else reads as empty), refused over 16 KiB. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Uint8Array).length
    if (size > MAX_FORM_BYTES) throw new HttpFailure(413, 'errors.badRequest')
    chunks.push(chunk as Uint8Array)
  }
  if (type !== 'application/x-www-form-urlencoded') return new URLSearchParams()
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=')
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim()
  }
  return undefined
}

/** HttpOnly and SameSite=Lax: sent on the top-level GET of a Cozy's redirect back, never readable by scripts. */
export function cookieHeader(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`
}

/**
 * Headers of every answer: no script at all, forms only to the wizard (and to the Cozies a given
 * page's form leads to, as CSP form-action also covers the redirects after a form), no framing,
 * no referrer (callback addresses carry codes), nothing cached.
 */
export function securityHeaders(res: ServerResponse, options: { formTargets?: string[]; https: boolean }): void {
  const formAction = ["'self'", ...(options.formTargets ?? [])].join(' ')
  res.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('Cache-Control', 'no-store')
  if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000')
}

/** The client's address for rate limiting: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for']
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim()
    if (first) return first
  }
  return req.socket.remoteAddress ?? 'unknown'
}

function firstReadable(candidates: string[]): Buffer {
  for (const file of candidates) {
    try {
      return readFileSync(file)
    } catch {
      // try the next place
    }
  }
  throw new Error(`asset not found: ${candidates[0]}`)
}

/** The two stylesheets the pages link: cozy-ui's utilities (its colours and type scale) and the wizard's own. */
export function loadAssets(): Record<string, Buffer> {
  const fromPackage: string[] = []
  try {
    fromPackage.push(path.join(path.dirname(require.resolve('cozy-ui/package.json')), 'dist/cozy-ui.utils.min.css'))
  } catch {
    // resolved from the repository below
  }
  return {
    '/assets/cozy-ui.utils.min.css': firstReadable([...fromPackage, path.resolve(__dirname, '../node_modules/cozy-ui/dist/cozy-ui.utils.min.css')]),
    '/assets/wizard.css': firstReadable([path.join(__dirname, 'assets/wizard.css')])
  }
}
