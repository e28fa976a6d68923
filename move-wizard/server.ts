import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http'
import type { AddressInfo } from 'net'
import type { WizardConfig } from './config'
import { isLocale, localeFromAcceptLanguage, translator, type WizardLocale } from './i18n'
import { newSession, newState, sameSecret, SessionSealer, SessionTooLargeError, type CozySide, type WizardSession } from './session'
import { AddressError, checkCozyOrigin, type Resolve, normalizeCozyAddress, type AddressRules } from './cozy-address'
import { StackCallError, StackClient } from './stack-client'
import { spentSessionsFor, type SpentSessions } from './spent-sessions'
import { RateLimiter } from './rate-limit'
import { canSwap, checkMove, isReady, parseBytes, sameCozy } from './move-checks'
import * as views from './views'
import { clientAddress, cookieHeader as formatCookie, HttpFailure, loadAssets, readCookie as readCookieNamed, readForm, securityHeaders as setSecurityHeaders } from './http-kit'

/** One line per request: method, path without its query (codes and states live there), status. */
export type WizardLogger = (line: string) => void

export interface WizardOptions {
  log?: WizardLogger
  /** Set the public address to http://<host>:<port>/ once listening (dev and tests, with port 0). */
  publicUrlFromPort?: boolean
  /** How Cozy host names are resolved (tests give their own; default: the system's). */
  resolve?: Resolve
  /** Where used-up sessions are remembered (default: from the configuration, see spent-sessions.ts). */
  spentSessions?: SpentSessions
}

/** What one request works with. */
interface Exchange {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  client: string
  session?: WizardSession
  locale: WizardLocale
}

export function createWizardServer(config: WizardConfig, options: WizardOptions = {}): Server {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const sealer = new SessionSealer(config.secret, config.sessionTtlSeconds, config.sessionMaxAgeSeconds)
  const spentSessions = options.spentSessions ?? spentSessionsFor(config.stateDir)
  const pageLimiter = new RateLimiter(config.rateLimitPerMinute)
  const outboundLimiter = new RateLimiter(config.outboundRateLimitPerMinute)
  const rules: AddressRules = { dev: config.dev, allowedDomains: config.allowedDomains, defaultCozyDomain: config.defaultCozyDomain }
  const stack = new StackClient({ timeoutMs: config.stackTimeoutMs, rules, resolve: options.resolve })
  const secureCookie = config.publicUrl.protocol === 'https:'
  const cookieName = secureCookie ? '__Host-move-wizard' : 'move-wizard'
  // Read at each request: startWizard may learn the port (and so the public address) after listening.
  const publicRoot = (): string => config.publicUrl.href
  const callbackUrl = (side: 'source' | 'target'): string => new URL(`callback/${side}`, publicRoot()).href
  const assets = loadAssets()
  const cookieHeader = (value: string, maxAge: number): string => formatCookie(cookieName, value, maxAge, secureCookie)
  const securityHeaders = (res: ServerResponse, formTargets: string[] = []): void => setSecurityHeaders(res, { formTargets, https: secureCookie })

  /**
   * Where the address form's answer may redirect (CSP form-action also applies to the redirects
   * that follow a form): the Cozies the wizard accepts. The server checks the address itself.
   */
  const cozyFormTargets: string[] = [
    ...(config.allowedDomains.length > 0 ? config.allowedDomains.flatMap(d => [`https://${d}`, `https://*.${d}`]) : ['https:']),
    ...(config.dev ? ['http://localhost:*', 'http://127.0.0.1:*', 'http://*.localhost:*'] : [])
  ]

  function ctx(ex: Exchange, withPath = false): views.PageContext {
    return { t: translator(ex.locale), locale: ex.locale, csrf: ex.session?.csrf, path: withPath ? ex.url.pathname : undefined }
  }

  /** Writes the session back (sliding expiry) or drops it. */
  function saveSession(ex: Exchange): void {
    if (ex.session) {
      ex.res.setHeader('Set-Cookie', cookieHeader(sealer.seal(ex.session), config.sessionTtlSeconds))
    }
  }

  function dropSession(ex: Exchange): void {
    ex.session = undefined
    ex.res.setHeader('Set-Cookie', cookieHeader('', 0))
  }

  function sendHtml(ex: Exchange, status: number, html: string, formTargets: string[] = []): void {
    saveSession(ex)
    securityHeaders(ex.res, formTargets)
    ex.res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' })
    ex.res.end(html)
  }

  function redirect(ex: Exchange, location: string, status = 303): void {
    saveSession(ex)
    securityHeaders(ex.res)
    ex.res.writeHead(status, { Location: location })
    ex.res.end()
  }

  function requireSession(ex: Exchange): WizardSession {
    if (!ex.session) throw new HttpFailure(400, 'errors.sessionExpired')
    return ex.session
  }

  /** The wizard's own state check: every form carries the session's random csrf value. */
  async function checkedForm(ex: Exchange): Promise<URLSearchParams> {
    const session = requireSession(ex)
    const form = await readForm(ex.req)
    if (!sameSecret(form.get('csrf') ?? undefined, session.csrf)) throw new HttpFailure(403, 'errors.stateMismatch')
    return form
  }

  function limitOutbound(ex: Exchange): void {
    if (!outboundLimiter.allow(ex.client)) {
      ex.res.setHeader('Retry-After', String(outboundLimiter.retryAfter(ex.client)))
      throw new HttpFailure(429, 'errors.tooManyRequests')
    }
  }

  function summaryModel(session: WizardSession): views.SummaryModel {
    const { source, target } = session
    const refusal = checkMove(source, target)
    let startHref: string | undefined
    if (isReady(source, target)) startHref = source.vault && !session.vaultStep ? '/passwords' : '/confirm'
    return { source, target, refusal, canSwap: canSwap(source, target), startHref }
  }

  function stackFailureKey(err: StackCallError): string {
    return `errors.${err.reason}`
  }

  // ---- steps --------------------------------------------------------------------------

  /** Flow A: the source's /move/initialize sent the browser here with a code (reference §3.2 steps 1–2). */
  async function initialize(ex: Exchange): Promise<void> {
    limitOutbound(ex)
    const body = await readForm(ex.req)
    const param = (name: string): string => ex.url.searchParams.get(name) ?? body.get(name) ?? ''
    const code = param('code')
    const clientId = param('client_id')
    const clientSecret = param('client_secret')
    if (!code || !clientId || !clientSecret || !param('cozy_url')) throw new HttpFailure(400, 'errors.initializeInvalid')
    let sourceUrl: string
    let token: string
    try {
      sourceUrl = checkCozyOrigin(new URL(param('cozy_url')), rules)
      token = await stack.exchangeCode(sourceUrl, code, { clientId, clientSecret })
    } catch (err) {
      if (err instanceof StackCallError) throw err
      throw new HttpFailure(400, 'errors.initializeInvalid')
    }
    const session = newSession(ex.locale, config.sessionTtlSeconds)
    session.source = {
      url: sourceUrl,
      token,
      clientId,
      clientSecret,
      used: parseBytes(param('used')),
      quota: parseBytes(param('quota')),
      vault: param('vault') === 'true'
    }
    ex.session = session
    redirect(ex, '/summary')
  }

  async function submitAddress(ex: Exchange, side: 'source' | 'target'): Promise<void> {
    const form = await checkedForm(ex)
    const session = requireSession(ex)
    const typed = (form.get('address') ?? '').slice(0, 300)
    const t = translator(ex.locale)
    const again = (status: number, key: string): void =>
      sendHtml(ex, status, views.addressPage(ctx(ex, true), side, config.defaultCozyDomain, t(key, { domain: config.defaultCozyDomain }), typed), cozyFormTargets)
    let cozyUrl: string
    try {
      cozyUrl = normalizeCozyAddress(typed, rules)
    } catch (err) {
      if (err instanceof AddressError) return again(400, `address.errors.${err.reason}`)
      throw err
    }
    // Refused here, before the Cozy's password page: a move into the Cozy it leaves cannot be.
    const otherSide = side === 'target' ? session.source : session.target
    if (sameCozy(otherSide?.url, cozyUrl)) return again(400, side === 'target' ? 'address.errors.same' : 'address.errors.sameAsTarget')
    limitOutbound(ex)
    try {
      await stack.checkStatus(cozyUrl)
      const state = newState()
      if (side === 'source') {
        session.pending = { side, url: cozyUrl, state }
        const location = new URL('move/authorize', cozyUrl)
        location.searchParams.set('state', state)
        location.searchParams.set('redirect_uri', callbackUrl('source'))
        return redirect(ex, location.href)
      }
      const client = await stack.register(cozyUrl, publicRoot(), callbackUrl('target'), t('clientName'))
      session.pending = { side, url: cozyUrl, state, ...client }
      const location = new URL('auth/authorize/move', cozyUrl)
      location.searchParams.set('state', state)
      location.searchParams.set('client_id', client.clientId)
      location.searchParams.set('redirect_uri', callbackUrl('target'))
      return redirect(ex, location.href)
    } catch (err) {
      if (err instanceof AddressError) return again(400, `address.errors.${err.reason}`)
      if (err instanceof StackCallError) return again(502, `address.errors.${err.reason}`)
      throw err
    }
  }

  /** Back from a Cozy's authorisation page: check the state, then keep the code or exchange it. */
  async function callback(ex: Exchange, side: 'source' | 'target'): Promise<void> {
    const session = requireSession(ex)
    const pending = session.pending
    const query = ex.url.searchParams
    if (!pending || pending.side !== side || !sameSecret(query.get('state') ?? undefined, pending.state)) {
      throw new HttpFailure(403, 'errors.stateMismatch')
    }
    session.pending = undefined
    const code = query.get('code')
    if (!code) throw new HttpFailure(400, 'errors.codeRefused')
    const facts = { used: parseBytes(query.get('used')), quota: parseBytes(query.get('quota')), vault: query.get('vault') === 'true' }
    if (side === 'source') {
      // /move/authorize gives a code for the stack's fake "move" client: it is handed over as is.
      session.source = { url: pending.url, code, ...facts }
    } else {
      limitOutbound(ex)
      if (!pending.clientId || !pending.clientSecret) throw new HttpFailure(400, 'errors.stateMismatch')
      const client = { clientId: pending.clientId, clientSecret: pending.clientSecret }
      const token = await stack.exchangeCode(pending.url, code, client)
      session.target = { url: pending.url, token, ...client, ...facts }
    }
    session.vaultStep = undefined
    redirect(ex, '/summary')
  }

  async function swap(ex: Exchange): Promise<void> {
    await checkedForm(ex)
    const session = requireSession(ex)
    if (!canSwap(session.source, session.target)) throw new HttpFailure(400, 'errors.cannotSwap')
    const { source, target } = session
    session.source = target
    session.target = source
    session.vaultStep = undefined
    redirect(ex, '/summary')
  }

  function readySides(session: WizardSession): { source: CozySide; target: CozySide } {
    const { source, target } = session
    if (!isReady(source, target) || !target) throw new HttpFailure(400, 'errors.notReady')
    return { source, target }
  }

  function showConfirm(ex: Exchange): void {
    const session = requireSession(ex)
    const { source, target } = readySides(session)
    if (source.vault && !session.vaultStep) return redirect(ex, '/passwords')
    const fields = views.handOverFields(source, target, session.vaultStep === 'ignored')
    // The form posts to the wizard, which answers 307 to the source: CSP form-action must allow both.
    sendHtml(ex, 200, views.confirmPage(ctx(ex), { ...summaryModel(session), fields }), [new URL(source.url).origin])
  }

  /** Hands the move over to the source (reference §3.2 step 7) and forgets everything. */
  async function handOver(ex: Exchange): Promise<void> {
    const form = await checkedForm(ex)
    const session = requireSession(ex)
    const { source, target } = readySides(session)
    if (source.vault && !session.vaultStep) throw new HttpFailure(400, 'errors.notReady')
    // The browser re-posts this very body to the source: it must be exactly what the wizard built.
    const expected = views.handOverFields(source, target, session.vaultStep === 'ignored')
    const names = new Set(expected.map(([name]) => name))
    const untouched =
      expected.every(([name, value]) => sameSecret(form.get(name) ?? undefined, value)) &&
      [...form.keys()].every(name => name === 'csrf' || names.has(name))
    if (!untouched) throw new HttpFailure(400, 'errors.stateMismatch')
    // From here on this session's cookie, wherever a copy of it is, is refused.
    if (!(await spentSessions.spend(session.id, sealer.endOf(session)))) throw new HttpFailure(409, 'errors.sessionUsed')
    dropSession(ex)
    securityHeaders(ex.res)
    ex.res.writeHead(307, { Location: new URL('move/request', source.url).href })
    ex.res.end()
  }

  // ---- routing ------------------------------------------------------------------------

  async function route(ex: Exchange): Promise<void> {
    const { req, url } = ex
    const method = req.method ?? 'GET'
    const p = url.pathname
    if (method === 'GET' && assets[p]) {
      securityHeaders(ex.res)
      ex.res.setHeader('Cache-Control', 'public, max-age=3600')
      ex.res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' })
      ex.res.end(assets[p])
      return
    }
    if (method === 'GET' && p === '/status') {
      securityHeaders(ex.res)
      ex.res.writeHead(200, { 'Content-Type': 'application/json' })
      ex.res.end(JSON.stringify({ status: 'OK' }))
      return
    }
    if (method === 'POST' && p === '/initialize') return initialize(ex)
    if (method === 'GET' && p === '/') {
      if (!ex.session) ex.session = newSession(ex.locale, config.sessionTtlSeconds)
      return sendHtml(ex, 200, views.landingPage(ctx(ex, true)))
    }
    if (method === 'GET' && p === '/summary') {
      if (!ex.session) ex.session = newSession(ex.locale, config.sessionTtlSeconds)
      return sendHtml(ex, 200, views.summaryPage(ctx(ex, true), summaryModel(ex.session)))
    }
    if (method === 'GET' && p === '/select') {
      requireSession(ex)
      return sendHtml(ex, 200, views.selectPage(ctx(ex, true)))
    }
    if (method === 'GET' && p === '/create') {
      requireSession(ex)
      return sendHtml(ex, 200, views.createPage(ctx(ex, true), config.providers))
    }
    const address = /^\/address\/(source|target)$/.exec(p)
    if (address) {
      const side = address[1] as 'source' | 'target'
      if (method === 'GET') {
        requireSession(ex)
        return sendHtml(ex, 200, views.addressPage(ctx(ex, true), side, config.defaultCozyDomain), cozyFormTargets)
      }
      if (method === 'POST') return submitAddress(ex, side)
    }
    const back = /^\/callback\/(source|target)$/.exec(p)
    if (back && method === 'GET') return callback(ex, back[1] as 'source' | 'target')
    if (method === 'POST' && p === '/swap') return swap(ex)
    if (p === '/passwords') {
      const session = requireSession(ex)
      if (method === 'GET') {
        const { source } = readySides(session)
        if (!source.vault) return redirect(ex, '/confirm')
        return sendHtml(ex, 200, views.passwordsPage(ctx(ex, true)))
      }
      if (method === 'POST') {
        const form = await checkedForm(ex)
        const choice = form.get('choice')
        if (choice !== 'exported' && choice !== 'ignored') throw new HttpFailure(400, 'errors.badRequest')
        readySides(session)
        session.vaultStep = choice
        return redirect(ex, '/confirm')
      }
    }
    if (method === 'GET' && p === '/confirm') return showConfirm(ex)
    if (method === 'POST' && p === '/move') return handOver(ex)
    throw new HttpFailure(404, 'errors.notFound')
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now()
    let url: URL
    try {
      url = new URL(req.url ?? '/', publicRoot())
    } catch {
      url = new URL('/', publicRoot())
    }
    let session = sealer.unseal(readCookieNamed(req, cookieName))
    let usedUp: boolean
    try {
      usedUp = session !== undefined && (await spentSessions.isSpent(session.id))
    } catch (err) {
      // The shared store cannot be read: a session that may be used up must not go on.
      log(`move-wizard: spent-session store unreadable: ${(err as Error).message}`)
      usedUp = session !== undefined
    }
    if (usedUp) session = undefined
    const asked = url.searchParams.get('lang')
    const locale: WizardLocale = isLocale(asked)
      ? asked
      : (session?.locale ?? localeFromAcceptLanguage(req.headers['accept-language']) ?? config.defaultLocale)
    if (session && isLocale(asked)) session.locale = asked
    const ex: Exchange = { req, res, url, client: clientAddress(req, config.trustProxy), session, locale }
    try {
      if (!pageLimiter.allow(ex.client)) {
        res.setHeader('Retry-After', String(pageLimiter.retryAfter(ex.client)))
        throw new HttpFailure(429, 'errors.tooManyRequests')
      }
      if (usedUp && !isPublicResource(url.pathname)) {
        dropSession(ex)
        throw new HttpFailure(409, 'errors.sessionUsed')
      }
      await route(ex)
    } catch (err) {
      let failure: HttpFailure
      if (err instanceof HttpFailure) failure = err
      else if (err instanceof StackCallError) failure = new HttpFailure(502, stackFailureKey(err))
      else if (err instanceof AddressError) failure = new HttpFailure(400, `address.errors.${err.reason}`)
      else if (err instanceof SessionTooLargeError) failure = new HttpFailure(500, 'errors.internal')
      else {
        log(`move-wizard: internal error on ${req.method} ${url.pathname}: ${(err as Error).name}: ${(err as Error).message}`)
        failure = new HttpFailure(500, 'errors.internal')
      }
      if (!res.headersSent) {
        // A broken step leaves the session as it was; a refused session is dropped.
        if (failure.messageKey === 'errors.sessionExpired') ex.session = undefined
        const t = translator(ex.locale)
        try {
          sendHtml(ex, failure.status, views.errorPage(ctx(ex), t(failure.messageKey, failure.vars)))
        } catch {
          res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
          res.end(t('errors.internal'))
        }
      } else {
        res.end()
      }
    } finally {
      // Never the query string: it carries codes and states.
      log(`${req.method} ${url.pathname} ${res.statusCode} ${Date.now() - started}ms`)
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res)
  })
  server.requestTimeout = 30_000
  server.headersTimeout = 15_000
  return server
}

/** What answers the same whoever asks: health checks and stylesheets. */
function isPublicResource(pathname: string): boolean {
  return pathname === '/status' || pathname.startsWith('/assets/')
}

export interface RunningWizard {
  url: string
  server: Server
  close(): Promise<void>
}

/** Starts the wizard on host:port (port 0 picks a free one). */
export async function startWizard(config: WizardConfig, port: number, host = '127.0.0.1', options: WizardOptions = {}): Promise<RunningWizard> {
  const server = createWizardServer(config, options)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  if (options.publicUrlFromPort) config.publicUrl = new URL(`http://${host}:${address.port}/`)
  return {
    url: `http://${host}:${address.port}/`,
    server,
    // Stops accepting, lets requests under way finish (a Cozy call lasts at most the stack
    // timeout), then cuts what is left.
    close: () =>
      new Promise<void>(resolve => {
        const cut = setTimeout(() => server.closeAllConnections(), config.stackTimeoutMs + 1000)
        server.close(() => {
          clearTimeout(cut)
          resolve()
        })
        server.closeIdleConnections()
      })
  }
}
