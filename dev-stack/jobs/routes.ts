import type { Router } from 'express'
import type { RouteModule, StackContext } from '../context'
import { konnectorWorker } from './konnector'
import { serviceWorker } from './service'
import { logWorker, reservedWorkers, sendmailWorker } from './builtin-workers'
import { mountJobById, mountQueue } from './queue-routes'
import { mountTriggerCollection, mountTriggerReads, mountTriggerWrites } from './trigger-routes'

/** The order matters as in the stack's router: fixed paths before `/jobs/:id`. */
function mountJobs(router: Router, ctx: StackContext): void {
  const jobs = ctx.instance.jobs
  for (const w of [konnectorWorker, serviceWorker, logWorker, sendmailWorker, ...reservedWorkers]) jobs.registerWorker(w)
  mountQueue(router, ctx)
  mountTriggerCollection(router, ctx)
  mountTriggerReads(router, ctx)
  mountTriggerWrites(router, ctx)
  mountJobById(router, ctx)
}

/** Jobs and triggers (docs/jobs.md; web/jobs/jobs.go, model/job, worker/exec). */
export const jobsRoutes: RouteModule = {
  name: 'jobs',
  mount: mountJobs,
  start: async ctx => {
    await ctx.instance.jobs.start()
  },
  stop: async ctx => {
    await ctx.instance.jobs.stop()
  }
}
