import type { Request, RequestHandler } from 'express'
import type { Exchange } from './wizard-kit'

/** A wizard step: reads the request's Exchange, answers through it, or throws an HttpFailure. */
export type Step = (ex: Exchange, req: Request) => void | Promise<void>

/** Where app.ts keeps the request's Exchange. */
export function exchangeOf(res: { locals: Record<string, unknown> }): Exchange | undefined {
  return res.locals.exchange as Exchange | undefined
}

/**
 * Express 4 does not catch a rejected handler: the step's failure goes to the wizard's error
 * handler, and a finished step is logged like a failed one (app.ts, logDone).
 */
export function step(run: Step, done: (ex: Exchange) => void): RequestHandler {
  return (req, res, next) => {
    const ex = exchangeOf(res) as Exchange
    Promise.resolve()
      .then(() => run(ex, req))
      .then(() => done(ex), next)
  }
}
