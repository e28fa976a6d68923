/**
 * How much memory V8 keeps around the live heap, bounded once at each entry point.
 *
 * The old generation: on a machine with memory to spare (a heap limit of 2 GiB or more) V8
 * lets it grow to up to 4 × what the last collection left alive (heap-controller.cc,
 * MaxGrowingFactor): an import of 70,000 files, whose live heap stays at 60–100 MB, reached
 * 290 MB of heap and 450 MiB of RSS with garbage alone, the requests, streams and answers of
 * each upload that outlived a young-generation collection. `--heap-growing-percent` lets it
 * grow by that share of the live heap instead (V8 still allows a few MB more at least,
 * MinimumAllocationLimitGrowingStep): more full collections (tens of ms each, every second or
 * two), a peak in proportion to what is really held. 50 % first; 10 % now: a 10,000-file import
 * peaked at 130 MiB against 137 at 25 %, for the same CPU time (31.9 s against 32.9 s).
 *
 * The young generation: V8 doubles its two semi-spaces from 1 MiB up to 16 MiB each as soon as
 * many objects survive a scavenge (SemiSpaceNewSpace::Grow), which module loading alone does:
 * 32 MiB of resident pages for objects that die young anyway. A growth factor of 1 keeps them
 * at their first size: a 10,000-file import peaked at 146 MiB instead of 169 (old generation
 * at 50 % in both), for the same CPU time (31.3 s against 30.8 s at a similar load).
 * `--max-semi-space-size` would say it more directly but is read only when the heap is made,
 * before any script runs (set later, it changed nothing).
 *
 * Both flags are read by V8 when it next resizes, so setting them in a running process works
 * (the konnector's process is started by the stack, where no flag can be given on the command
 * line), provided it is done before the modules are loaded: `bound-heap.ts` is what each entry
 * point imports first. Flags, not code: the last resort of issue 15 point 1, because the
 * garbage is made inside the HTTP client (undici's fetch under cozy-stack-client), not by the
 * engine.
 */
import v8 from 'v8'

export const HEAP_GROWING_PERCENT = 10

let bounded = false

/** Called once by each entry point (command line, konnector) before any import work. */
export function boundHeapGrowth(): void {
  if (bounded) return
  bounded = true
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  v8.setFlagsFromString('--semi-space-growth-factor=1')
}
