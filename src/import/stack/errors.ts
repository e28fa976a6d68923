/**
 * The one error type of the Node side's stack calls (cozy-client's FetchError and fetch's own
 * failures are turned into it by toStackError), mapped the way the stack answers them:
 * JSON:API `{"errors":[{status,title,detail}]}` on /files and /jobs, CouchDB-style
 * `{"error","reason"}` on /data, plain text elsewhere.
 */
export type StackErrorKind =
  /** 401/403: the token is wrong or lacks a permission. */
  | 'forbidden'
  /** 404 */
  | 'not-found'
  /** 409: a file or folder with that name already exists, or a document with that id. */
  | 'conflict'
  /** 413: the file does not fit in the quota. */
  | 'quota'
  /** 412/422/400: the request was refused as malformed (name, hash, length…). */
  | 'invalid'
  /** 5xx, network, timeouts: worth retrying. */
  | 'unavailable'

export class StackClientError extends Error {
  constructor(
    readonly kind: StackErrorKind,
    readonly status: number,
    message: string
  ) {
    super(message)
    this.name = 'StackClientError'
  }
}

export function kindOfStatus(status: number): StackErrorKind {
  if (status === 401 || status === 403) return 'forbidden'
  if (status === 404) return 'not-found'
  if (status === 409) return 'conflict'
  if (status === 413) return 'quota'
  if (status >= 500) return 'unavailable'
  return 'invalid'
}

/** The most useful sentence of a stack error body, whatever its shape. */
export function detailOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: Array<{ detail?: unknown; title?: unknown }>; reason?: unknown; error?: unknown; message?: unknown }
    const first = parsed.errors?.[0]
    if (first) return String(first.detail ?? first.title ?? '')
    if (typeof parsed.reason === 'string') return parsed.reason
    if (typeof parsed.error === 'string') return parsed.error
    if (typeof parsed.message === 'string') return parsed.message
  } catch {
    // not JSON
  }
  return body.slice(0, 300)
}

export function isStackError(err: unknown, kind?: StackErrorKind): err is StackClientError {
  return err instanceof StackClientError && (kind === undefined || err.kind === kind)
}

/**
 * Turns what a cozy-client call threw into the one error type: cozy-stack-client's FetchError
 * (status, reason: the parsed body) by its status; fetch's own failures (network, timeout, abort)
 * as `unavailable`. Anything else is a bug and is thrown as it is.
 */
export function toStackError(err: unknown, label: string): unknown {
  if (err instanceof StackClientError) return err
  const fetchError = err as { name?: unknown; status?: unknown; reason?: unknown }
  if (err instanceof Error && fetchError.name === 'FetchError' && typeof fetchError.status === 'number') {
    const reason = typeof fetchError.reason === 'string' ? fetchError.reason : JSON.stringify(fetchError.reason ?? '')
    return new StackClientError(kindOfStatus(fetchError.status), fetchError.status, `${label}: ${fetchError.status} ${detailOf(reason)}`)
  }
  if (err instanceof TypeError || (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError'))) {
    return new StackClientError('unavailable', 0, `${label}: ${err.message}`)
  }
  return err
}
