/**
 * Entry of the `import-notification` service (manifest.webapp `services`, built to
 * build/app/services/import-notification.js): run by the stack on each update of an ENT import
 * record; the logic is in run-import-notification.ts.
 */
import { StackError } from '../../stack-client'
import { runImportNotification } from './run-import-notification'

runImportNotification(process.env).then(
  outcome => {
    process.stdout.write(`${JSON.stringify({ type: 'info', message: `import-notification: ${outcome}` })}\n`)
  },
  (err: unknown) => {
    const message = err instanceof StackError ? `${err.translationKey} (${err.status}) ${err.message}` : String(err)
    process.stderr.write(`${JSON.stringify({ type: 'error', message: `import-notification: ${message}` })}\n`)
    process.exitCode = 1
  }
)
