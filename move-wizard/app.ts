import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import type { WizardConfig } from './config'
import { isLocale, localeFromAcceptLanguage, translator, type WizardLocale } from './i18n'
import { SessionTooLargeError } from './session'
import { AddressError } from './cozy-address'
import { StackCallError } from './stack-client'
import { clientAddress, HttpFailure, readCookie } from './http-kit'
import * as views from './views'
import { WizardKit, type Exchange } from './wizard-kit'
import { exchangeOf } from './step'
import { isPublicResource, publicRoutes } from './routes/public'
import { pageRoutes } from './routes/pages'
import { connectRoutes } from './routes/connect'
import { handOverRoutes } from './routes/hand-over'
import type { WizardOptions } from './server'

/** The wizard's express application: one Exchange per request, four routers, one error page. */
export function createWizardApp(config: WizardConfig, options: WizardOptions = {}): Express {
  const kit = new WizardKit(config, options)
  const started = new WeakMap<Exchange, number>()
  // Never the query string: it carries codes and states.
  const done = (ex: Exchange): void => kit.log(`${ex.req.method} ${ex.url.pathname} ${ex.res.statusCode} ${Date.now() - (started.get(ex) ?? Date.now())}ms`)
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  app.set('case sensitive routing', true)
  app.set('strict routing', true)
  app.use((req, res, next) => {
    const begun = Date.now()
    openExchange(kit, req, res).then(ex => {
      started.set(ex, begun)
      res.locals.exchange = ex
      next(admission(kit, ex))
    }, next)
  })
  // Answered by GET handlers in express, HEAD was never a wizard method.
  app.use((req, _res, next) => next(req.method === 'HEAD' ? new HttpFailure(404, 'errors.notFound') : undefined))
  app.use(publicRoutes(kit, done), pageRoutes(kit, done), connectRoutes(kit, done), handOverRoutes(kit, done))
  app.use((_req, _res, next) => next(new HttpFailure(404, 'errors.notFound')))
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const ex = exchangeOf(res)
    if (!ex) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end()
      return
    }
    answerFailure(kit, ex, err)
    done(ex)
  })
  return app
}

/** Reads the session cookie (refused when used up) and the language: ?lang, then the session's, then the browser's. */
async function openExchange(kit: WizardKit, req: Request, res: Response): Promise<Exchange & { usedUp: boolean }> {
  let url: URL
  try {
    url = new URL(req.originalUrl || '/', kit.publicRoot())
  } catch {
    url = new URL('/', kit.publicRoot())
  }
  // Routes match the path as the URL parser normalised it, the one the steps and the log see.
  req.url = `${url.pathname}${url.search}`
  let session = kit.sealer.unseal(readCookie(req, kit.cookieName))
  let usedUp: boolean
  try {
    usedUp = session !== undefined && (await kit.spentSessions.isSpent(session.id))
  } catch (err) {
    // The shared store cannot be read: a session that may be used up must not go on.
    kit.log(`move-wizard: spent-session store unreadable: ${(err as Error).message}`)
    usedUp = session !== undefined
  }
  if (usedUp) session = undefined
  const asked = url.searchParams.get('lang')
  const locale: WizardLocale = isLocale(asked)
    ? asked
    : (session?.locale ?? localeFromAcceptLanguage(req.headers['accept-language']) ?? kit.config.defaultLocale)
  if (session && isLocale(asked)) session.locale = asked
  return { req, res, url, client: clientAddress(req, kit.config.trustProxy), session, locale, usedUp }
}

/** The page rate limit, then a used-up session's refusal (its cookie dropped). */
function admission(kit: WizardKit, ex: Exchange & { usedUp: boolean }): HttpFailure | undefined {
  if (!kit.pageLimiter.allow(ex.client)) {
    ex.res.setHeader('Retry-After', String(kit.pageLimiter.retryAfter(ex.client)))
    return new HttpFailure(429, 'errors.tooManyRequests')
  }
  if (ex.usedUp && !isPublicResource(ex.url.pathname)) {
    kit.dropSession(ex)
    return new HttpFailure(409, 'errors.sessionUsed')
  }
  return undefined
}

function failureOf(kit: WizardKit, ex: Exchange, err: unknown): HttpFailure {
  if (err instanceof HttpFailure) return err
  if (err instanceof StackCallError) return new HttpFailure(502, `errors.${err.reason}`)
  if (err instanceof AddressError) return new HttpFailure(400, `address.errors.${err.reason}`)
  if (err instanceof SessionTooLargeError) return new HttpFailure(500, 'errors.internal')
  kit.log(`move-wizard: internal error on ${ex.req.method} ${ex.url.pathname}: ${(err as Error).name}: ${(err as Error).message}`)
  return new HttpFailure(500, 'errors.internal')
}

function answerFailure(kit: WizardKit, ex: Exchange, err: unknown): void {
  const failure = failureOf(kit, ex, err)
  const res = ex.res
  if (res.headersSent) {
    res.end()
    return
  }
  // A broken step leaves the session as it was; a refused session is dropped.
  if (failure.messageKey === 'errors.sessionExpired') ex.session = undefined
  const t = translator(ex.locale)
  try {
    kit.sendHtml(ex, failure.status, views.errorPage(kit.ctx(ex), t(failure.messageKey, failure.vars)))
  } catch {
    res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
    res.end(t('errors.internal'))
  }
}
