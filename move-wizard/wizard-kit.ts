import type { IncomingMessage, ServerResponse } from 'http'
import type { WizardConfig } from './config'
import { translator, type WizardLocale } from './i18n'
import { sameSecret, SessionSealer, type CozySide, type WizardSession } from './session'
import type { AddressRules } from './cozy-address'
import { StackClient } from './stack-client'
import { spentSessionsFor, type SpentSessions } from './spent-sessions'
import { RateLimiter } from './rate-limit'
import { canSwap, checkMove, isReady } from './move-checks'
import * as views from './views'
import { cookieHeader, HttpFailure, loadAssets, readForm, securityHeaders } from './http-kit'
import type { WizardOptions } from './server'

/** What one request works with (kept in res.locals by the first middleware, see app.ts). */
export interface Exchange {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  client: string
  session?: WizardSession
  locale: WizardLocale
}

export type Side = 'source' | 'target'

/** What every router shares: the configuration, the session sealer, the limiters, the stack client, and the ways to answer. */
export class WizardKit {
  readonly log: (line: string) => void
  readonly sealer: SessionSealer
  readonly spentSessions: SpentSessions
  readonly pageLimiter: RateLimiter
  readonly outboundLimiter: RateLimiter
  readonly rules: AddressRules
  readonly stack: StackClient
  readonly secureCookie: boolean
  readonly cookieName: string
  readonly assets: Record<string, Buffer>
  /**
   * Where the address form's answer may redirect (CSP form-action also applies to the redirects
   * that follow a form): the Cozies the wizard accepts. The server checks the address itself.
   */
  readonly cozyFormTargets: string[]

  constructor(
    readonly config: WizardConfig,
    options: WizardOptions
  ) {
    this.log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
    this.sealer = new SessionSealer(config.secret, config.sessionTtlSeconds, config.sessionMaxAgeSeconds)
    this.spentSessions = options.spentSessions ?? spentSessionsFor(config.stateDir)
    this.pageLimiter = new RateLimiter(config.rateLimitPerMinute)
    this.outboundLimiter = new RateLimiter(config.outboundRateLimitPerMinute)
    this.rules = { dev: config.dev, allowedDomains: config.allowedDomains, defaultCozyDomain: config.defaultCozyDomain }
    this.stack = new StackClient({ timeoutMs: config.stackTimeoutMs, rules: this.rules, resolve: options.resolve })
    this.secureCookie = config.publicUrl.protocol === 'https:'
    this.cookieName = this.secureCookie ? '__Host-move-wizard' : 'move-wizard'
    this.assets = loadAssets()
    this.cozyFormTargets = [
      ...(config.allowedDomains.length > 0 ? config.allowedDomains.flatMap(d => [`https://${d}`, `https://*.${d}`]) : ['https:']),
      ...(config.dev ? ['http://localhost:*', 'http://127.0.0.1:*', 'http://*.localhost:*'] : [])
    ]
  }

  /** Read at each request: startWizard may learn the port (and so the public address) after listening. */
  publicRoot(): string {
    return this.config.publicUrl.href
  }

  callbackUrl(side: Side): string {
    return new URL(`callback/${side}`, this.publicRoot()).href
  }

  cookie(value: string, maxAge: number): string {
    return cookieHeader(this.cookieName, value, maxAge, this.secureCookie)
  }

  securityHeaders(res: ServerResponse, formTargets: string[] = []): void {
    securityHeaders(res, { formTargets, https: this.secureCookie })
  }

  ctx(ex: Exchange, withPath = false): views.PageContext {
    return { t: translator(ex.locale), locale: ex.locale, csrf: ex.session?.csrf, path: withPath ? ex.url.pathname : undefined }
  }

  /** Writes the session back (sliding expiry) or drops it. */
  saveSession(ex: Exchange): void {
    if (ex.session) ex.res.setHeader('Set-Cookie', this.cookie(this.sealer.seal(ex.session), this.config.sessionTtlSeconds))
  }

  dropSession(ex: Exchange): void {
    ex.session = undefined
    ex.res.setHeader('Set-Cookie', this.cookie('', 0))
  }

  sendHtml(ex: Exchange, status: number, html: string, formTargets: string[] = []): void {
    this.saveSession(ex)
    this.securityHeaders(ex.res, formTargets)
    ex.res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' })
    ex.res.end(html)
  }

  redirect(ex: Exchange, location: string, status = 303): void {
    this.saveSession(ex)
    this.securityHeaders(ex.res)
    ex.res.writeHead(status, { Location: location })
    ex.res.end()
  }

  requireSession(ex: Exchange): WizardSession {
    if (!ex.session) throw new HttpFailure(400, 'errors.sessionExpired')
    return ex.session
  }

  /** The wizard's own state check: every form carries the session's random csrf value. */
  async checkedForm(ex: Exchange): Promise<URLSearchParams> {
    const session = this.requireSession(ex)
    const form = await readForm(ex.req)
    if (!sameSecret(form.get('csrf') ?? undefined, session.csrf)) throw new HttpFailure(403, 'errors.stateMismatch')
    return form
  }

  limitOutbound(ex: Exchange): void {
    if (!this.outboundLimiter.allow(ex.client)) {
      ex.res.setHeader('Retry-After', String(this.outboundLimiter.retryAfter(ex.client)))
      throw new HttpFailure(429, 'errors.tooManyRequests')
    }
  }

  summaryModel(session: WizardSession): views.SummaryModel {
    const { source, target } = session
    const refusal = checkMove(source, target)
    let startHref: string | undefined
    if (isReady(source, target)) startHref = source.vault && !session.vaultStep ? '/passwords' : '/confirm'
    return { source, target, refusal, canSwap: canSwap(source, target), startHref }
  }

  readySides(session: WizardSession): { source: CozySide; target: CozySide } {
    const { source, target } = session
    if (!isReady(source, target) || !target) throw new HttpFailure(400, 'errors.notReady')
    return { source, target }
  }
}
