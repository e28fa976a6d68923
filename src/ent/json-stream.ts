/**
 * Streams the values of a large JSON document without holding it whole: the items of a
 * top-level array (the workspace index), or the members of a top-level object with one
 * array member streamed item by item (SQL table files: `{"fields":[…],"results":[[…],…]}`).
 * Each value is parsed on its own and capped at `maxValueBytes`; an oversized value is
 * skipped (its bytes are counted, not kept) and reported, so memory stays bounded.
 */
import { EntArchiveError } from './errors'

export type JsonStreamEvent =
  | { kind: 'item'; index: number; value: unknown }
  | { kind: 'member'; key: string; value: unknown }
  | { kind: 'too-large'; index: number | null; key: string | null; bytes: number }
  | { kind: 'malformed'; index: number | null; key: string | null; message: string }

export interface JsonStreamOptions {
  /** When the root is an object, the member whose array items are streamed one by one. */
  itemsKey?: string
  maxValueBytes: number
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09
}

interface Frame {
  array: boolean
  /** Objects: a key is expected next (after `{` or `,`). */
  expectKey: boolean
  /** A value is expected next (arrays after `[`/`,`, objects after `:`). */
  expectValue: boolean
  /** Objects at depth 1: the current member key. */
  key: string | null
}

interface Capture {
  depth: number
  parts: Uint8Array[]
  bytes: number
  index: number | null
  key: string | null
}

const decoder = new TextDecoder()

export async function* streamJson(chunks: AsyncIterable<Uint8Array>, options: JsonStreamOptions): AsyncIterable<JsonStreamEvent> {
  const stack: Frame[] = []
  let inString = false
  let escaped = false
  let capture: Capture | null = null
  let keyParts: number[] | null = null
  let itemIndex = 0
  let rootSeen = false
  // Each value is handed on as soon as it ends, not once its chunk is read: a chunk holds
  // thousands of small records, which would otherwise all outlive a few collections together.
  const finish = (end: Uint8Array, upTo: number, from: number): JsonStreamEvent | null => {
    const current = capture
    if (!current) return null
    capture = null
    if (current.bytes + (upTo - from) > options.maxValueBytes) {
      return { kind: 'too-large', index: current.index, key: current.key, bytes: current.bytes + (upTo - from) }
    }
    current.parts.push(end.slice(from, upTo))
    let text = ''
    if (current.parts.length === 1) text = decoder.decode(current.parts[0])
    else {
      const total = current.parts.reduce((n, p) => n + p.length, 0)
      const joined = new Uint8Array(total)
      let at = 0
      for (const part of current.parts) {
        joined.set(part, at)
        at += part.length
      }
      text = decoder.decode(joined)
    }
    try {
      const value: unknown = JSON.parse(text)
      if (current.key !== null) return { kind: 'member', key: current.key, value }
      return { kind: 'item', index: current.index ?? 0, value }
    } catch (err) {
      return { kind: 'malformed', index: current.index, key: current.key, message: err instanceof Error ? err.message : String(err) }
    }
  }

  /** Whether a value starting now (with `stack` as its parents) is one we emit. */
  const captureHere = (): { index: number | null; key: string | null } | null => {
    if (stack.length === 1) {
      const root = stack[0]
      if (root.array) return { index: itemIndex++, key: null }
      if (root.key !== options.itemsKey) return { index: null, key: root.key ?? '' }
      return null
    }
    if (stack.length === 2 && !stack[0].array && stack[0].key === options.itemsKey && stack[1].array) {
      return { index: itemIndex++, key: null }
    }
    return null
  }

  let nested = 0
  for await (const chunk of chunks) {
    let captureFrom = 0
    const n = chunk.length
    let nextBackslash = chunk.indexOf(BACKSLASH)
    for (let i = 0; i < n; i++) {
      if (capture !== null) {
        // Inside an emitted value only strings and bracket depth matter: a tight loop, with
        // strings skipped natively (JSON.parse checks the value itself afterwards).
        for (; i < n; i++) {
          if (inString) {
            if (escaped) {
              escaped = false
              continue
            }
            const quote = chunk.indexOf(QUOTE, i)
            if (nextBackslash >= 0 && nextBackslash < i) nextBackslash = chunk.indexOf(BACKSLASH, i)
            if (nextBackslash >= 0 && (quote < 0 || nextBackslash < quote)) {
              i = nextBackslash
              escaped = true
              continue
            }
            if (quote < 0) {
              i = n
              break
            }
            i = quote
            inString = false
            continue
          }
          const b = chunk[i]
          if (b === QUOTE) inString = true
          else if (b === OPEN_ARRAY || b === OPEN_OBJECT) nested++
          else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
            if (nested === 0) break
            nested--
          } else if (b === COMMA && nested === 0) break
        }
        if (i >= n) break
        const event = finish(chunk, i, captureFrom)
        if (event) yield event
      }
      const b = chunk[i]
      if (inString) {
        // Strings outside emitted values: keys of the root object (kept) or skipped values.
        if (keyParts && (escaped || b !== QUOTE)) keyParts.push(b)
        if (escaped) escaped = false
        else if (b === BACKSLASH) escaped = true
        else if (b === QUOTE) {
          inString = false
          if (keyParts) {
            if (keyParts.length > 4096) throw new EntArchiveError('too-large', 'A JSON key is longer than 4096 bytes.')
            stack[0].key = JSON.parse(`"${decoder.decode(Uint8Array.from(keyParts))}"`) as string
            keyParts = null
          }
        }
        continue
      }
      if (isSpace(b)) continue
      const top = stack.length > 0 ? stack[stack.length - 1] : null
      if (top && !top.array && top.expectKey) {
        if (b === QUOTE) {
          top.expectKey = false
          inString = true
          keyParts = stack.length === 1 ? [] : null
          continue
        }
        if (b !== CLOSE_OBJECT) throw new EntArchiveError('corrupt', 'Malformed JSON: a key was expected.')
      }
      if (b === COLON) {
        if (top && !top.array) top.expectValue = true
        continue
      }
      if (b === COMMA) {
        if (top) {
          if (top.array) top.expectValue = true
          else top.expectKey = true
        }
        continue
      }
      if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
        if (!top || top.array !== (b === CLOSE_ARRAY)) throw new EntArchiveError('corrupt', 'Malformed JSON: unbalanced brackets.')
        stack.pop()
        continue
      }
      // A value starts here (scalar first byte, string, object or array).
      const parent = top
      const startsValue = parent === null ? !rootSeen : parent.expectValue
      if (startsValue) {
        if (parent) parent.expectValue = false
        else rootSeen = true
        if (parent) {
          const target = captureHere()
          if (target) {
            capture = { depth: stack.length, parts: [], bytes: 0, index: target.index, key: target.key }
            captureFrom = i
            nested = 0
            // Re-read this byte in capture mode.
            i--
            continue
          }
        }
        if (parent === null && b !== OPEN_ARRAY && b !== OPEN_OBJECT) {
          throw new EntArchiveError('corrupt', 'Malformed JSON: the document is not an array or object.')
        }
      }
      if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
        stack.push({ array: b === OPEN_ARRAY, expectKey: b === OPEN_OBJECT, expectValue: b === OPEN_ARRAY, key: null })
      } else if (b === QUOTE) {
        inString = true
      }
    }
    const open: Capture | null = capture
    if (open) {
      const tail = n - captureFrom
      if (open.bytes + tail <= options.maxValueBytes) open.parts.push(chunk.slice(captureFrom))
      else open.parts = []
      open.bytes += tail
    }
  }
  if (stack.length > 0 || inString || !rootSeen) throw new EntArchiveError('corrupt', 'Malformed JSON: the document ends too early.')
}
