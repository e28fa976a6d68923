/**
 * The stack triggers of the import (docs/jobs.md, konnector worker):
 * - the watched folder: an `@event` trigger on `io.cozy.files:CREATED:<dir id>:dir_id`, so a zip
 *   dropped into `/Mes données ENT/À importer` starts the konnector with `{watch: true}`.
 *   The konnector makes sure it exists at each run (the app may create it as well, with the
 *   same message: it is looked up by its message, never duplicated);
 * - continuations: an `@in` trigger ("1s") with the job message of the import to continue,
 *   created by the konnector when it stops before its time limit. The stack deletes an @in
 *   trigger once it has fired. If triggers cannot be created, a job is queued directly.
 */
import { ensurePath } from './engine'
import { DEFAULT_WATCHED_PATH, KONNECTOR_SLUG, type ImportJobMessage } from './records'
import type { StackClient } from './stack/client'

export function watchTriggerArguments(dirId: string): string {
  return `io.cozy.files:CREATED:${dirId}:dir_id`
}

function isWatchMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as ImportJobMessage).watch === true && (message as ImportJobMessage).konnector === KONNECTOR_SLUG
}

/** The watched folder (created when missing) and its trigger (created when missing). */
export async function ensureWatchTrigger(client: StackClient, watchedPath = DEFAULT_WATCHED_PATH): Promise<{ dirId: string; triggerId: string; created: boolean }> {
  const dir = await ensurePath(client, watchedPath)
  const args = watchTriggerArguments(dir.id)
  const existing = (await client.listTriggers('konnector')).find(t => t.type === '@event' && t.arguments === args && isWatchMessage(t.message))
  if (existing) return { dirId: dir.id, triggerId: existing.id, created: false }
  const message: ImportJobMessage = { konnector: KONNECTOR_SLUG, watch: true }
  const trigger = await client.createTrigger({ type: '@event', arguments: args, worker: 'konnector', message })
  return { dirId: dir.id, triggerId: trigger.id, created: true }
}

/** Schedules the next job of an import: an @in trigger, else a job queued right away. */
export async function scheduleContinuation(client: StackClient, message: ImportJobMessage, delay = '1s'): Promise<{ via: 'trigger' | 'job'; id: string }> {
  try {
    const trigger = await client.createTrigger({ type: '@in', arguments: delay, worker: 'konnector', message })
    return { via: 'trigger', id: trigger.id }
  } catch {
    const job = await client.queueJob('konnector', message)
    return { via: 'job', id: job.id }
  }
}
