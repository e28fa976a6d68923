import { Router } from 'express'
import type { WizardKit } from '../wizard-kit'
import { step } from '../step'
import { ROUTER_OPTIONS } from './options'

/** What answers the same whoever asks: health checks and stylesheets. */
export function isPublicResource(pathname: string): boolean {
  return pathname === '/status' || pathname.startsWith('/assets/')
}

export function publicRoutes(kit: WizardKit, done: Parameters<typeof step>[1]): Router {
  const router = Router(ROUTER_OPTIONS)
  for (const [name, css] of Object.entries(kit.assets)) {
    router.get(
      name,
      step(ex => {
        kit.securityHeaders(ex.res)
        ex.res.setHeader('Cache-Control', 'public, max-age=3600')
        ex.res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' })
        ex.res.end(css)
      }, done)
    )
  }
  router.get(
    '/status',
    step(ex => {
      kit.securityHeaders(ex.res)
      ex.res.writeHead(200, { 'Content-Type': 'application/json' })
      ex.res.end(JSON.stringify({ status: 'OK' }))
    }, done)
  )
  return router
}
