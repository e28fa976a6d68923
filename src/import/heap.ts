/**
 * How far V8 lets its old generation grow between two full collections. On a machine with
 * memory to spare (a heap limit of 2 GiB or more) V8 lets it grow to up to 4 × what the last
 * collection left alive (heap-controller.cc, MaxGrowingFactor): an import of 70,000 files, whose
 * live heap stays at 60–90 MB, reached 290 MB of heap and 450 MiB of RSS with garbage alone,
 * the requests, streams and answers of each upload that outlived a young-generation collection
 * (measured with --trace-gc: full collections at 250–290 MB left 75–88 MB alive). Growing by
 * half of the live heap instead costs a few more full collections (tens of ms each, every few
 * seconds) and keeps the peak in proportion to what is really held.
 *
 * `--heap-growing-percent` is read at every full collection, so setting it once the process
 * runs takes effect; the konnector's process is started by the stack, where no flag can be
 * given on the command line. A V8 flag, not code: the last resort of issue 15 point 1, because
 * the garbage is made inside the HTTP client (undici's fetch under cozy-stack-client), not by
 * the engine.
 */
import v8 from 'v8'

export const HEAP_GROWING_PERCENT = 50

let bounded = false

/** Called once by each entry point (command line, konnector) before any import work. */
export function boundHeapGrowth(): void {
  if (bounded) return
  bounded = true
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
}
