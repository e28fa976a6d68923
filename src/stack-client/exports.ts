import type { StackFetcher } from './fetcher'
import { StackError, withStackErrors, type ErrorRule } from './StackError'
import { asRecord, numberAttr, singleResource, stringAttr, stringListAttr } from './jsonapi'

/** Sizes below this are replaced by the stack (model/move/export.go `minimalPartsSize`). */
export const MIN_PART_SIZE = 1024 ** 3

export type ExportState = 'exporting' | 'done' | 'error'

/** An io.cozy.exports document (model/move/doc.go `ExportDoc`). */
export interface ExportDoc {
  id: string
  state: ExportState
  partsSize?: number
  /** Part 0 has no cursor; part n ≥ 1 is downloaded with `partsCursors[n - 1]`. */
  partsCursors: string[]
  withDoctypes: string[]
  createdAt?: string
  expiresAt?: string
  /** Size of the JSON metadata only, not of the files (model/move/export.go). */
  totalSize?: number
  error?: string
}

export interface ExportPart {
  /** 0-based, as the stack numbers the zip files (`part000`). */
  index: number
  url: string
}

export interface ExportRequest {
  /** In bytes; values below 1 GiB (or none) let the stack choose, at least 1 GiB. */
  partsSize?: number
  /** Empty or absent: every doctype. `io.cozy.files` must be listed for the files. */
  withDoctypes?: string[]
}

function toExportState(value: unknown): ExportState {
  return value === 'done' || value === 'error' ? value : 'exporting'
}

/** Reads an export from its attributes (`GET /move/exports/:mac`) or its raw CouchDB form (realtime, service). */
export function toExportDoc(id: string, attrs: Record<string, unknown>): ExportDoc {
  return {
    id,
    state: toExportState(attrs.state),
    partsSize: numberAttr(attrs, 'parts_size'),
    partsCursors: stringListAttr(attrs, 'parts_cursors'),
    withDoctypes: stringListAttr(attrs, 'with_doctypes'),
    createdAt: stringAttr(attrs, 'created_at'),
    expiresAt: stringAttr(attrs, 'expires_at'),
    totalSize: numberAttr(attrs, 'total_size'),
    error: stringAttr(attrs, 'error')
  }
}

/** A raw document (realtime payload `doc`, service `COZY_COUCH_DOC`). */
export function exportDocFromCouch(raw: unknown): ExportDoc {
  const doc = asRecord(raw)
  return toExportDoc(typeof doc._id === 'string' ? doc._id : '', doc)
}

/** The MAC of a download link is base64url with padding (web/move/move.go decodes URLEncoding). */
const MAC = /^[A-Za-z0-9_-]+={0,2}$/

/**
 * Finds the export MAC in what a user pasted: the link from the mail
 * (`https://alice-settings.example/#/exports/<mac>`), this app's `#/exports/<mac>`, or the MAC itself.
 */
export function parseExportLink(input: string): string | null {
  const text = input.trim()
  const fromLink = /#\/exports\/([^/?#\s]+)/.exec(text)
  let candidate = fromLink ? fromLink[1] : text
  try {
    candidate = decodeURIComponent(candidate)
  } catch {
    return null
  }
  return isExportMac(candidate) ? candidate : null
}

export function isExportMac(value: string): boolean {
  return MAC.test(value) && value.length >= 16
}

/** `POST /move/exports` (web/move/move.go `createExport`). */
const REQUEST_RULES: ErrorRule[] = [
  // The rate limit (5 exports per 24 h) is checked first and answered as a bare 404.
  { status: 404, key: 'stackErrors.exports.rateLimited' },
  { status: 409, key: 'stackErrors.exports.alreadyRunning' }
]

/** `GET /move/exports/:mac` (model/move/errors.go). */
const GET_RULES: ErrorRule[] = [
  { status: 400, key: 'stackErrors.exports.invalidLink' },
  { status: 401, key: 'stackErrors.exports.invalidLink' },
  { status: 404, detail: /expired/i, key: 'stackErrors.exports.expired' },
  { status: 404, key: 'stackErrors.exports.notFound' }
]

/** The worker's failure text when another export is still running (model/move/errors.go). */
export function isAlreadyRunningError(text: string | undefined): boolean {
  return typeof text === 'string' && /already being created/i.test(text)
}

export function exportsApi(stack: StackFetcher) {
  return {
    /** Asks the stack for an export; it answers 201 with no body and mails the link when done. */
    async request(options: ExportRequest = {}): Promise<void> {
      const attributes: Record<string, unknown> = {}
      if (options.partsSize !== undefined && options.partsSize >= MIN_PART_SIZE) {
        attributes.parts_size = options.partsSize
      }
      if (options.withDoctypes && options.withDoctypes.length > 0) {
        attributes.with_doctypes = options.withDoctypes
      }
      await withStackErrors(
        () => stack.fetchJSON('POST', '/move/exports', { data: { type: 'io.cozy.exports', attributes } }),
        REQUEST_RULES
      )
    },

    /** The export behind a mailed link; the MAC is the only credential. */
    async get(mac: string): Promise<ExportDoc> {
      // The MAC goes into the path as it is ('=' included): it is checked to be URL-safe first.
      if (!isExportMac(mac)) throw new StackError(400, 'stackErrors.exports.invalidLink')
      const body = await withStackErrors(() => stack.fetchJSON('GET', `/move/exports/${mac}`), GET_RULES)
      const resource = singleResource(body)
      return toExportDoc(resource.id, resource.attributes)
    },

    /**
     * The download URL of each part. They are opened as top-level links: the stack forbids
     * framing them by any app but Settings (`frame-ancestors`).
     */
    partUrls(mac: string, doc: Pick<ExportDoc, 'partsCursors'>): ExportPart[] {
      const base = `${stack.uri}/move/exports/data/${isExportMac(mac) ? mac : encodeURIComponent(mac)}`
      return [
        { index: 0, url: base },
        ...doc.partsCursors.map((cursor, i) => ({ index: i + 1, url: `${base}?cursor=${encodeURIComponent(cursor)}` }))
      ]
    }
  }
}

export type ExportsApi = ReturnType<typeof exportsApi>
