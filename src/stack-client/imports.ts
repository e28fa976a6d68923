import type { StackFetcher } from './fetcher'
import { StackError, withStackErrors, type ErrorRule } from './StackError'
import { parseExportLink } from './exports'

/** `POST /move/imports/precheck` (web/move/move.go, model/move/import.go). */
const PRECHECK_RULES: ErrorRule[] = [
  // No export in "done" state behind that link (jsonapi.PreconditionFailed("url")).
  { status: 412, key: 'stackErrors.imports.invalidLink' },
  // The code answers 413; docs/move.md says 422: both mean "not enough space".
  { status: 413, key: 'stackErrors.imports.notEnoughSpace' },
  { status: 422, key: 'stackErrors.imports.notEnoughSpace' }
]

/**
 * The stack only accepts the Settings link from the export mail (it rewrites
 * `…#/exports/<mac>` into the source's `/move/exports/<mac>`), so check that shape first.
 */
export function isImportableExportLink(input: string): boolean {
  const text = input.trim()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return false
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && parseExportLink(text) !== null && text.includes('#/exports/')
}

export function importsApi(stack: StackFetcher) {
  const body = (url: string) => ({ data: { type: 'io.cozy.imports', attributes: { url: url.trim() } } })
  return {
    /** Checks that the link leads to a finished export that fits in this Cozy. */
    async precheck(url: string): Promise<void> {
      if (!isImportableExportLink(url)) throw new StackError(400, 'stackErrors.imports.invalidLink')
      await withStackErrors(() => stack.fetchJSON('POST', '/move/imports/precheck', body(url)), PRECHECK_RULES)
    },

    /**
     * Starts the import, which first erases this Cozy. The stack answers 303 to its own
     * waiting page; the caller sends the browser there (the returned URL).
     */
    async start(url: string): Promise<string> {
      if (!isImportableExportLink(url)) throw new StackError(400, 'stackErrors.imports.invalidLink')
      await withStackErrors(() => stack.fetchJSON('POST', '/move/imports', body(url)), PRECHECK_RULES)
      return `${stack.uri}/move/importing`
    }
  }
}

export type ImportsApi = ReturnType<typeof importsApi>
