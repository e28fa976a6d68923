import type { Instance } from '../instance/instance'
import type { StackRuntime } from '../context'
import type { Doc } from '../storage/databases'
import type { RealtimeEvent } from '../realtime/hub'
import type { Vfs } from '../files/vfs'
import { invalidAttribute, httpError, jsonApiError } from '../http/errors'
import { JobRateLimiter } from './rate-limit'
import { nextCron, parseCron, parseDuration, periodicToCron, type CronSpec } from './schedule'

export const JOBS_DOCTYPE = 'io.cozy.jobs'
export const TRIGGERS_DOCTYPE = 'io.cozy.triggers'
const ZERO_TIME = '0001-01-01T00:00:00Z'

export type JobState = 'queued' | 'running' | 'done' | 'errored'

/** A job as stored (model/job/broker.go Job): the arguments are kept as `message`. */
export type JobDoc = Doc & {
  domain: string
  worker: string
  trigger_id?: string
  message: unknown
  event?: { domain: string; verb: string; doc: Record<string, unknown> }
  manual_execution?: boolean
  options?: { max_exec_count?: number; timeout?: number }
  state: JobState
  queued_at: string
  started_at: string
  finished_at: string
  error?: string
}

export type TriggerDoc = Doc & {
  type: string
  worker: string
  arguments: string
  debounce?: string
  options?: { max_exec_count?: number; timeout?: number }
  message: unknown
  domain: string
  cozyMetadata?: Record<string, unknown>
}

/** An error that must not be retried (job.BadTriggerError, ErrAbort). */
export class NoRetryError extends Error {}

/** job.ErrBadTrigger: not retried, and the job's trigger is deleted (model/job/worker.go onBadTriggerError). */
export class BadTriggerError extends NoRetryError {}

export interface WorkerRun {
  job: JobDoc
  instance: Instance
  runtime: StackRuntime
  /** Aborted at the time limit or when the stack stops. */
  signal: AbortSignal
  /** When the current execution must end (ms since epoch). */
  deadline: number
  /** 0 for the first execution, 1 for the first retry… */
  attempt: number
  /** Set by the worker to stop retries after this execution (critical message with no_retry). */
  noRetry(): void
}

/** A worker type (model/job/worker.go WorkerConfig). */
export interface WorkerDefinition {
  type: string
  /** Default and maximum time of one execution, in seconds (job options may only lower it). */
  timeoutSeconds(runtime: StackRuntime): number
  maxExecCount(runtime: StackRuntime): number
  /** Clients cannot push jobs for a reserved worker (403). */
  reserved?: boolean
  /** ErrorHook: return false to stop retrying after this error. */
  shouldRetry?(error: Error): boolean
  run(ctx: WorkerRun): Promise<void>
}

/** The base retry delay of model/job/worker.go (defaultRetryDelay, doubled at each retry). */
const RETRY_DELAY_MS = 60

/** Rule of an @event trigger: `type[:verbs[:values[:selector]]]` (docs/jobs.md "@event syntax"). */
interface EventRule {
  type: string
  verbs: string[]
  values: string[]
  selector?: string
}

function parseEventRules(args: string): EventRule[] | null {
  const rules: EventRule[] = []
  for (const part of args.split(' ').filter(Boolean)) {
    const [type, verbs, values, selector] = part.split(':')
    if (!type || !/^[a-z0-9._]+$/.test(type)) return null
    rules.push({ type, verbs: verbs ? verbs.split(',') : [], values: values ? values.split(',') : [], selector: selector || undefined })
  }
  return rules.length ? rules : null
}

/**
 * The job system of one instance (model/job: broker, scheduler, workers): jobs and triggers
 * are documents of io.cozy.jobs / io.cozy.triggers, executions run in this process (the
 * konnector worker spawns a child process), retries and timeouts follow worker.go.
 */
export class JobSystem {
  private readonly workers = new Map<string, WorkerDefinition>()
  private readonly rateLimiter = new JobRateLimiter()
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly eventSubscriptions = new Map<string, () => void>()
  private readonly debounced = new Set<string>()
  private readonly running = new Set<AbortController>()
  /** The execution of each running job, for tests that kill it (killExecution). */
  private readonly executions = new Map<string, { controller: AbortController; attempt: number; startedAt: number }>()
  private readonly pending = new Set<Promise<void>>()
  private stopped = false

  constructor(private readonly instance: Instance) {}

  private get runtime(): StackRuntime {
    return this.instance.runtime
  }

  registerWorker(def: WorkerDefinition): void {
    this.workers.set(def.type, def)
  }

  worker(type: string): WorkerDefinition | undefined {
    return this.workers.get(type)
  }

  /** checkReservedWorker (web/jobs/jobs.go): 404 for an unknown worker, 403 for a reserved one. */
  checkPushable(type: string): void {
    const def = this.workers.get(type)
    if (!def) throw httpError(404)
    if (def.reserved) throw httpError(403)
  }

  async getJob(id: string): Promise<JobDoc | null> {
    const doc = await this.instance.dbs.getOrNull(JOBS_DOCTYPE, id)
    return doc as JobDoc | null
  }

  async jobsOf(filter: { worker?: string; triggerId?: string; states?: JobState[] }): Promise<JobDoc[]> {
    const all = (await this.instance.dbs.list(JOBS_DOCTYPE)) as JobDoc[]
    return all
      .filter(j => (!filter.worker || j.worker === filter.worker) && (!filter.triggerId || j.trigger_id === filter.triggerId) && (!filter.states || filter.states.includes(j.state)))
      .sort((a, b) => b.queued_at.localeCompare(a.queued_at))
  }

  /** PushJob: stores the job as queued and starts it right away. Unknown workers are 404 (ErrUnknownWorker). */
  async push(request: { worker: string; message: unknown; options?: { max_exec_count?: number; timeout?: number }; manual?: boolean; triggerId?: string; event?: JobDoc['event'] }): Promise<JobDoc> {
    const def = this.workers.get(request.worker)
    if (!def) throw jsonApiError(404, 'Unknown worker')
    // memBroker.PushJob: the rate limit is checked before the job is created
    this.rateLimiter.check(request.worker)
    const doc: Record<string, unknown> = {
      domain: this.instance.domain,
      worker: request.worker,
      message: request.message ?? null,
      state: 'queued',
      queued_at: new Date().toISOString(),
      started_at: ZERO_TIME,
      finished_at: ZERO_TIME
    }
    if (request.triggerId) doc.trigger_id = request.triggerId
    if (request.event) doc.event = request.event
    if (request.manual) doc.manual_execution = true
    if (request.options) doc.options = request.options
    const job = (await this.instance.dbs.create(JOBS_DOCTYPE, doc)) as JobDoc
    const p = this.execute(job, def).finally(() => this.pending.delete(p))
    this.pending.add(p)
    return job
  }

  private async update(job: JobDoc, fields: Partial<JobDoc>): Promise<JobDoc> {
    const current = (await this.getJob(job._id)) ?? job
    return (await this.instance.dbs.put(JOBS_DOCTYPE, { ...current, ...fields })) as JobDoc
  }

  /** task.run in model/job/worker.go: executions, timeouts, retries with a doubling delay. */
  private async execute(queued: JobDoc, def: WorkerDefinition): Promise<void> {
    let job = await this.update(queued, { state: 'running', started_at: new Date().toISOString() })
    let timeoutSeconds = def.timeoutSeconds(this.runtime)
    if (job.options?.timeout && job.options.timeout > 0 && job.options.timeout < timeoutSeconds) timeoutSeconds = job.options.timeout
    let maxExec = def.maxExecCount(this.runtime)
    if (job.options?.max_exec_count && job.options.max_exec_count < maxExec) maxExec = job.options.max_exec_count
    let lastError: Error | null = null
    for (let attempt = 0; attempt < maxExec && !this.stopped; attempt++) {
      if (lastError) {
        if (lastError instanceof NoRetryError || (def.shouldRetry && !def.shouldRetry(lastError))) break
        await new Promise(r => setTimeout(r, RETRY_DELAY_MS << (attempt - 1)))
      }
      const controller = new AbortController()
      this.running.add(controller)
      this.executions.set(job._id, { controller, attempt, startedAt: Date.now() })
      const deadline = Date.now() + timeoutSeconds * 1000
      const timer = setTimeout(() => controller.abort(new Error('context deadline exceeded')), timeoutSeconds * 1000)
      let noRetry = false
      try {
        await def.run({ job, instance: this.instance, runtime: this.runtime, signal: controller.signal, deadline, attempt, noRetry: () => (noRetry = true) })
        lastError = null
        break
      } catch (err) {
        // a time limit reached is "context deadline exceeded", as the stack's ctx.Err()
        const reason: unknown = controller.signal.aborted ? controller.signal.reason : err
        lastError = reason instanceof Error ? reason : new Error(String(reason))
        this.runtime.config.log(`[jobs] ${this.instance.name} ${def.type} job ${job._id} execution ${attempt + 1} failed: ${lastError.message}`)
      } finally {
        clearTimeout(timer)
        this.running.delete(controller)
        this.executions.delete(job._id)
      }
      if (noRetry) break
    }
    job = await this.update(job, lastError ? { state: 'errored', error: lastError.message, finished_at: new Date().toISOString() } : { state: 'done', finished_at: new Date().toISOString() })
    if (lastError instanceof BadTriggerError && job.trigger_id) {
      const trigger = await this.getTrigger(job.trigger_id)
      if (trigger) await this.deleteTrigger(trigger)
    }
  }

  /** The execution of a job under way: which one (0 first, 1 first retry…) and since when (ms). */
  executionOf(jobId: string): { attempt: number; startedAt: number } | null {
    const execution = this.executions.get(jobId)
    return execution ? { attempt: execution.attempt, startedAt: execution.startedAt } : null
  }

  /**
   * Kills the execution under way of a job, for tests of a konnector dying at any moment: the
   * worker SIGKILLs its process group (as at the time limit) and the execution fails with
   * "signal: killed", then the job is retried or errored as after any failure (model/job/worker.go).
   */
  killExecution(jobId: string): boolean {
    const execution = this.executions.get(jobId)
    if (!execution || execution.controller.signal.aborted) return false
    execution.controller.abort(new Error('signal: killed'))
    return true
  }

  // ---- triggers (model/job/scheduler.go, mem_scheduler.go) ----

  async getTrigger(id: string): Promise<TriggerDoc | null> {
    return (await this.instance.dbs.getOrNull(TRIGGERS_DOCTYPE, id)) as TriggerDoc | null
  }

  async allTriggers(): Promise<TriggerDoc[]> {
    return (await this.instance.dbs.list(TRIGGERS_DOCTYPE)) as TriggerDoc[]
  }

  /** job.NewTrigger's validation: unknown types and bad arguments are 422 on "Type"/"arguments". */
  validateTrigger(type: string, args: string, worker: string): void {
    if (!this.workers.has(worker)) throw jsonApiError(404, 'Unknown worker')
    switch (type) {
      case '@event':
        if (!parseEventRules(args)) throw invalidAttribute('arguments', `invalid @event arguments: ${args}`)
        return
      case '@in':
      case '@every':
        if (parseDuration(args) === null) throw invalidAttribute('arguments', `time: invalid duration "${args}"`)
        return
      case '@at':
        if (Number.isNaN(Date.parse(args))) throw invalidAttribute('arguments', `parsing time "${args}"`)
        return
      case '@cron':
        if (!parseCron(args)) throw invalidAttribute('arguments', `invalid cron spec: ${args}`)
        return
      case '@hourly':
      case '@daily':
      case '@weekly':
      case '@monthly':
      case '@webhook':
      case '@client':
        return
      default:
        throw invalidAttribute('Type', 'Unknown trigger type')
    }
  }

  async addTrigger(fields: { type: string; worker: string; arguments: string; message: unknown; debounce?: string; options?: TriggerDoc['options']; createdByApp?: string }): Promise<TriggerDoc> {
    this.validateTrigger(fields.type, fields.arguments, fields.worker)
    const now = new Date().toISOString()
    const doc: Record<string, unknown> = {
      type: fields.type,
      worker: fields.worker,
      arguments: fields.arguments,
      message: fields.message ?? null,
      domain: this.instance.domain,
      cozyMetadata: { doctypeVersion: '1', metadataVersion: 1, createdAt: now, updatedAt: now, ...(fields.createdByApp ? { createdByApp: fields.createdByApp } : {}) }
    }
    if (fields.debounce) doc.debounce = fields.debounce
    if (fields.options) doc.options = fields.options
    const trigger = (await this.instance.dbs.create(TRIGGERS_DOCTYPE, doc)) as TriggerDoc
    this.schedule(trigger)
    return trigger
  }

  async updateTrigger(trigger: TriggerDoc, fields: { arguments?: string; message?: unknown }): Promise<TriggerDoc> {
    if (fields.arguments !== undefined) {
      if (trigger.type !== '@cron') throw invalidAttribute('Type', 'The trigger is not a @cron trigger')
      this.validateTrigger(trigger.type, fields.arguments, trigger.worker)
    }
    const updated = (await this.instance.dbs.put(TRIGGERS_DOCTYPE, {
      ...trigger,
      ...(fields.arguments !== undefined ? { arguments: fields.arguments } : {}),
      ...(fields.message !== undefined ? { message: fields.message } : {})
    })) as TriggerDoc
    this.unschedule(trigger._id)
    this.schedule(updated)
    return updated
  }

  async deleteTrigger(trigger: TriggerDoc): Promise<void> {
    this.unschedule(trigger._id)
    const current = await this.getTrigger(trigger._id)
    if (current?._rev) await this.instance.dbs.remove(TRIGGERS_DOCTYPE, current._id, current._rev)
  }

  /** POST /jobs/triggers/:id/launch and the scheduled firings: a job with the trigger's message. */
  async fire(trigger: TriggerDoc, manual: boolean, event?: JobDoc['event']): Promise<JobDoc> {
    return this.push({ worker: trigger.worker, message: trigger.message, options: trigger.options, manual, triggerId: trigger._id, event })
  }

  /** job.GetTriggerState: computed from the trigger's jobs. */
  async triggerState(id: string): Promise<Record<string, unknown>> {
    const jobs = await this.jobsOf({ triggerId: id })
    const state: Record<string, unknown> = { trigger_id: id, status: 'done' }
    const last = jobs[0]
    if (last) {
      state.status = last.state
      state.last_execution = last.started_at !== ZERO_TIME ? last.started_at : last.queued_at
      state.last_executed_job_id = last._id
    }
    const success = jobs.find(j => j.state === 'done')
    if (success) {
      state.last_success = success.finished_at
      state.last_successful_job_id = success._id
    }
    const failure = jobs.find(j => j.state === 'errored')
    if (failure) {
      state.last_failure = failure.finished_at
      state.last_failed_job_id = failure._id
      state.last_error = failure.error
    }
    const manual = jobs.find(j => j.manual_execution)
    if (manual) {
      state.last_manual_execution = manual.queued_at
      state.last_manual_job_id = manual._id
    }
    return state
  }

  private setTimer(id: string, at: number, fn: () => void): void {
    const delay = Math.max(0, at - Date.now())
    const max = 2 ** 31 - 1
    const t = setTimeout(() => (delay > max ? this.setTimer(id, at, fn) : fn()), Math.min(delay, max))
    this.timers.set(id, t)
  }

  private unschedule(id: string): void {
    const t = this.timers.get(id)
    if (t) clearTimeout(t)
    this.timers.delete(id)
    this.eventSubscriptions.get(id)?.()
    this.eventSubscriptions.delete(id)
  }

  /** Fires with the trigger as stored now (its message may have changed, e.g. folder_to_save). */
  private fireScheduled(trigger: TriggerDoc, event?: JobDoc['event']): void {
    if (this.stopped) return
    void (async () => {
      const current = (await this.getTrigger(trigger._id)) ?? trigger
      await this.fire(current, false, event)
    })().catch(err => this.runtime.config.log(`[jobs] trigger ${trigger._id}: ${(err as Error).message}`))
  }

  private scheduleCron(trigger: TriggerDoc, spec: CronSpec): void {
    const next = nextCron(spec, new Date())
    if (!next) return
    this.setTimer(trigger._id, next.getTime(), () => {
      this.fireScheduled(trigger)
      this.scheduleCron(trigger, spec)
    })
  }

  /** Arms a trigger: timers for @at/@in/@every/@cron/periodic, a realtime subscription for @event. */
  schedule(trigger: TriggerDoc): void {
    if (this.stopped) return
    switch (trigger.type) {
      case '@at':
      case '@in': {
        const at = trigger.type === '@at' ? Date.parse(trigger.arguments) : Date.parse(String(trigger.cozyMetadata?.createdAt ?? new Date().toISOString())) + (parseDuration(trigger.arguments) ?? 0)
        // the trigger is removed once it has created its job (docs/jobs.md)
        this.setTimer(trigger._id, at, () => {
          this.fireScheduled(trigger)
          void this.deleteTrigger(trigger).catch(() => undefined)
        })
        return
      }
      case '@every': {
        const every = parseDuration(trigger.arguments) ?? 0
        const tick = () => {
          this.fireScheduled(trigger)
          this.setTimer(trigger._id, Date.now() + every, tick)
        }
        if (every > 0) this.setTimer(trigger._id, Date.now() + every, tick)
        return
      }
      case '@cron': {
        const spec = parseCron(trigger.arguments)
        if (spec) this.scheduleCron(trigger, spec)
        return
      }
      case '@hourly':
      case '@daily':
      case '@weekly':
      case '@monthly': {
        const spec = periodicToCron(trigger.type, trigger.arguments)
        if (spec) this.scheduleCron(trigger, spec)
        return
      }
      case '@event': {
        const rules = parseEventRules(trigger.arguments) ?? []
        const unsubscribe = this.instance.realtime.subscribe(event => {
          void this.onEvent(trigger, rules, event)
        })
        this.eventSubscriptions.set(trigger._id, unsubscribe)
        return
      }
      default:
        return
    }
  }

  /** eventMatchRule (model/job/trigger_event.go), with debounce. */
  private async onEvent(trigger: TriggerDoc, rules: EventRule[], event: RealtimeEvent): Promise<void> {
    if (this.stopped || event.verb === 'NOTIFIED') return
    let matched = false
    for (const rule of rules) {
      if (await this.matches(rule, event)) {
        matched = true
        break
      }
    }
    if (!matched) return
    const payload = { domain: this.instance.domain, verb: event.verb, doc: event.doc }
    const debounceMs = trigger.debounce ? parseDuration(trigger.debounce) : null
    if (!debounceMs) {
      this.fireWithEvent(trigger, payload)
      return
    }
    if (this.debounced.has(trigger._id)) return
    this.debounced.add(trigger._id)
    this.setTimer(`${trigger._id}#debounce`, Date.now() + debounceMs, () => {
      this.debounced.delete(trigger._id)
      this.fireWithEvent(trigger, payload)
    })
  }

  private fireWithEvent(trigger: TriggerDoc, event: JobDoc['event']): void {
    this.fireScheduled(trigger, event)
  }

  private async matches(rule: EventRule, event: RealtimeEvent): Promise<boolean> {
    if (event.doctype !== rule.type) return false
    if (rule.verbs.length && !rule.verbs.includes(event.verb)) return false
    if (rule.values.length === 0) return true
    const doc = event.doc
    if (!rule.selector) {
      if (rule.values.includes(event.id)) return true
      if (event.doctype === 'io.cozy.files') {
        // a directory id matches everything below it (testPath)
        for (const value of rule.values) {
          const dir = await this.instance.files.get(value)
          if (!dir || dir.type !== 'directory') continue
          const docPath = doc.type === 'directory' ? String(doc.path) : await this.instance.files.fullPath(doc as Parameters<Vfs['fullPath']>[0]).catch(() => '')
          if (docPath.startsWith(String(dir.path) === '/' ? '/' : `${String(dir.path)}/`)) return true
        }
      }
      return false
    }
    if (rule.values.length === 1 && rule.values[0] === '!=') return event.verb !== 'UPDATED'
    const v = doc[rule.selector]
    return typeof v === 'string' && rule.values.includes(v)
  }

  /** On start: arm every stored trigger; jobs a previous run left queued/running are errored. */
  async start(): Promise<void> {
    for (const job of await this.jobsOf({ states: ['queued', 'running'] })) {
      await this.update(job, { state: 'errored', error: 'the stack was stopped during this job', finished_at: new Date().toISOString() })
    }
    for (const trigger of await this.allTriggers()) this.schedule(trigger)
  }

  /** Stops timers and subscriptions, aborts running executions and waits for them to settle. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const id of [...this.timers.keys()]) this.unschedule(id)
    for (const unsubscribe of this.eventSubscriptions.values()) unsubscribe()
    this.eventSubscriptions.clear()
    for (const c of this.running) c.abort(new Error('stack stopped'))
    await Promise.allSettled([...this.pending])
  }
}
