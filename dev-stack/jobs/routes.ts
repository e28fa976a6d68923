import type { Request, Response } from 'express'
import type { RouteModule, StackContext } from '../context'
import type { PermissionTarget } from '../auth/permissions'
import { forbidden, httpError, invalidAttribute, jsonApiError, route } from '../http/errors'
import { isObject, queryString, readJsonApi } from '../http/body'
import { JOBS_DOCTYPE, TRIGGERS_DOCTYPE, type JobDoc, type TriggerDoc } from './system'
import { konnectorWorker } from './konnector'
import { serviceWorker } from './service'
import { logWorker, reservedWorkers, sendmailWorker } from './builtin-workers'
import { parseDuration } from './schedule'

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/vnd.api+json').send(JSON.stringify(body))
}

/** apiJob (web/jobs/jobs.go): the job document as attributes, self link /jobs/<worker>/<id>. */
export function jobObject(job: JobDoc): Record<string, unknown> {
  const { _id, _rev, ...attributes } = job
  return { type: JOBS_DOCTYPE, id: _id, attributes, meta: { rev: _rev }, links: { self: `/jobs/${job.worker}/${_id}` } }
}

function triggerObject(trigger: TriggerDoc, state?: Record<string, unknown>): Record<string, unknown> {
  const { _id, _rev: _ignored, ...attributes } = trigger
  return { type: TRIGGERS_DOCTYPE, id: _id, attributes: state ? { ...attributes, current_state: state } : attributes, links: { self: `/jobs/triggers/${_id}` } }
}

const byWorker = (doctype: string, id: string, worker: string): PermissionTarget => ({ id, doctype, fetch: f => (f === 'worker' ? [worker] : []) })

/** Trigger options take a Go duration in nanoseconds; the stand-in keeps seconds. */
function triggerOptions(value: unknown): TriggerDoc['options'] | undefined {
  if (!isObject(value)) return undefined
  const out: NonNullable<TriggerDoc['options']> = {}
  if (typeof value.max_exec_count === 'number') out.max_exec_count = value.max_exec_count
  if (typeof value.timeout === 'number') out.timeout = value.timeout > 1e6 ? value.timeout / 1e9 : value.timeout
  return out
}

/** allowKonnectorForItsOwnTrigger: a konnector may read/patch/delete its own triggers. */
async function konnectorOwnsTrigger(ctx: StackContext, req: Request, trigger: TriggerDoc): Promise<boolean> {
  if (trigger.worker !== 'konnector' || !isObject(trigger.message)) return false
  const set = await ctx.permission(req)
  return set.kind === 'konnector' && set.sourceSlug === trigger.message.konnector
}

/** Jobs and triggers (docs/jobs.md; web/jobs/jobs.go, model/job, worker/exec). */
export const jobsRoutes: RouteModule = {
  name: 'jobs',
  mount(router, ctx) {
    const jobs = ctx.instance.jobs
    for (const w of [konnectorWorker, serviceWorker, logWorker, sendmailWorker, ...reservedWorkers]) jobs.registerWorker(w)

    async function loadTrigger(id: string): Promise<TriggerDoc> {
      const t = await jobs.getTrigger(id)
      if (!t) throw jsonApiError(404, 'Trigger with specified ID does not exist')
      return t
    }

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

    // web/jobs/jobs.go newTrigger: 201 with the trigger
    router.post(
      '/jobs/triggers',
      route(async (req, res) => {
        const { attributes } = await readJsonApi(req)
        const type = typeof attributes.type === 'string' ? attributes.type : ''
        const worker = typeof attributes.worker === 'string' ? attributes.worker : ''
        const args = typeof attributes.arguments === 'string' ? attributes.arguments : ''
        const debounce = typeof attributes.debounce === 'string' ? attributes.debounce : undefined
        if (debounce && parseDuration(debounce) === null) throw invalidAttribute('debounce', `time: invalid duration "${debounce}"`)
        const set = await ctx.allow(req, 'POST', byWorker(TRIGGERS_DOCTYPE, '', worker))
        if (set.kind !== 'cli') jobs.checkPushable(worker)
        const trigger = await jobs.addTrigger({
          type,
          worker,
          arguments: args,
          message: attributes.message ?? attributes.worker_arguments ?? null,
          debounce,
          options: triggerOptions(attributes.options),
          createdByApp: set.sourceSlug
        })
        send(res, 201, { data: triggerObject(trigger) })
      })
    )

    // web/jobs/jobs.go getAllTriggers: whole-type GET, or GET limited to the single ?Worker asked
    router.get(
      '/jobs/triggers',
      route(async (req, res) => {
        const workers = (queryString(req, 'Worker') ?? '').split(',').filter(Boolean)
        const types = (queryString(req, 'Type') ?? '').split(',').filter(Boolean)
        const set = await ctx.permission(req)
        if (!set.allowWholeType('GET', TRIGGERS_DOCTYPE)) {
          if (workers.length !== 1) throw forbidden()
          const onWorker = set.valuesFor('GET', TRIGGERS_DOCTYPE).some(r => r.selector === 'worker' && r.values.includes(workers[0]))
          if (!onWorker) throw forbidden()
        }
        const all = (await jobs.allTriggers()).filter(t => (!workers.length || workers.includes(t.worker)) && (!types.length || types.includes(t.type)))
        const data = await Promise.all(all.map(async t => triggerObject(t, await jobs.triggerState(t._id))))
        send(res, 200, { data, meta: { count: data.length } })
      })
    )

    router.get(
      '/jobs/triggers/:id',
      route(async (req, res) => {
        const t = await loadTrigger(req.params.id)
        const set = await ctx.permission(req)
        if (!set.allow('GET', byWorker(TRIGGERS_DOCTYPE, t._id, t.worker)) && !(await konnectorOwnsTrigger(ctx, req, t))) throw forbidden()
        send(res, 200, { data: triggerObject(t, await jobs.triggerState(t._id)) })
      })
    )

    router.get(
      '/jobs/triggers/:id/state',
      route(async (req, res) => {
        const t = await loadTrigger(req.params.id)
        const set = await ctx.permission(req)
        if (!set.allow('GET', byWorker(TRIGGERS_DOCTYPE, t._id, t.worker)) && !(await konnectorOwnsTrigger(ctx, req, t))) throw forbidden()
        send(res, 200, { data: { type: 'io.cozy.triggers.state', id: t._id, attributes: await jobs.triggerState(t._id), links: { self: `/jobs/triggers/${t._id}/state` } } })
      })
    )

    router.get(
      '/jobs/triggers/:id/jobs',
      route(async (req, res) => {
        const limitText = queryString(req, 'Limit')
        const limit = limitText ? Number(limitText) : 0
        if (limitText && !Number.isInteger(limit)) throw httpError(400, `strconv.Atoi: parsing "${limitText}": invalid syntax`)
        const t = await loadTrigger(req.params.id)
        await ctx.allow(req, 'GET', byWorker(TRIGGERS_DOCTYPE, t._id, t.worker))
        const list = await jobs.jobsOf({ triggerId: t._id })
        send(res, 200, { data: (limit > 0 ? list.slice(0, limit) : list).map(jobObject), meta: { count: list.length } })
      })
    )

    router.patch(
      '/jobs/triggers/:id',
      route(async (req, res) => {
        const t = await loadTrigger(req.params.id)
        const set = await ctx.permission(req)
        if (!set.allow('PATCH', byWorker(TRIGGERS_DOCTYPE, t._id, t.worker)) && !(await konnectorOwnsTrigger(ctx, req, t))) throw forbidden()
        const { attributes } = await readJsonApi(req)
        const args = typeof attributes.arguments === 'string' && attributes.arguments ? attributes.arguments : undefined
        if (!args && attributes.message === undefined) throw jsonApiError(400, 'Only arguments and message can be patched')
        const updated = await jobs.updateTrigger(t, { arguments: args, message: attributes.message })
        send(res, 200, { data: triggerObject(updated) })
      })
    )

    // web/jobs/jobs.go launchTrigger: a manual job now, 201
    router.post(
      '/jobs/triggers/:id/launch',
      route(async (req, res) => {
        const t = await loadTrigger(req.params.id)
        await ctx.allow(req, 'POST', byWorker(TRIGGERS_DOCTYPE, t._id, t.worker))
        const job = await jobs.fire(t, true)
        send(res, 201, { data: jobObject(job) })
      })
    )

    router.delete(
      '/jobs/triggers/:id',
      route(async (req, res) => {
        const t = await loadTrigger(req.params.id)
        const set = await ctx.permission(req)
        if (!set.allow('DELETE', byWorker(TRIGGERS_DOCTYPE, t._id, t.worker)) && !(await konnectorOwnsTrigger(ctx, req, t))) throw forbidden()
        await jobs.deleteTrigger(t)
        res.status(204).end()
      })
    )

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
  },
  start: async ctx => {
    await ctx.instance.jobs.start()
  },
  stop: async ctx => {
    await ctx.instance.jobs.stop()
  }
}
