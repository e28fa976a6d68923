/**
 * Reads one entry's data through the library that listed it. The library inflates and checks
 * the CRC; this layer adds the guarantee callers rely on whatever the library: never more
 * bytes than the entry declares (a lying directory cannot turn a small entry into an endless
 * one), and every failure as an EntArchiveError naming the entry.
 */
import { EntArchiveError, errorMessage } from '../errors'
import { ZipEntry } from './entry'

export async function* readEntryData(entry: ZipEntry): AsyncIterable<Uint8Array> {
  if (entry.isDirectory) return
  let produced = 0
  try {
    for await (const chunk of entry.open(entry.name)) {
      produced += chunk.length
      if (produced > entry.size) throw tooMuchData(entry)
      yield chunk
    }
  } catch (err) {
    if (err instanceof EntArchiveError) throw err
    throw new EntArchiveError('corrupt', `Entry "${entry.name}" cannot be decompressed: ${errorMessage(err)}.`)
  }
  if (produced !== entry.size) {
    throw new EntArchiveError('corrupt', `Entry "${entry.name}" holds ${produced} bytes instead of the ${entry.size} it declares.`)
  }
}

export function tooMuchData(entry: { name: string; size: number }): EntArchiveError {
  return new EntArchiveError('corrupt', `Entry "${entry.name}" holds more data than the ${entry.size} bytes it declares (a zip bomb or damage); reading stopped.`)
}

/**
 * Reads a whole entry into memory, refusing entries above `maxBytes` before reading anything
 * (and again while reading, should the declared size lie).
 */
export async function readEntryBytes(entry: ZipEntry, maxBytes: number): Promise<Uint8Array> {
  if (entry.size > maxBytes) {
    throw new EntArchiveError('too-large', `Entry "${entry.name}" is ${entry.size} bytes, above the ${maxBytes}-byte limit for reading it into memory.`)
  }
  const chunks: Uint8Array[] = []
  for await (const chunk of readEntryData(entry)) chunks.push(chunk)
  if (chunks.length === 1) return chunks[0]
  const out = new Uint8Array(entry.size)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}
