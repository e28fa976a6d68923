/** Node-only: zlib inflate and zlib.crc32, faster than the web-standard fallbacks. */
import { Readable } from 'stream'
import zlib from 'zlib'
import { crc32 as jsCrc32 } from './crc32'
import { ZipPlatform } from './platform'

/** A Buffer viewed as a plain Uint8Array (same memory). */
export function asBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

async function* zlibInflateRaw(compressed: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const inflater = zlib.createInflateRaw({ chunkSize: 256 * 1024 })
  const input = Readable.from(compressed, { objectMode: false })
  input.on('error', err => inflater.destroy(err))
  input.pipe(inflater)
  try {
    for await (const chunk of inflater) yield asBytes(chunk as Buffer)
  } finally {
    input.destroy()
    inflater.destroy()
  }
}

type Crc32 = (data: Uint8Array, previous: number) => number
const zlibCrc32 = (zlib as unknown as { crc32?: Crc32 }).crc32

function zlibInflateRawSync(compressed: Uint8Array, maxOutput: number): Uint8Array {
  return asBytes(zlib.inflateRawSync(compressed, { maxOutputLength: Math.max(1, maxOutput) }))
}

export const nodePlatform: ZipPlatform = { inflateRaw: zlibInflateRaw, inflateRawSync: zlibInflateRawSync, crc32: zlibCrc32 ?? jsCrc32 }
