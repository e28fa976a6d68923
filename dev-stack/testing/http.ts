/** Small fetch helpers for the stand-in's own tests and for other parts' integration tests. */
export interface Reply {
  status: number
  headers: Headers
  text: string
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown
}

export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {}
): Promise<Reply> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers ?? {}) }
  if (options.token) headers.Authorization = `Bearer ${options.token}`
  let body: string | ArrayBuffer | undefined
  if (typeof options.raw === 'string') body = options.raw
  else if (options.raw !== undefined) body = arrayBufferOf(options.raw)
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['Content-Type'] ??= 'application/json'
  }
  const res = await fetch(new URL(path.replace(/^\//, ''), base), { method, headers, body, redirect: 'manual' })
  const text = await res.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, text, json }
}

/** Reads `obj.a.b.c` without casts in tests. */
export function pick(value: unknown, ...keys: (string | number)[]): unknown {
  let v = value
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string | number, unknown>)[k]
  }
  return v
}

/** A copy of a Buffer's bytes as an ArrayBuffer (what fetch's typings accept as a body). */
export function arrayBufferOf(buf: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(buf.byteLength)
  new Uint8Array(copy).set(bytesOf(buf))
  return copy
}

function bytesOf(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
}
