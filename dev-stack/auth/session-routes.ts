import crypto from 'crypto'
import type { Response } from 'express'
import type { RouteModule, StackContext } from '../context'
import { route } from '../http/errors'
import { queryString, readRawBody } from '../http/body'

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function loginPage(ctx: StackContext, redirect: string, error: string | null): string {
  const fr = ctx.instance.state.locale !== 'en'
  return `<!DOCTYPE html>
<html lang="${fr ? 'fr' : 'en'}"><head><meta charset="utf-8"><title>${fr ? 'Connexion' : 'Log in'} – ${escapeHtml(ctx.instance.state.publicName)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main>
<h1>${escapeHtml(ctx.instance.state.publicName)}</h1>
<p>${escapeHtml(ctx.instance.domain)}</p>
<form method="POST" action="/auth/login">
<input type="hidden" name="redirect" value="${escapeHtml(redirect)}">
<label for="password">${fr ? 'Mot de passe' : 'Password'}</label>
<input id="password" type="password" name="passphrase" autocomplete="current-password" autofocus>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<button type="submit">${fr ? 'Se connecter' : 'Log in'}</button>
</form></main></body></html>`
}

/**
 * Only redirects to this instance or to one of its apps are followed (web/auth/auth.go
 * checkRedirectParam refuses other domains); anything else goes to the default app.
 */
function safeRedirect(ctx: StackContext, redirect: string): string {
  const fallback = Object.keys(ctx.instance.state.apps)[0]
  const home = fallback ? ctx.instance.appUrl(fallback) : ctx.instance.url
  if (!redirect) return home
  try {
    const u = new URL(redirect)
    if (u.hostname !== '127.0.0.1' || (u.protocol !== 'http:' && u.protocol !== 'https:')) return home
    const port = Number(u.port)
    const ours = [ctx.instance.url, ...Object.keys(ctx.instance.state.apps).map(s => ctx.instance.appUrl(s))].some(o => Number(new URL(o).port) === port)
    return ours ? u.toString() : home
  } catch {
    return home
  }
}

async function openSession(ctx: StackContext, res: Response): Promise<void> {
  const session = await ctx.instance.createSession()
  res.setHeader('Set-Cookie', `${ctx.instance.sessionCookieName}=${session.id}; Path=/; HttpOnly; SameSite=Lax`)
}

/** One-time login codes handed out by Instance users of the programmatic API (magic links). */
const magicCodes = new Map<string, { domain: string; expires: number }>()

export function createMagicCode(domain: string, ttlMs = 15 * 60 * 1000): string {
  const code = crypto.randomBytes(24).toString('base64url')
  magicCodes.set(code, { domain, expires: Date.now() + ttlMs })
  return code
}

/**
 * The user's session (web/auth/auth.go): GET /auth/login shows the password form, POST
 * /auth/login checks the passphrase and sets the session cookie (303 to `redirect`, or JSON
 * `{"redirect"}` for an Accept: application/json client), DELETE /auth/login logs out, and
 * GET /auth/magic_link?code= logs in with a one-time code (web/auth/magic_link.go).
 */
export const sessionRoutes: RouteModule = {
  name: 'session',
  mount(router, ctx) {
    // web/routing.go: the instance's root goes to the default app (here the first installed
    // webapp), through the login page when there is no session
    router.get(
      '/',
      route(async (req, res) => {
        const first = Object.keys(ctx.instance.state.apps)[0]
        if (!first) {
          res.status(200).type('text/plain; charset=utf-8').send(`${ctx.instance.state.publicName}: no application is installed on this instance.\n`)
          return
        }
        if (!(await ctx.session(req))) {
          res.redirect(302, `/auth/login?redirect=${encodeURIComponent(ctx.instance.appUrl(first))}`)
          return
        }
        res.redirect(302, ctx.instance.appUrl(first))
      })
    )
    router.get(
      '/auth/login',
      route(async (req, res) => {
        const redirect = queryString(req, 'redirect') ?? ''
        if (await ctx.session(req)) {
          res.redirect(303, safeRedirect(ctx, redirect))
          return
        }
        res.status(200).type('text/html; charset=utf-8').send(loginPage(ctx, redirect, null))
      })
    )
    router.post(
      '/auth/login',
      route(async (req, res) => {
        const raw = (await readRawBody(req, 64 * 1024)).toString('utf8')
        const form = new URLSearchParams(raw)
        const passphrase = form.get('passphrase') ?? ''
        const redirect = form.get('redirect') ?? ''
        const wantsJson = String(req.headers.accept ?? '').includes('application/json')
        if (!ctx.instance.checkPassphrase(passphrase)) {
          const fr = ctx.instance.state.locale !== 'en'
          const message = fr ? 'Le mot de passe est incorrect.' : 'The password is incorrect.'
          if (wantsJson) res.status(401).json({ error: message })
          else res.status(401).type('text/html; charset=utf-8').send(loginPage(ctx, redirect, message))
          return
        }
        await openSession(ctx, res)
        const target = safeRedirect(ctx, redirect)
        if (wantsJson) res.status(200).json({ redirect: target })
        else res.redirect(303, target)
      })
    )
    router.delete(
      '/auth/login',
      route(async (req, res) => {
        const session = await ctx.session(req)
        if (session) await ctx.instance.deleteSession(session.id)
        res.setHeader('Set-Cookie', `${ctx.instance.sessionCookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`)
        res.status(204).end()
      })
    )
    router.get(
      '/auth/magic_link',
      route(async (req, res) => {
        const code = queryString(req, 'code') ?? ''
        const entry = magicCodes.get(code)
        magicCodes.delete(code)
        if (!entry || entry.domain !== ctx.instance.domain || entry.expires < Date.now()) {
          res.status(400).type('text/html; charset=utf-8').send(loginPage(ctx, queryString(req, 'redirect') ?? '', 'Invalid magic link'))
          return
        }
        await openSession(ctx, res)
        res.redirect(303, safeRedirect(ctx, queryString(req, 'redirect') ?? ''))
      })
    )
  }
}
