import type { Request, Response } from 'express'
import type { StackContext } from '../context'
import type { PermissionTarget, Verb } from '../auth/permissions'
import { forbidden, jsonApiError } from '../http/errors'
import { isObject } from '../http/body'
import { JOBS_DOCTYPE, TRIGGERS_DOCTYPE, type JobDoc, type JobSystem, type TriggerDoc } from './system'

export function send(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/vnd.api+json').send(JSON.stringify(body))
}

/** apiJob (web/jobs/jobs.go): the job document as attributes, self link /jobs/<worker>/<id>. */
export function jobObject(job: JobDoc): Record<string, unknown> {
  const { _id, _rev, ...attributes } = job
  return { type: JOBS_DOCTYPE, id: _id, attributes, meta: { rev: _rev }, links: { self: `/jobs/${job.worker}/${_id}` } }
}

export function triggerObject(trigger: TriggerDoc, state?: Record<string, unknown>): Record<string, unknown> {
  const { _id, _rev: _ignored, ...attributes } = trigger
  return { type: TRIGGERS_DOCTYPE, id: _id, attributes: state ? { ...attributes, current_state: state } : attributes, links: { self: `/jobs/triggers/${_id}` } }
}

export const byWorker = (doctype: string, id: string, worker: string): PermissionTarget => ({ id, doctype, fetch: f => (f === 'worker' ? [worker] : []) })

export async function loadTrigger(jobs: JobSystem, id: string): Promise<TriggerDoc> {
  const t = await jobs.getTrigger(id)
  if (!t) throw jsonApiError(404, 'Trigger with specified ID does not exist')
  return t
}

/** allowKonnectorForItsOwnTrigger: a konnector may read/patch/delete its own triggers. */
async function konnectorOwnsTrigger(ctx: StackContext, req: Request, trigger: TriggerDoc): Promise<boolean> {
  if (trigger.worker !== 'konnector' || !isObject(trigger.message)) return false
  const set = await ctx.permission(req)
  return set.kind === 'konnector' && set.sourceSlug === trigger.message.konnector
}

/** The permission on the trigger (selector worker), or the konnector's own trigger; 403 otherwise. */
export async function allowOnTrigger(ctx: StackContext, req: Request, verb: Verb, t: TriggerDoc): Promise<void> {
  const set = await ctx.permission(req)
  if (!set.allow(verb, byWorker(TRIGGERS_DOCTYPE, t._id, t.worker)) && !(await konnectorOwnsTrigger(ctx, req, t))) throw forbidden()
}
