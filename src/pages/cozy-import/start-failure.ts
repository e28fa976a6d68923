import { StackError } from '../../stack-client'

/**
 * When `POST /move/imports` fails, the stack answers 500 with its HTML error page, whose text
 * carries the reason (web/move/move.go createImport renders err.Error()). The reasons it can
 * give are those of model/move/errors.go and import.go; each gets the app's own message.
 */
const REASONS: [RegExp, string][] = [
  [/exports: has expired/i, 'stackErrors.exports.expired'],
  [/exports: not found|exports: invalid mac|Fragment is not in the expected format/i, 'stackErrors.imports.invalidLink'],
  [/import: not enough disk space/i, 'stackErrors.imports.notEnoughSpace']
]

export function withStackReason(error: StackError): StackError {
  if (error.status < 500) return error
  const texts = error.errors.flatMap(e => [e.detail, e.title]).filter((text): text is string => typeof text === 'string')
  const found = REASONS.find(([reason]) => texts.some(text => reason.test(text)))
  return found ? new StackError(error.status, found[1], error.errors) : error
}
