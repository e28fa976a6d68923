/**
 * Component tests only: jsdom lacks a few standard APIs that browsers have and the archive
 * reader uses (TextDecoder, DecompressionStream); Node's implementations are the same
 * standards. Import this first in a spec, before the modules that need them load.
 */
import { TextDecoder, TextEncoder } from 'util'
import { DecompressionStream, ReadableStream } from 'stream/web'

const globals = globalThis as Record<string, unknown>
for (const [name, value] of Object.entries({ TextDecoder, TextEncoder, DecompressionStream, ReadableStream })) {
  if (globals[name] === undefined) globals[name] = value
}
