import { Router } from 'express'
import type { WizardKit } from '../wizard-kit'
import { newSession } from '../session'
import * as views from '../views'
import { step } from '../step'
import { ROUTER_OPTIONS } from './options'

/** The pages that only show where the move stands and what to choose next. */
export function pageRoutes(kit: WizardKit, done: Parameters<typeof step>[1]): Router {
  const router = Router(ROUTER_OPTIONS)
  const ttl = kit.config.sessionTtlSeconds
  router.get(
    '/',
    step(ex => {
      if (!ex.session) ex.session = newSession(ex.locale, ttl)
      kit.sendHtml(ex, 200, views.landingPage(kit.ctx(ex, true)))
    }, done)
  )
  router.get(
    '/summary',
    step(ex => {
      if (!ex.session) ex.session = newSession(ex.locale, ttl)
      kit.sendHtml(ex, 200, views.summaryPage(kit.ctx(ex, true), kit.summaryModel(ex.session)))
    }, done)
  )
  router.get(
    '/select',
    step(ex => {
      kit.requireSession(ex)
      kit.sendHtml(ex, 200, views.selectPage(kit.ctx(ex, true)))
    }, done)
  )
  router.get(
    '/create',
    step(ex => {
      kit.requireSession(ex)
      kit.sendHtml(ex, 200, views.createPage(kit.ctx(ex, true), kit.config.providers))
    }, done)
  )
  router.get(
    '/address/:side(source|target)',
    step((ex, req) => {
      kit.requireSession(ex)
      const side = req.params.side as 'source' | 'target'
      kit.sendHtml(ex, 200, views.addressPage(kit.ctx(ex, true), side, kit.config.defaultCozyDomain), kit.cozyFormTargets)
    }, done)
  )
  return router
}
