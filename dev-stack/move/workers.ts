import type { Instance } from '../instance/instance'
import type { StackRuntime } from '../context'
import type { WorkerDefinition } from '../jobs/system'
import { isObject } from '../http/body'
import { createExport } from './export-builder'
import { exportLink, MINIMAL_PARTS_SIZE, type ExportDoc, type ExportOptions, type MoveToOptions } from './export-doc'
import { runImport } from './import-flow'
import { sendMoveMail } from './mails'
import { block, unblock, updateMoveSettings } from './instance-settings'

/** The stand-in's minimal parts size: the stack's 1 GiB unless the stack was started with a smaller one (tests). */
export function minimalPartsSize(runtime: StackRuntime): number {
  const configured = runtime.config.exportMinimalPartsSize
  return configured !== undefined && configured > 0 ? configured : MINIMAL_PARTS_SIZE
}

/** An URL of another instance with a new path (MoveToOptions.ImportsURL, Request.ImportingURL…). */
export function otherInstanceUrl(base: string, pathname: string, query?: Record<string, string>): string {
  let u: URL
  try {
    u = new URL(base)
  } catch {
    u = new URL(`https://${base}`)
  }
  u.pathname = pathname
  u.search = query ? new URLSearchParams(query).toString() : ''
  u.hash = ''
  return u.toString()
}

async function post(url: string, token: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` }
  if (body !== undefined) headers['Content-Type'] = 'application/vnd.api+json'
  return fetch(url, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000) })
}

/** request.go Abort: POST /move/abort on the other instance (errors are only logged). */
export async function callAbort(runtime: StackRuntime, otherUrl: string, token: string): Promise<void> {
  try {
    const res = await post(otherInstanceUrl(otherUrl, '/move/abort'), token)
    await res.body?.cancel()
    if (res.status !== 204) runtime.config.log(`[move] Cannot abort: code=${res.status}`)
  } catch (err) {
    runtime.config.log(`[move] Cannot abort: ${(err as Error).message}`)
  }
}

/**
 * doc.go NotifyTarget: POST /move/imports on the target with the link, the vault flag and the
 * source's URL and token. The target answers 303 to /move/importing, which is followed: only
 * a final 200 counts as success.
 */
async function notifyTarget(instance: Instance, doc: ExportDoc, to: MoveToOptions, tokenSource: string): Promise<void> {
  const res = await post(otherInstanceUrl(to.url, '/move/imports'), to.token, {
    data: { attributes: { url: exportLink(instance, doc._id), vault: false, move_from: { url: instance.url, token: tokenSource } } }
  })
  await res.body?.cancel()
  if (res.status !== 200) throw new Error(`Cannot notify target: ${res.status}`)
}

function exportOptions(message: unknown): ExportOptions {
  return isObject(message) ? (message as ExportOptions) : {}
}

/**
 * worker/moves/workers.go ExportWorker (1 execution, 1 hour): build the export, then mail the
 * link, or hand it to the target of a move; on failure abort the move and mail the failure.
 */
export const exportWorker: WorkerDefinition = {
  type: 'export',
  timeoutSeconds: () => 3600,
  maxExecCount: () => 1,
  run: async ({ job, instance, runtime }) => {
    const opts = exportOptions(job.message)
    let doc: ExportDoc
    try {
      doc = await createExport(instance, opts, minimalPartsSize(runtime))
    } catch (err) {
      runtime.config.log(`[move] ${instance.name}: export failed: ${(err as Error).message}`)
      if (opts.move_to) await callAbort(runtime, opts.move_to.url, opts.move_to.token)
      if (!opts.admin_req) await sendMoveMail(instance, 'export_error')
      throw err
    }
    if (opts.admin_req) return
    if (opts.move_to) {
      await notifyTarget(instance, doc, opts.move_to, opts.token_source ?? '')
      return
    }
    await sendMoveMail(instance, 'archiver', { ArchiveLink: exportLink(instance, doc._id) })
  }
}

/** model/move/import.go ImportOptions: the message of an `import` job. */
export interface ImportJobMessage {
  manifest_url?: string
  vault?: boolean
  move_from?: { url: string; token: string }
}

/** request.go CallFinalize: POST /move/finalize on the source, then remember where the data came from. */
async function callFinalize(runtime: StackRuntime, instance: Instance, from: { url: string; token: string }, vault: boolean): Promise<void> {
  try {
    const res = await post(otherInstanceUrl(from.url, '/move/finalize', { subdomain: 'flat' }), from.token)
    await res.body?.cancel()
    if (res.status !== 204) runtime.config.log(`[move] Cannot finalize: code=${res.status}`)
  } catch (err) {
    runtime.config.log(`[move] Cannot finalize: ${(err as Error).message}`)
  }
  let host = from.url
  try {
    host = new URL(from.url).host
  } catch {
    // keep the value as given
  }
  await updateMoveSettings(instance, s => {
    s.moved_from = host
    if (vault) s.import_vault = true
  })
}

/**
 * worker/moves/workers.go ImportWorker (1 execution, 3 hours): block the instance, import,
 * unblock; for a move, finalize (or abort) the source; mail the result.
 */
export const importWorker: WorkerDefinition = {
  type: 'import',
  timeoutSeconds: () => 3 * 3600,
  maxExecCount: () => 1,
  run: async ({ job, instance, runtime }) => {
    const msg = (isObject(job.message) ? job.message : {}) as ImportJobMessage
    const from = isObject(msg.move_from) && typeof msg.move_from.url === 'string' && typeof msg.move_from.token === 'string' ? msg.move_from : undefined
    await block(instance, 'IMPORTING')
    let notInstalled: string[] = []
    let failure: Error | null = null
    try {
      if (typeof msg.manifest_url !== 'string') throw new Error('no manifest_url')
      notInstalled = await runImport(instance, { manifestUrl: msg.manifest_url, moveFrom: from })
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err))
      runtime.config.log(`[move] ${instance.name}: import failed: ${failure.message}`)
    }
    await unblock(instance)
    if (from) {
      if (!failure) await callFinalize(runtime, instance, from, msg.vault === true)
      else await callAbort(runtime, from.url, from.token)
    }
    const values = { AppsNotInstalled: notInstalled.join(', '), CozyLink: instance.url }
    if (failure) await sendMoveMail(instance, from ? 'move_error' : 'import_error')
    else await sendMoveMail(instance, from ? 'move_success' : 'import_success', values)
    if (failure) throw failure
  }
}
