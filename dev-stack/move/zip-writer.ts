import { once } from 'events'
import type { Writable } from 'stream'
import zlib from 'zlib'
import { bytes } from '../util/bytes'

/**
 * A zip written while it streams, like Go's archive/zip Writer that web/move/move.go
 * exportDataHandler wraps around the HTTP response: every entry is Deflate-compressed, its
 * sizes and CRC come after the data in a data descriptor (so nothing is buffered), and the
 * central directory closes the archive. ZIP64 records are added only when a size or an offset
 * passes 4 GiB, as Go does. Names are UTF-8 (flag bit 11).
 */
const U32 = 0xffffffff
const U16 = 0xffff

interface CentralRecord {
  name: Buffer
  crc: number
  compressed: number
  uncompressed: number
  offset: number
  dosTime: number
  dosDate: number
  mode: number
}

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear())
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate()
  }
}

export class ZipStreamWriter {
  private offset = 0
  private readonly records: CentralRecord[] = []

  constructor(private readonly out: Writable) {}

  private async write(chunk: Buffer): Promise<void> {
    this.offset += chunk.length
    if (this.out.write(chunk)) return
    if (this.out.destroyed) throw new Error('the client went away')
    await new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        cleanup()
        resolve()
      }
      const onClose = (): void => {
        cleanup()
        reject(new Error('the client went away'))
      }
      const cleanup = (): void => {
        this.out.off('drain', onDrain)
        this.out.off('close', onClose)
      }
      this.out.on('drain', onDrain)
      this.out.on('close', onClose)
    })
  }

  /** Adds one entry; `content` is read once, compressed and written as it comes. */
  async add(name: string, content: Buffer | AsyncIterable<Buffer | Uint8Array>, options: { modified: Date; mode: number }): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8')
    const { time, date } = dosDateTime(options.modified)
    const offset = this.offset
    const header = Buffer.alloc(30)
    header.writeUInt32LE(0x04034b50, 0)
    header.writeUInt16LE(20, 4) // version needed: 2.0
    header.writeUInt16LE(0x0808, 6) // data descriptor + UTF-8 names
    header.writeUInt16LE(8, 8) // deflate
    header.writeUInt16LE(time, 10)
    header.writeUInt16LE(date, 12)
    // crc and sizes (14..25) stay 0: they follow the data
    header.writeUInt16LE(nameBytes.length, 26)
    header.writeUInt16LE(0, 28)
    await this.write(Buffer.concat([bytes(header), bytes(nameBytes)]))

    const { crc, compressed, uncompressed } = await this.deflate(content)
    const zip64 = compressed >= U32 || uncompressed >= U32
    const descriptor = Buffer.alloc(zip64 ? 24 : 16)
    descriptor.writeUInt32LE(0x08074b50, 0)
    descriptor.writeUInt32LE(crc, 4)
    if (zip64) {
      descriptor.writeBigUInt64LE(BigInt(compressed), 8)
      descriptor.writeBigUInt64LE(BigInt(uncompressed), 16)
    } else {
      descriptor.writeUInt32LE(compressed, 8)
      descriptor.writeUInt32LE(uncompressed, 12)
    }
    await this.write(descriptor)
    this.records.push({ name: nameBytes, crc, compressed, uncompressed, offset, dosTime: time, dosDate: date, mode: options.mode })
  }

  private async deflate(content: Buffer | AsyncIterable<Buffer | Uint8Array>): Promise<{ crc: number; compressed: number; uncompressed: number }> {
    const deflater = zlib.createDeflateRaw()
    let crc = 0
    let compressed = 0
    let uncompressed = 0
    const drainOut = (async () => {
      for await (const chunk of deflater) {
        const b = chunk as Buffer
        compressed += b.length
        await this.write(b)
      }
    })()
    // if the client goes away, stop the compressor so that nothing waits on it forever
    drainOut.catch((err: Error) => deflater.destroy(err))
    try {
      const source: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer> = Buffer.isBuffer(content) ? [content] : content
      for await (const chunk of source) {
        const b: Uint8Array = Buffer.isBuffer(chunk) ? bytes(chunk) : chunk
        crc = zlib.crc32(b, crc)
        uncompressed += b.length
        if (!deflater.write(b)) await once(deflater, 'drain')
      }
      deflater.end()
      await drainOut
    } catch (err) {
      deflater.destroy()
      await drainOut.catch(() => undefined)
      throw err
    }
    return { crc, compressed, uncompressed }
  }

  /** Writes the central directory and the end records; the caller then ends the stream. */
  async finish(): Promise<void> {
    const start = this.offset
    for (const r of this.records) {
      const needs64 = r.compressed >= U32 || r.uncompressed >= U32 || r.offset >= U32
      let extra = Buffer.alloc(0)
      if (needs64) {
        extra = Buffer.alloc(28)
        extra.writeUInt16LE(0x0001, 0)
        extra.writeUInt16LE(24, 2)
        extra.writeBigUInt64LE(BigInt(r.uncompressed), 4)
        extra.writeBigUInt64LE(BigInt(r.compressed), 12)
        extra.writeBigUInt64LE(BigInt(r.offset), 20)
      }
      const h = Buffer.alloc(46)
      h.writeUInt32LE(0x02014b50, 0)
      h.writeUInt16LE((3 << 8) | (needs64 ? 45 : 20), 4) // made by Unix
      h.writeUInt16LE(needs64 ? 45 : 20, 6)
      h.writeUInt16LE(0x0808, 8)
      h.writeUInt16LE(8, 10)
      h.writeUInt16LE(r.dosTime, 12)
      h.writeUInt16LE(r.dosDate, 14)
      h.writeUInt32LE(r.crc, 16)
      h.writeUInt32LE(needs64 ? U32 : r.compressed, 20)
      h.writeUInt32LE(needs64 ? U32 : r.uncompressed, 24)
      h.writeUInt16LE(r.name.length, 28)
      h.writeUInt16LE(extra.length, 30)
      h.writeUInt16LE(0, 32) // comment
      h.writeUInt16LE(0, 34) // disk
      h.writeUInt16LE(0, 36) // internal attributes
      h.writeUInt32LE(((0o100000 | r.mode) << 16) >>> 0, 38)
      h.writeUInt32LE(needs64 ? U32 : r.offset, 42)
      await this.write(Buffer.concat([bytes(h), bytes(r.name), bytes(extra)]))
    }
    const size = this.offset - start
    const count = this.records.length
    if (start >= U32 || size >= U32 || count >= U16) {
      const eocd64Offset = this.offset
      const z = Buffer.alloc(56)
      z.writeUInt32LE(0x06064b50, 0)
      z.writeBigUInt64LE(44n, 4)
      z.writeUInt16LE((3 << 8) | 45, 12)
      z.writeUInt16LE(45, 14)
      z.writeUInt32LE(0, 16)
      z.writeUInt32LE(0, 20)
      z.writeBigUInt64LE(BigInt(count), 24)
      z.writeBigUInt64LE(BigInt(count), 32)
      z.writeBigUInt64LE(BigInt(size), 40)
      z.writeBigUInt64LE(BigInt(start), 48)
      const locator = Buffer.alloc(20)
      locator.writeUInt32LE(0x07064b50, 0)
      locator.writeUInt32LE(0, 4)
      locator.writeBigUInt64LE(BigInt(eocd64Offset), 8)
      locator.writeUInt32LE(1, 16)
      await this.write(Buffer.concat([bytes(z), bytes(locator)]))
    }
    const end = Buffer.alloc(22)
    end.writeUInt32LE(0x06054b50, 0)
    end.writeUInt16LE(Math.min(count, U16), 8)
    end.writeUInt16LE(Math.min(count, U16), 10)
    end.writeUInt32LE(Math.min(size, U32), 12)
    end.writeUInt32LE(Math.min(start, U32), 16)
    await this.write(end)
  }
}
