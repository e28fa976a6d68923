/**
 * One error type for every stack call: the HTTP status, the JSON:API errors the stack sent,
 * and the translation key (under `stackErrors`) of the message the user should read.
 */

/** One entry of a JSON:API `errors` array as the stack writes it (jsonapi/errors.go). */
export interface JsonApiError {
  status?: string
  title?: string
  detail?: string
  code?: string
  source?: unknown
}

/** Maps a status (and optionally a detail text) of one route to a more precise message. */
export interface ErrorRule {
  status: number
  /** Tested against the details, titles and plain-text body the stack sent. */
  detail?: RegExp
  key: string
}

export class StackError extends Error {
  override readonly name = 'StackError'

  constructor(
    /** 0 when the stack could not be reached at all. */
    readonly status: number,
    /** Full translation key, e.g. `stackErrors.exports.rateLimited`. */
    readonly translationKey: string,
    readonly errors: JsonApiError[] = [],
    message?: string
  ) {
    super(message ?? (errors.map(e => e.detail ?? e.title).filter(Boolean).join('; ') || `HTTP ${status}`))
  }
}

/** The message when no route-specific rule matched, by status family. */
export function genericErrorKey(status: number): string {
  if (status === 0) return 'stackErrors.network'
  if (status === 400 || status === 422) return 'stackErrors.badRequest'
  if (status === 401) return 'stackErrors.unauthorized'
  if (status === 403) return 'stackErrors.forbidden'
  if (status === 404) return 'stackErrors.notFound'
  if (status === 409) return 'stackErrors.conflict'
  // A Cozy that has moved answers 410 Gone to OAuth clients (instance.MovedError).
  if (status === 410) return 'stackErrors.moved'
  if (status === 413) return 'stackErrors.tooLarge'
  if (status === 429) return 'stackErrors.tooManyRequests'
  // A blocked instance (being imported or moved into) answers 503 outside /move/.
  if (status === 503) return 'stackErrors.unavailable'
  if (status >= 500) return 'stackErrors.server'
  return 'stackErrors.unknown'
}

interface FetchErrorShape {
  status: number
  reason?: unknown
}

function isFetchErrorShape(err: unknown): err is FetchErrorShape {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { name?: unknown }).name === 'FetchError' &&
    typeof (err as { status?: unknown }).status === 'number'
  )
}

/** Pulls the JSON:API errors out of a FetchError's parsed body, whatever its shape. */
export function jsonApiErrorsOf(reason: unknown): JsonApiError[] {
  if (typeof reason === 'string') return reason.trim() ? [{ detail: reason.trim() }] : []
  if (typeof reason !== 'object' || reason === null) return []
  const body = reason as { errors?: unknown; error?: unknown; message?: unknown }
  if (Array.isArray(body.errors)) {
    return body.errors.filter((e): e is JsonApiError => typeof e === 'object' && e !== null)
  }
  const text = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : null
  return text ? [{ detail: text }] : []
}

function matches(rule: ErrorRule, status: number, errors: JsonApiError[]): boolean {
  if (rule.status !== status) return false
  if (!rule.detail) return true
  const texts = errors.flatMap(e => [e.detail, e.title]).filter((t): t is string => typeof t === 'string')
  return texts.some(text => rule.detail?.test(text))
}

/**
 * The bare JSON:API `errors` array some collections throw instead of the FetchError
 * (cozy-stack-client FileCollection.js getDirectoryOrCreate rethrows the parsed body's errors).
 */
function errorsArrayStatus(err: unknown): number | null {
  if (!Array.isArray(err) || err.length === 0) return null
  const status = Number((err[0] as { status?: unknown } | null)?.status)
  return Number.isInteger(status) && status >= 400 ? status : null
}

/**
 * Turns whatever a stack call threw into a StackError: cozy-client's FetchError (status +
 * parsed body), a network failure (fetch's TypeError), or an error we raised ourselves.
 */
export function toStackError(err: unknown, rules: ErrorRule[] = []): StackError {
  if (err instanceof StackError) return err
  const fromArray = errorsArrayStatus(err)
  if (isFetchErrorShape(err) || fromArray !== null) {
    const status = fromArray ?? (err as FetchErrorShape).status
    const errors = jsonApiErrorsOf(fromArray !== null ? { errors: err } : (err as FetchErrorShape).reason)
    const rule = rules.find(r => matches(r, status, errors))
    return new StackError(status, rule?.key ?? genericErrorKey(status), errors)
  }
  const message = err instanceof Error ? err.message : String(err)
  return new StackError(0, 'stackErrors.network', [], message)
}

/** Runs one stack call and converts any failure with the route's rules. */
export async function withStackErrors<T>(call: () => Promise<T>, rules: ErrorRule[] = []): Promise<T> {
  try {
    return await call()
  } catch (err) {
    throw toStackError(err, rules)
  }
}
