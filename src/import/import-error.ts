import type { ImportErrorCode } from './records'

/** A failure of the whole import, with a code the app translates. */
export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'ImportError'
  }
}
