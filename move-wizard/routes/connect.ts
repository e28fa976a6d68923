import { Router } from 'express'
import type { Exchange, Side, WizardKit } from '../wizard-kit'
import { translator } from '../i18n'
import { newSession, newState, sameSecret } from '../session'
import { AddressError, checkCozyOrigin, normalizeCozyAddress } from '../cozy-address'
import { StackCallError } from '../stack-client'
import { parseBytes, sameCozy } from '../move-checks'
import * as views from '../views'
import { HttpFailure, readForm } from '../http-kit'
import { step } from '../step'
import { ROUTER_OPTIONS } from './options'

/** How the wizard gets each Cozy's consent: the source's initialize, an address, the callbacks. */
export function connectRoutes(kit: WizardKit, done: Parameters<typeof step>[1]): Router {
  const router = Router(ROUTER_OPTIONS)
  router.post('/initialize', step(ex => initialize(kit, ex), done))
  router.post('/address/:side(source|target)', step((ex, req) => submitAddress(kit, ex, req.params.side as Side), done))
  router.get('/callback/:side(source|target)', step((ex, req) => callback(kit, ex, req.params.side as Side), done))
  return router
}

/** Flow A: the source's /move/initialize sent the browser here with a code (reference §3.2 steps 1–2). */
async function initialize(kit: WizardKit, ex: Exchange): Promise<void> {
  kit.limitOutbound(ex)
  const body = await readForm(ex.req)
  const param = (name: string): string => ex.url.searchParams.get(name) ?? body.get(name) ?? ''
  const code = param('code')
  const clientId = param('client_id')
  const clientSecret = param('client_secret')
  if (!code || !clientId || !clientSecret || !param('cozy_url')) throw new HttpFailure(400, 'errors.initializeInvalid')
  let sourceUrl: string
  let token: string
  try {
    sourceUrl = checkCozyOrigin(new URL(param('cozy_url')), kit.rules)
    token = await kit.stack.exchangeCode(sourceUrl, code, { clientId, clientSecret })
  } catch (err) {
    if (err instanceof StackCallError) throw err
    throw new HttpFailure(400, 'errors.initializeInvalid')
  }
  const session = newSession(ex.locale, kit.config.sessionTtlSeconds)
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
  kit.redirect(ex, '/summary')
}

async function submitAddress(kit: WizardKit, ex: Exchange, side: Side): Promise<void> {
  const form = await kit.checkedForm(ex)
  const session = kit.requireSession(ex)
  const typed = (form.get('address') ?? '').slice(0, 300)
  const domain = kit.config.defaultCozyDomain
  const again = (status: number, key: string): void =>
    kit.sendHtml(ex, status, views.addressPage(kit.ctx(ex, true), side, domain, translator(ex.locale)(key, { domain }), typed), kit.cozyFormTargets)
  let cozyUrl: string
  try {
    cozyUrl = normalizeCozyAddress(typed, kit.rules)
  } catch (err) {
    if (err instanceof AddressError) return again(400, `address.errors.${err.reason}`)
    throw err
  }
  // Refused here, before the Cozy's password page: a move into the Cozy it leaves cannot be.
  const otherSide = side === 'target' ? session.source : session.target
  if (sameCozy(otherSide?.url, cozyUrl)) return again(400, side === 'target' ? 'address.errors.same' : 'address.errors.sameAsTarget')
  kit.limitOutbound(ex)
  try {
    await kit.stack.checkStatus(cozyUrl)
    kit.redirect(ex, await authorizeLocation(kit, ex, side, cozyUrl))
  } catch (err) {
    if (err instanceof AddressError) return again(400, `address.errors.${err.reason}`)
    if (err instanceof StackCallError) return again(502, `address.errors.${err.reason}`)
    throw err
  }
}

/**
 * Where the browser asks the Cozy's owner: the source's /move/authorize (the stack's own "move"
 * client), or, for the target, the authorisation page of the client the wizard registers there.
 */
async function authorizeLocation(kit: WizardKit, ex: Exchange, side: Side, cozyUrl: string): Promise<string> {
  const session = kit.requireSession(ex)
  const state = newState()
  if (side === 'source') {
    session.pending = { side, url: cozyUrl, state }
    const location = new URL('move/authorize', cozyUrl)
    location.searchParams.set('state', state)
    location.searchParams.set('redirect_uri', kit.callbackUrl('source'))
    return location.href
  }
  const client = await kit.stack.register(cozyUrl, kit.publicRoot(), kit.callbackUrl('target'), translator(ex.locale)('clientName'))
  session.pending = { side, url: cozyUrl, state, ...client }
  const location = new URL('auth/authorize/move', cozyUrl)
  location.searchParams.set('state', state)
  location.searchParams.set('client_id', client.clientId)
  location.searchParams.set('redirect_uri', kit.callbackUrl('target'))
  return location.href
}

/** Back from a Cozy's authorisation page: check the state, then keep the code or exchange it. */
async function callback(kit: WizardKit, ex: Exchange, side: Side): Promise<void> {
  const session = kit.requireSession(ex)
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
    kit.limitOutbound(ex)
    if (!pending.clientId || !pending.clientSecret) throw new HttpFailure(400, 'errors.stateMismatch')
    const client = { clientId: pending.clientId, clientSecret: pending.clientSecret }
    const token = await kit.stack.exchangeCode(pending.url, code, client)
    session.target = { url: pending.url, token, ...client, ...facts }
  }
  session.vaultStep = undefined
  kit.redirect(ex, '/summary')
}
