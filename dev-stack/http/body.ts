import type { Request } from 'express'
import { badJson, jsonApiError, StackError } from './errors'

/** Largest JSON body the stand-in reads; bigger ones are refused rather than buffered. */
export const MAX_JSON_BODY = 10 * 1024 * 1024

export async function readRawBody(req: Request, limit = MAX_JSON_BODY): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of req) {
    const buf = chunk as Uint8Array
    size += buf.length
    if (size > limit) throw jsonApiError(413, 'The request body is too large')
    chunks.push(buf)
  }
  return Buffer.concat(chunks)
}

/**
 * Reads a JSON body. `onError` picks the error the calling route answers with for bad JSON
 * (the stack answers jsonapi.BadJSON on JSON:API routes and a 400 with the decoder message on /data).
 */
export async function readJson(req: Request, onError: (message: string) => StackError = () => badJson()): Promise<unknown> {
  const raw = await readRawBody(req)
  try {
    return JSON.parse(raw.toString('utf8')) as unknown
  } catch (err) {
    throw onError((err as Error).message)
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Binds a JSON:API document the way pkg/jsonapi Bind does: the body must be an object with a
 * `data` object; anything else is jsonapi.BadJSON.
 */
export async function readJsonApi(req: Request): Promise<{ data: Record<string, unknown>; attributes: Record<string, unknown> }> {
  const body = await readJson(req)
  if (!isObject(body) || !isObject(body.data)) throw badJson()
  const attributes = body.data.attributes
  if (attributes !== undefined && !isObject(attributes)) throw badJson()
  return { data: body.data, attributes: (attributes as Record<string, unknown> | undefined) ?? {} }
}

export function queryString(req: Request, name: string): string | undefined {
  const v = req.query[name]
  if (typeof v === 'string') return v
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0]
  return undefined
}
