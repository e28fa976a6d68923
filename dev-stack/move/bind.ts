import type { Request } from 'express'
import { badJson, StackError } from '../http/errors'
import { isObject, readRawBody } from '../http/body'

/** What web/errors/errors.go makes of a Go decoding error: a 500 "Unqualified error". */
function unqualified(detail: string): StackError {
  return new StackError(500, 'jsonapi', detail, { title: 'Unqualified error' })
}

export type FieldKind = 'int' | 'string' | 'bool' | 'strings' | 'object'

function fits(kind: FieldKind, v: unknown): boolean {
  if (v === null) return true // a JSON null leaves a Go field untouched
  switch (kind) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v)
    case 'string':
      return typeof v === 'string'
    case 'bool':
      return typeof v === 'boolean'
    case 'strings':
      return Array.isArray(v) && v.every(x => typeof x === 'string' || x === null)
    case 'object':
      return isObject(v)
  }
}

/**
 * pkg/jsonapi Bind into a Go struct, as web/move/move.go calls it: a body that is not JSON, a
 * `data` that is not an object or attributes of the wrong type are Go decoding errors, which
 * the stack answers with a 500; a document without `data` is jsonapi.BadJSON (400). (The
 * reference's table says "400 bad JSON"; the code only gives 400 for a missing `data`.)
 * Returns the attributes whose names and types match `fields`; other attributes are ignored,
 * as Go ignores unknown fields.
 */
export async function bindAttributes(req: Request, fields: Record<string, FieldKind>): Promise<Record<string, unknown>> {
  const raw = (await readRawBody(req, 1024 * 1024)).toString('utf8')
  let body: unknown
  try {
    body = JSON.parse(raw)
  } catch (err) {
    throw unqualified(raw.trim() === '' ? 'EOF' : (err as Error).message)
  }
  if (body === null) throw badJson()
  if (!isObject(body)) throw unqualified('json: cannot unmarshal into Go value of type jsonapi.Document')
  if (body.data === undefined || body.data === null) throw badJson()
  if (!isObject(body.data)) throw unqualified('json: cannot unmarshal into Go value of type jsonapi.ObjectMarshalling')
  const attributes = body.data.attributes
  if (attributes === undefined || attributes === null) return {}
  if (!isObject(attributes)) throw unqualified('json: cannot unmarshal into Go struct')
  const out: Record<string, unknown> = {}
  for (const [name, kind] of Object.entries(fields)) {
    const v = attributes[name]
    if (v === undefined) continue
    if (!fits(kind, v)) throw unqualified(`json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go struct field .${name}`)
    if (v !== null) out[name] = v
  }
  return out
}
