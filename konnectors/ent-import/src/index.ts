/**
 * Entry of the ent-import konnector, run by the stack's konnector worker.
 * The import engine lands with its own issue; until then the konnector checks its job
 * message and stops with a clear, translated-by-the-app error instead of doing nothing.
 */
import { readJobMessage } from './job-message'
import { logLine } from './stdout-protocol'

function run(): number {
  try {
    const message = readJobMessage(process.env)
    logLine({ type: 'info', message: `ent-import: archive ${message.fileId} received` })
    logLine({ type: 'critical', message: 'UNKNOWN_ERROR.ENGINE_NOT_BUILT', no_retry: true })
    return 1
  } catch (err) {
    logLine({ type: 'critical', message: err instanceof Error ? err.message : String(err), no_retry: true })
    return 1
  }
}

process.exitCode = run()
