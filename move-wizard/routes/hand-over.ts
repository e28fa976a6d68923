import { Router } from 'express'
import type { Exchange, WizardKit } from '../wizard-kit'
import { sameSecret } from '../session'
import { canSwap } from '../move-checks'
import * as views from '../views'
import { HttpFailure } from '../http-kit'
import { step } from '../step'
import { ROUTER_OPTIONS } from './options'

/** From two connected Cozies to the source's /move/request: swap, passwords, confirmation, hand-over. */
export function handOverRoutes(kit: WizardKit, done: Parameters<typeof step>[1]): Router {
  const router = Router(ROUTER_OPTIONS)
  router.post('/swap', step(ex => swap(kit, ex), done))
  // Every method: without a session, any of them is refused as expired before being unknown.
  router.all('/passwords', step(ex => passwords(kit, ex), done))
  router.get('/confirm', step(ex => showConfirm(kit, ex), done))
  router.post('/move', step(ex => handOver(kit, ex), done))
  return router
}

async function swap(kit: WizardKit, ex: Exchange): Promise<void> {
  await kit.checkedForm(ex)
  const session = kit.requireSession(ex)
  if (!canSwap(session.source, session.target)) throw new HttpFailure(400, 'errors.cannotSwap')
  const { source, target } = session
  session.source = target
  session.target = source
  session.vaultStep = undefined
  kit.redirect(ex, '/summary')
}

async function passwords(kit: WizardKit, ex: Exchange): Promise<void> {
  const session = kit.requireSession(ex)
  const method = ex.req.method
  if (method === 'GET') {
    const { source } = kit.readySides(session)
    if (!source.vault) return kit.redirect(ex, '/confirm')
    return kit.sendHtml(ex, 200, views.passwordsPage(kit.ctx(ex, true)))
  }
  if (method !== 'POST') throw new HttpFailure(404, 'errors.notFound')
  const form = await kit.checkedForm(ex)
  const choice = form.get('choice')
  if (choice !== 'exported' && choice !== 'ignored') throw new HttpFailure(400, 'errors.badRequest')
  kit.readySides(session)
  session.vaultStep = choice
  kit.redirect(ex, '/confirm')
}

function showConfirm(kit: WizardKit, ex: Exchange): void {
  const session = kit.requireSession(ex)
  const { source, target } = kit.readySides(session)
  if (source.vault && !session.vaultStep) return kit.redirect(ex, '/passwords')
  const fields = views.handOverFields(source, target, session.vaultStep === 'ignored')
  // The form posts to the wizard, which answers 307 to the source: CSP form-action must allow both.
  kit.sendHtml(ex, 200, views.confirmPage(kit.ctx(ex), { ...kit.summaryModel(session), fields }), [new URL(source.url).origin])
}

/** Hands the move over to the source (reference §3.2 step 7) and forgets everything. */
async function handOver(kit: WizardKit, ex: Exchange): Promise<void> {
  const form = await kit.checkedForm(ex)
  const session = kit.requireSession(ex)
  const { source, target } = kit.readySides(session)
  if (source.vault && !session.vaultStep) throw new HttpFailure(400, 'errors.notReady')
  // The browser re-posts this very body to the source: it must be exactly what the wizard built.
  const expected = views.handOverFields(source, target, session.vaultStep === 'ignored')
  const names = new Set(expected.map(([name]) => name))
  const untouched =
    expected.every(([name, value]) => sameSecret(form.get(name) ?? undefined, value)) &&
    [...form.keys()].every(name => name === 'csrf' || names.has(name))
  if (!untouched) throw new HttpFailure(400, 'errors.stateMismatch')
  // From here on this session's cookie, wherever a copy of it is, is refused.
  if (!(await kit.spentSessions.spend(session.id, kit.sealer.endOf(session)))) throw new HttpFailure(409, 'errors.sessionUsed')
  kit.dropSession(ex)
  kit.securityHeaders(ex.res)
  ex.res.writeHead(307, { Location: new URL('move/request', source.url).href })
  ex.res.end()
}
