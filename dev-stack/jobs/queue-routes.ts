import type { Router } from 'express'
import type { StackContext } from '../context'
import { forbidden, jsonApiError, route } from '../http/errors'
import { isObject, readJsonApi } from '../http/body'
import { JOBS_DOCTYPE } from './system'
import { byWorker, jobObject, send } from './jsonapi'

/** /jobs/queue/:worker: listing and pushing jobs (web/jobs/jobs.go). */
export function mountQueue(router: Router, ctx: StackContext): void {
  const jobs = ctx.instance.jobs
  // web/jobs/jobs.go getQueue: GET on the queue (selector worker); queued and running jobs (model/job/broker.go GetQueuedJobs)
  router.get(
    '/jobs/queue/:worker',
    route(async (req, res) => {
      const worker = req.params.worker
      await ctx.allow(req, 'GET', byWorker(JOBS_DOCTYPE, worker, worker))
      const queued = await jobs.jobsOf({ worker, states: ['queued', 'running'] })
      send(res, 200, { data: queued.map(jobObject), meta: { count: queued.length } })
    })
  )

  // web/jobs/jobs.go pushJob: 202 Accepted with the job; 404 unknown / 403 reserved worker
  router.post(
    '/jobs/queue/:worker',
    route(async (req, res) => {
      const { attributes } = await readJsonApi(req)
      const worker = req.params.worker
      const set = await ctx.allow(req, 'POST', byWorker(JOBS_DOCTYPE, '', worker))
      if (set.kind !== 'cli') {
        if (attributes.forward_logs === true) throw forbidden()
        jobs.checkPushable(worker)
      }
      const opts = isObject(attributes.options) ? attributes.options : undefined
      const job = await jobs.push({
        worker,
        message: attributes.arguments ?? null,
        manual: attributes.manual === true,
        options: opts ? { max_exec_count: typeof opts.max_exec_count === 'number' ? opts.max_exec_count : undefined, timeout: typeof opts.timeout === 'number' ? opts.timeout : undefined } : undefined
      })
      send(res, 202, { data: jobObject(job) })
    })
  )
}

/** GET /jobs/:id, mounted last so that it does not shadow /jobs/triggers. */
export function mountJobById(router: Router, ctx: StackContext): void {
  const jobs = ctx.instance.jobs
  // web/jobs/jobs.go getJob: GET on the job (selector worker)
  router.get(
    '/jobs/:id',
    route(async (req, res) => {
      const job = await jobs.getJob(req.params.id)
      if (!job) throw jsonApiError(404, 'Job with specified ID does not exist')
      await ctx.allow(req, 'GET', byWorker(JOBS_DOCTYPE, job._id, job.worker))
      send(res, 200, { data: jobObject(job) })
    })
  )
}
