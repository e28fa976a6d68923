import type { Router } from 'express'
import type { StackContext } from '../context'
import type { TriggerDoc } from './system'
import { forbidden, httpError, invalidAttribute, jsonApiError, route } from '../http/errors'
import { isObject, queryString, readJsonApi } from '../http/body'
import { TRIGGERS_DOCTYPE } from './system'
import { allowOnTrigger, byWorker, jobObject, loadTrigger, send, triggerObject } from './jsonapi'
import { parseDuration } from './schedule'

/** Trigger options take a Go duration in nanoseconds; the stand-in keeps seconds. */
function triggerOptions(value: unknown): TriggerDoc['options'] | undefined {
  if (!isObject(value)) return undefined
  const out: NonNullable<TriggerDoc['options']> = {}
  if (typeof value.max_exec_count === 'number') out.max_exec_count = value.max_exec_count
  if (typeof value.timeout === 'number') out.timeout = value.timeout > 1e6 ? value.timeout / 1e9 : value.timeout
  return out
}

/** /jobs/triggers: creating and listing triggers (web/jobs/jobs.go). */
export function mountTriggerCollection(router: Router, ctx: StackContext): void {
  const jobs = ctx.instance.jobs
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
}

/** /jobs/triggers/:id: reading one trigger, its state and its jobs (web/jobs/jobs.go). */
export function mountTriggerReads(router: Router, ctx: StackContext): void {
  const jobs = ctx.instance.jobs
  router.get(
    '/jobs/triggers/:id',
    route(async (req, res) => {
      const t = await loadTrigger(jobs, req.params.id)
      await allowOnTrigger(ctx, req, 'GET', t)
      send(res, 200, { data: triggerObject(t, await jobs.triggerState(t._id)) })
    })
  )

  router.get(
    '/jobs/triggers/:id/state',
    route(async (req, res) => {
      const t = await loadTrigger(jobs, req.params.id)
      await allowOnTrigger(ctx, req, 'GET', t)
      send(res, 200, { data: { type: 'io.cozy.triggers.state', id: t._id, attributes: await jobs.triggerState(t._id), links: { self: `/jobs/triggers/${t._id}/state` } } })
    })
  )

  router.get(
    '/jobs/triggers/:id/jobs',
    route(async (req, res) => {
      const limitText = queryString(req, 'Limit')
      const limit = limitText ? Number(limitText) : 0
      if (limitText && !Number.isInteger(limit)) throw httpError(400, `strconv.Atoi: parsing "${limitText}": invalid syntax`)
      const t = await loadTrigger(jobs, req.params.id)
      await ctx.allow(req, 'GET', byWorker(TRIGGERS_DOCTYPE, t._id, t.worker))
      const list = await jobs.jobsOf({ triggerId: t._id })
      send(res, 200, { data: (limit > 0 ? list.slice(0, limit) : list).map(jobObject), meta: { count: list.length } })
    })
  )
}

/** /jobs/triggers/:id: patching, launching and deleting one trigger (web/jobs/jobs.go). */
export function mountTriggerWrites(router: Router, ctx: StackContext): void {
  const jobs = ctx.instance.jobs
  router.patch(
    '/jobs/triggers/:id',
    route(async (req, res) => {
      const t = await loadTrigger(jobs, req.params.id)
      await allowOnTrigger(ctx, req, 'PATCH', t)
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
      const t = await loadTrigger(jobs, req.params.id)
      await ctx.allow(req, 'POST', byWorker(TRIGGERS_DOCTYPE, t._id, t.worker))
      const job = await jobs.fire(t, true)
      send(res, 201, { data: jobObject(job) })
    })
  )

  router.delete(
    '/jobs/triggers/:id',
    route(async (req, res) => {
      const t = await loadTrigger(jobs, req.params.id)
      await allowOnTrigger(ctx, req, 'DELETE', t)
      await jobs.deleteTrigger(t)
      res.status(204).end()
    })
  )
}
