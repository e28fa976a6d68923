/**
 * Reads one entry's data as a stream of chunks: local header, then the stored or deflated
 * bytes, checked on the way. Never yields more than the entry's declared size (a lying
 * directory cannot turn a small entry into an endless one) and checks the CRC at the end.
 */
import { EntArchiveError } from '../errors'
import { ZipEntry } from './entry'
import { ZipPlatform } from './platform'
import { ArchiveSource } from './source'
import { inflateEntry } from './stored-deflate'

const LOCAL_SIGNATURE = 0x04034b50
const LOCAL_FIXED = 30
/** Entries up to this compressed size are read and inflated in one go (bounded memory). */
const SMALL_ENTRY_BYTES = 1024 * 1024

async function* inflateSmall(source: ArchiveSource, dataStart: number, entry: ZipEntry, inflate: (data: Uint8Array, max: number) => Uint8Array): AsyncIterable<Uint8Array> {
  const compressed = await source.read(dataStart, entry.compressedSize)
  let inflated: Uint8Array
  try {
    // One byte more than declared, so that an entry holding more data is caught.
    inflated = inflate(compressed, entry.size + 1)
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new EntArchiveError('corrupt', `Entry "${entry.name}" holds more data than the ${entry.size} bytes it declares (a zip bomb or damage); reading stopped.`)
    }
    throw err
  }
  yield inflated
}

export async function* readEntryData(source: ArchiveSource, entry: ZipEntry, platform: ZipPlatform): AsyncIterable<Uint8Array> {
  if (entry.isDirectory) return
  const header = await source.read(entry.localHeaderOffset, LOCAL_FIXED)
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength)
  if (header.length < LOCAL_FIXED || view.getUint32(0, true) !== LOCAL_SIGNATURE) {
    throw new EntArchiveError('corrupt', `Entry "${entry.name}": its local header is missing or damaged.`)
  }
  if (view.getUint16(6, true) & 0x1) throw new EntArchiveError('encrypted', `Entry "${entry.name}" is encrypted.`)
  const dataStart = entry.localHeaderOffset + LOCAL_FIXED + view.getUint16(26, true) + view.getUint16(28, true)
  if (dataStart + entry.compressedSize > source.size) {
    throw new EntArchiveError('truncated', `Entry "${entry.name}" runs past the end of the archive: the archive is truncated.`)
  }
  let data: AsyncIterable<Uint8Array>
  if (entry.method === 8 && platform.inflateRawSync && entry.compressedSize <= SMALL_ENTRY_BYTES) {
    data = inflateSmall(source, dataStart, entry, platform.inflateRawSync)
  } else if (entry.method === 0) data = source.stream(dataStart, entry.compressedSize)
  else if (entry.method === 8) data = inflateEntry(source, dataStart, entry, platform)
  else throw new EntArchiveError('unsupported', `Entry "${entry.name}" uses compression method ${entry.method}, which ENT exports never use.`)

  let produced = 0
  let crc = 0
  try {
    for await (const chunk of data) {
      produced += chunk.length
      if (produced > entry.size) {
        throw new EntArchiveError('corrupt', `Entry "${entry.name}" holds more data than the ${entry.size} bytes it declares (a zip bomb or damage); reading stopped.`)
      }
      crc = platform.crc32(chunk, crc)
      yield chunk
    }
  } catch (err) {
    if (err instanceof EntArchiveError) throw err
    throw new EntArchiveError('corrupt', `Entry "${entry.name}" cannot be decompressed: ${err instanceof Error ? err.message : String(err)}.`)
  }
  if (produced !== entry.size) {
    throw new EntArchiveError('corrupt', `Entry "${entry.name}" holds ${produced} bytes instead of the ${entry.size} it declares.`)
  }
  if (crc !== entry.crc32) throw new EntArchiveError('corrupt', `Entry "${entry.name}" fails its CRC check: the archive is damaged.`)
}

/**
 * Reads a whole entry into memory, refusing entries above `maxBytes` before reading anything
 * (and again while reading, should the declared size lie).
 */
export async function readEntryBytes(source: ArchiveSource, entry: ZipEntry, platform: ZipPlatform, maxBytes: number): Promise<Uint8Array> {
  if (entry.size > maxBytes) {
    throw new EntArchiveError('too-large', `Entry "${entry.name}" is ${entry.size} bytes, above the ${maxBytes}-byte limit for reading it into memory.`)
  }
  const out = new Uint8Array(entry.size)
  let at = 0
  for await (const chunk of readEntryData(source, entry, platform)) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}
