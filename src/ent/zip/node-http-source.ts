/**
 * Node-only: an archive read through HTTP Range requests, e.g. a file stored in a Cozy
 * (`GET /files/download/:id` honours `Range`). Only the ranges the reader asks for travel:
 * the directory in two or three requests, then one request per entry read.
 */
import http, { IncomingMessage } from 'http'
import https from 'https'
import { EntArchiveError, errorMessage } from '../errors'
import { asBytes } from './node-platform'
import { ArchiveSource } from './source'

export interface HttpSourceOptions {
  /** Sent with every request, e.g. `{Authorization: 'Bearer …'}`. */
  headers?: Record<string, string>
  /** Redirects followed (headers are only kept on the same origin). Default 3. */
  maxRedirects?: number
  /** Per-request inactivity timeout in ms. Default 60 s. */
  timeoutMs?: number
}

interface RangeResponse {
  response: IncomingMessage
  url: URL
}

function safeDescription(url: URL): string {
  return `${url.origin}${url.pathname}`
}

function get(url: URL, headers: Record<string, string>, options: HttpSourceOptions, redirectsLeft: number, origin: string): Promise<RangeResponse> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null
    if (!client) {
      reject(new EntArchiveError('io', `Unsupported URL protocol ${url.protocol}`))
      return
    }
    const request = client.get(url, { headers }, response => {
      const status = response.statusCode ?? 0
      const location = response.headers.location
      if (status >= 300 && status < 400 && location) {
        response.resume()
        if (redirectsLeft <= 0) {
          reject(new EntArchiveError('io', `Too many redirects from ${safeDescription(url)}`))
          return
        }
        const next = new URL(location, url)
        const nextHeaders = next.origin === origin ? headers : { Range: headers.Range }
        get(next, nextHeaders, options, redirectsLeft - 1, origin).then(resolve, reject)
        return
      }
      resolve({ response, url })
    })
    request.setTimeout(options.timeoutMs ?? 60_000, () => request.destroy(new Error('timed out')))
    request.on('error', err => reject(new EntArchiveError('io', `Cannot read ${safeDescription(url)}: ${errorMessage(err)}`)))
  })
}

/** The 206 answer to `Range: bytes=first-last`, redirects followed; anything else is an EntArchiveError. */
export async function rangeRequest(url: URL, options: HttpSourceOptions, first: number, last: number): Promise<IncomingMessage> {
  const headers = { ...(options.headers ?? {}), Range: `bytes=${first}-${last}` }
  const { response } = await get(url, headers, options, options.maxRedirects ?? 3, url.origin)
  const status = response.statusCode ?? 0
  if (status === 206) return response
  response.resume()
  if (status === 200) throw new EntArchiveError('io', `${safeDescription(url)} does not support HTTP Range requests; refusing to download the whole archive.`)
  if (status === 416) throw new EntArchiveError('empty', 'The file is empty (0 bytes).')
  throw new EntArchiveError('io', `Cannot read ${safeDescription(url)}: HTTP ${status}`)
}

/** Opens a remote archive: one small request learns its size from `Content-Range`. */
export async function httpRangeSource(address: string, options: HttpSourceOptions = {}): Promise<ArchiveSource> {
  const url = new URL(address)
  const probe = await rangeRequest(url, options, 0, 0)
  probe.resume()
  const total = /\/(\d+)\s*$/.exec(String(probe.headers['content-range'] ?? ''))
  if (!total) throw new EntArchiveError('io', `${safeDescription(url)} answered a Range request without a usable Content-Range header.`)
  const size = Number(total[1])

  async function* stream(offset: number, length: number): AsyncIterable<Uint8Array> {
    const want = Math.max(0, Math.min(length, size - offset))
    if (want === 0) return
    const response = await rangeRequest(url, options, offset, offset + want - 1)
    let received = 0
    try {
      for await (const chunk of response) {
        const bytes = asBytes(chunk as Buffer)
        const room = want - received
        if (room <= 0) break
        received += Math.min(room, bytes.length)
        yield bytes.length > room ? bytes.subarray(0, room) : bytes
      }
    } finally {
      response.destroy()
    }
    if (received < want) throw new EntArchiveError('io', `${safeDescription(url)} ended the range early (${received} of ${want} bytes).`)
  }

  return {
    size,
    description: safeDescription(url),
    async read(offset, length) {
      const chunks: Uint8Array[] = []
      let total = 0
      for await (const chunk of stream(offset, length)) {
        chunks.push(chunk)
        total += chunk.length
      }
      if (chunks.length === 1) return chunks[0]
      const joined = new Uint8Array(total)
      let at = 0
      for (const chunk of chunks) {
        joined.set(chunk, at)
        at += chunk.length
      }
      return joined
    },
    stream,
    close: async () => undefined
  }
}
