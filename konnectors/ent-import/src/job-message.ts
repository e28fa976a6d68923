import type { ImportJobMessage } from '../../../src/import/records'
import { KONNECTOR_SLUG } from '../../../src/import/records'
import { unknownError } from './error-codes'

/** The job message (COZY_FIELDS) as the ENT import reads it; see ImportJobMessage. */
export type JobMessage = ImportJobMessage

/** Thrown when the job message cannot drive an import; the message is a konnector error code. */
export class JobMessageError extends Error {}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * Reads COZY_FIELDS: the whole job message, verbatim (worker/exec/konnector.go). Unknown keys
 * are dropped. A message without an archive is a run from the watched folder's trigger
 * (`watch: true`) or one started from Home (its account and folder only): see no-archive.ts.
 */
export function readJobMessage(env: NodeJS.ProcessEnv): JobMessage {
  let fields: unknown
  try {
    fields = JSON.parse(env.COZY_FIELDS || '{}')
  } catch {
    throw new JobMessageError(unknownError('BAD_JOB_MESSAGE'))
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new JobMessageError(unknownError('BAD_JOB_MESSAGE'))
  const record = fields as Record<string, unknown>
  const watch = record.watch === true
  const fileId = optionalString(record.fileId)
  const message: JobMessage = { konnector: optionalString(record.konnector) ?? KONNECTOR_SLUG }
  if (fileId) message.fileId = fileId
  if (Array.isArray(record.selection)) message.selection = record.selection.filter((s): s is string => typeof s === 'string')
  if (record.includeTrash === true) message.includeTrash = true
  const folder = optionalString(record.folder_to_save)
  if (folder) message.folder_to_save = folder
  const importId = optionalString(record.importId)
  if (importId) message.importId = importId
  if (watch) message.watch = true
  if (typeof record.continuation === 'number' && Number.isInteger(record.continuation) && record.continuation > 0) message.continuation = record.continuation
  return message
}
