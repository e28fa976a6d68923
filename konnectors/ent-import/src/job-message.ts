/** The part of the konnector job message (COZY_FIELDS) that the ENT import reads. */
export interface JobMessage {
  fileId: string
  selection?: string[]
  folder_to_save?: string
  importId?: string
}

/** Thrown when the job message cannot drive an import; the message is a konnector error code. */
export class JobMessageError extends Error {}

export function readJobMessage(env: NodeJS.ProcessEnv): JobMessage {
  let fields: unknown
  try {
    fields = JSON.parse(env.COZY_FIELDS || '{}')
  } catch {
    throw new JobMessageError('UNKNOWN_ERROR.BAD_JOB_MESSAGE')
  }
  if (typeof fields !== 'object' || fields === null) throw new JobMessageError('UNKNOWN_ERROR.BAD_JOB_MESSAGE')
  const record = fields as Record<string, unknown>
  if (typeof record.fileId !== 'string' || record.fileId === '') {
    throw new JobMessageError('UNKNOWN_ERROR.NO_ARCHIVE')
  }
  const selection = Array.isArray(record.selection) ? record.selection.filter((s): s is string => typeof s === 'string') : undefined
  return {
    fileId: record.fileId,
    selection,
    folder_to_save: typeof record.folder_to_save === 'string' ? record.folder_to_save : undefined,
    importId: typeof record.importId === 'string' ? record.importId : undefined
  }
}
