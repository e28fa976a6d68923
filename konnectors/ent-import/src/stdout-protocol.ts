import cozyLogger from 'cozy-logger'

/**
 * One line of the konnector stdout protocol (cozy-stack docs/konnectors-workflow.md), written
 * by cozy-logger as konnector-libs' `log` writes it: one JSON object per line with time, type,
 * message, namespace and `no_retry` on a critical error the stack must not retry.
 */
export interface LogLine {
  type: 'debug' | 'info' | 'warning' | 'error' | 'critical'
  message: string
  no_retry?: boolean
}

// Its typings say `message: string`, but its production format also takes `{message, no_retry}`
// (prod-format.js), the only way it writes no_retry.
const log = cozyLogger.namespace('ent-import') as (type: string, message: string | { message: string; no_retry: true }) => void

/** The stack cuts messages at 4000 characters (cozy-logger's own cut could split the JSON). */
const MAX_MESSAGE = 4000

export function logLine(line: LogLine): void {
  const message = line.message.length > MAX_MESSAGE ? line.message.slice(0, MAX_MESSAGE - 3) + '...' : line.message
  // cozy-logger drops levels it does not know; its warning is `warn`, which the stack reads as
  // a warning too (worker/exec/konnector.go).
  log(line.type === 'warning' ? 'warn' : line.type, line.no_retry ? { message, no_retry: true } : message)
}
