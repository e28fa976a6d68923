import zlib from 'zlib'
import { ZipEntry } from './entry'
import { nodePlatform } from './node-platform'
import { webPlatform } from './platform'
import { bytesSource } from './source'
import { inflateEntry } from './stored-deflate'

function stored(data: Uint8Array, final: boolean): Uint8Array {
  const block = new Uint8Array(5 + data.length)
  block[0] = final ? 1 : 0
  block[1] = data.length & 0xff
  block[2] = data.length >> 8
  block[3] = ~data.length & 0xff
  block[4] = (~data.length >> 8) & 0xff
  block.set(data, 5)
  return block
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

async function inflate(compressed: Uint8Array, size: number, platform = nodePlatform, chunk = 7): Promise<Uint8Array> {
  const source = bytesSource(compressed)
  // Tiny chunks exercise block headers split across reads.
  const chunked = { ...source, stream: async function* (offset: number, length: number) {
    for (let at = offset; at < offset + length; at += chunk) yield compressed.subarray(at, Math.min(offset + length, at + chunk))
  } }
  const entry = { compressedSize: compressed.length, size } as ZipEntry
  const parts: Uint8Array[] = []
  for await (const part of inflateEntry(chunked, 0, entry, platform)) parts.push(part)
  return concat(...parts)
}

const text = (n: number): Uint8Array => new TextEncoder().encode('Écrit à l’école. '.repeat(n))

describe('inflating entries', () => {
  it('reads the stored blocks Java writes at level 0 without a decompressor', async () => {
    const data = text(500)
    const compressed = concat(stored(data.subarray(0, 3000), false), stored(data.subarray(3000), false), stored(new Uint8Array(0), true))
    expect(await inflate(compressed, data.length)).toEqual(data)
  })

  it('inflates real deflate data (repacked archives) with the platform inflater', async () => {
    const data = text(800)
    for (const platform of [nodePlatform, webPlatform]) {
      expect(await inflate(new Uint8Array(zlib.deflateRawSync(data, { level: 9 })), data.length, platform, 100)).toEqual(data)
    }
  })

  it('restarts with the inflater when stored blocks are followed by compressed ones, without repeating bytes', async () => {
    const head = text(100)
    const tail = text(300)
    const compressed = concat(stored(head, false), new Uint8Array(zlib.deflateRawSync(tail, { level: 6 })))
    expect(await inflate(compressed, head.length + tail.length)).toEqual(concat(head, tail))
  })

  it('hands truncated stored data to the inflater, which reports it', async () => {
    const data = text(50)
    const compressed = stored(data, true).subarray(0, 200)
    await expect(inflate(compressed, data.length)).rejects.toThrow()
  })
})
