import type { Instance } from '../instance/instance'
import { httpError } from '../http/errors'

/**
 * What the move code keeps about an instance. The stack keeps `moved_to`, `moved_from`,
 * `importing`, `import_vault` and `moved_to_subdomain_type` in the io.cozy.settings.instance
 * document and the blocking reason on the instance; the stand-in keeps them in instance.json
 * (`state.extra.settings`, `state.extra.blocked`, `state.movedTo`), which /settings/instance reads.
 */
export interface MoveSettings {
  moved_to?: string
  moved_from?: string
  importing?: boolean
  import_vault?: boolean
  moved_to_subdomain_type?: string
}

/** model/instance/instance.go BlockedImporting / BlockedMoving codes. */
export type BlockingReason = 'IMPORTING' | 'MOVING'

export function moveSettings(instance: Instance): MoveSettings {
  const v = instance.state.extra.settings
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as MoveSettings) : {}
}

export async function updateMoveSettings(instance: Instance, change: (s: MoveSettings) => void): Promise<void> {
  const settings = { ...moveSettings(instance) }
  change(settings)
  instance.state.extra.settings = settings
  // settings.moved_to keeps target_url as the wizard sent it (request.go); state.movedTo is its origin
  if (settings.moved_to !== undefined) instance.state.movedTo = originOf(settings.moved_to)
  await instance.save()
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}

export function blockingReason(instance: Instance): BlockingReason | null {
  const v = instance.state.extra.blocked
  return v === 'IMPORTING' || v === 'MOVING' ? v : null
}

/** lifecycle.Block / Unblock: while blocked, every non-/move/ route answers 503 (server.ts). */
export async function block(instance: Instance, reason: BlockingReason): Promise<void> {
  instance.state.extra.blocked = reason
  await instance.save()
}

export async function unblock(instance: Instance): Promise<void> {
  delete instance.state.extra.blocked
  await instance.save()
}

/** inst.Moved (set by /move/finalize on the source). */
export async function markMoved(instance: Instance): Promise<void> {
  instance.state.extra.moved = true
  await instance.save()
}

/**
 * pkg/limits/rate_limiting.go ExportType: 5 per 24 h per instance, counted by
 * POST /move/exports, GET /move/authorize and POST /move/initialize. The stack answers a bare
 * 404 "Not found" once the limit is reached. Counters live in memory, like the stack's
 * in-memory limiter.
 */
const EXPORT_LIMIT = 5
const EXPORT_PERIOD_MS = 24 * 3600 * 1000
const exportCalls = new WeakMap<Instance, number[]>()

export function checkExportRateLimit(instance: Instance, now = Date.now()): void {
  const calls = (exportCalls.get(instance) ?? []).filter(t => now - t < EXPORT_PERIOD_MS)
  calls.push(now)
  exportCalls.set(instance, calls)
  if (calls.length > EXPORT_LIMIT) throw httpError(404, 'Not found')
}

/** limits.ResetCounter for ExportType (the stack's admin can do it; tests do it between cases). */
export function resetExportRateLimit(instance: Instance): void {
  exportCalls.delete(instance)
}
