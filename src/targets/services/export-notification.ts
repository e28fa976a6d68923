/**
 * Entry of the `export-notification` service (manifest.webapp `services`, built to
 * build/app/services/export-notification.js): the stack runs it with node on each update
 * of an io.cozy.exports document. Logs go to stdout/stderr as the stack expects JSON lines.
 */
import { StackError } from '../../stack-client'
import { runExportNotification } from './run-export-notification'

runExportNotification(process.env).then(
  outcome => {
    process.stdout.write(`${JSON.stringify({ type: 'info', message: `export-notification: ${outcome}` })}\n`)
  },
  (err: unknown) => {
    const message = err instanceof StackError ? `${err.translationKey} (${err.status}) ${err.message}` : String(err)
    process.stderr.write(`${JSON.stringify({ type: 'error', message: `export-notification: ${message}` })}\n`)
    process.exitCode = 1
  }
)
