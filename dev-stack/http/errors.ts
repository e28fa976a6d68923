import type { Request, Response, NextFunction } from 'express'

/**
 * The three error shapes cozy-stack answers with, so clients see exactly what they would see
 * against a real stack:
 * - `jsonapi`: pkg/jsonapi/errors.go, `{"errors":[{"status":"404","title":"Not Found","detail":…,"source":{}}]}`
 *   with Content-Type application/vnd.api+json (jsonapi.DataError);
 * - `http`: an echo.HTTPError (middlewares.ErrForbidden, "No token in request", permission.ErrInvalidToken),
 *   rendered by web/errors/errors.go HTMLErrorHandler as `{"error": message}`;
 * - `couch`: pkg/couchdb/errors.go Error.JSON(), `{"ok":false,"status":"404","error":"not_found","reason":"missing"}`.
 */
export type ErrorKind = 'jsonapi' | 'http' | 'couch'

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable'
}

export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? 'Error'
}

export class StackError extends Error {
  constructor(
    readonly status: number,
    readonly kind: ErrorKind,
    readonly detail: string,
    readonly extra: {
      title?: string
      couchName?: string
      source?: { pointer?: string; parameter?: string }
      headers?: Record<string, string>
      /** jsonapi.Error Code and Links (e.g. instance.MovedError: code "moved", links.related) */
      code?: string
      links?: { related?: string }
    } = {}
  ) {
    super(detail)
  }
}

/** jsonapi.Errorf / NewError: title is the HTTP status text. */
export function jsonApiError(status: number, detail: string, source?: { pointer?: string; parameter?: string }): StackError {
  return new StackError(status, 'jsonapi', detail, { source })
}

/** jsonapi.InvalidParameter: 422 with source.parameter. */
export function invalidParameter(parameter: string, detail: string): StackError {
  return new StackError(422, 'jsonapi', detail, { source: { parameter } })
}

/** jsonapi.InvalidAttribute: 422 with source.pointer /data/attributes/<attr>. */
export function invalidAttribute(attribute: string, detail: string): StackError {
  return new StackError(422, 'jsonapi', detail, { source: { pointer: `/data/attributes/${attribute}` } })
}

/** jsonapi.BadJSON (pkg/jsonapi/errors.go). */
export function badJson(): StackError {
  return jsonApiError(400, 'JSON input is malformed or is missing mandatory fields')
}

/** echo.NewHTTPError(status, message): the message defaults to the status text. */
export function httpError(status: number, message?: string, headers?: Record<string, string>): StackError {
  return new StackError(status, 'http', message ?? statusTitle(status), { headers })
}

/** middlewares.ErrForbidden. */
export function forbidden(): StackError {
  return httpError(403)
}

/** pkg/couchdb Error: `name` is CouchDB's error ("not_found", "conflict"), `reason` its reason. */
export function couchError(status: number, name: string, reason: string): StackError {
  return new StackError(status, 'couch', reason, { couchName: name })
}

function asStackError(err: unknown): StackError {
  if (err instanceof StackError) return err
  const pouch = err as { status?: number; name?: string; reason?: string; message?: string }
  if (typeof pouch?.status === 'number' && typeof pouch.name === 'string') {
    return couchError(pouch.status, pouch.name, pouch.reason ?? pouch.message ?? pouch.name)
  }
  const message = err instanceof Error ? err.message : String(err)
  return new StackError(500, 'jsonapi', message, { title: 'Unqualified error' })
}

/** Renders any error the way web/errors/errors.go ErrorHandler does (couch errors become JSON:API). */
export function sendError(res: Response, err: unknown): void {
  const e = asStackError(err)
  if (res.headersSent) {
    res.destroy()
    return
  }
  for (const [k, v] of Object.entries(e.extra.headers ?? {})) res.setHeader(k, v)
  if (e.kind === 'http') {
    res.status(e.status).type('application/json').send(JSON.stringify({ error: e.detail }))
    return
  }
  const title = e.kind === 'couch' ? (e.extra.couchName ?? statusTitle(e.status)) : (e.extra.title ?? statusTitle(e.status))
  const error: Record<string, unknown> = { status: String(e.status), title, detail: e.detail, source: e.extra.source ?? {} }
  if (e.extra.code) error.code = e.extra.code
  if (e.extra.links) error.links = e.extra.links
  const body = { errors: [error] }
  res.status(e.status).type('application/vnd.api+json').send(JSON.stringify(body))
}

/**
 * web/data/data.go couchdbStyleErrorHandler: CouchDB errors keep CouchDB's shape, echo errors and
 * JSON:API errors become `{"error": err.Error()}` (echo: "code=403, message=Forbidden";
 * jsonapi: "Bad Request(400): detail").
 */
export function sendCouchStyleError(res: Response, err: unknown): void {
  const e = asStackError(err)
  if (res.headersSent) {
    res.destroy()
    return
  }
  for (const [k, v] of Object.entries(e.extra.headers ?? {})) res.setHeader(k, v)
  let body: Record<string, unknown>
  if (e.kind === 'couch') {
    body = { ok: false, status: String(e.status), error: e.extra.couchName, reason: e.detail }
  } else if (e.kind === 'http') {
    body = { error: `code=${e.status}, message=${e.detail}` }
  } else {
    body = { error: `${e.extra.title ?? statusTitle(e.status)}(${e.status}): ${e.detail}` }
  }
  res.status(e.status).json(body)
}

type AsyncHandler = (req: Request, res: Response, next: NextFunction) => Promise<void>

/** Express 4 does not catch rejected promises: forward them to the error middleware. */
export function route(handler: AsyncHandler): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    handler(req, res, next).catch(next)
  }
}
