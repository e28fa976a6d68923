/**
 * Imported first by the konnector's entry and the bench children, for its effect alone: the heap
 * is bounded before the other modules load (module loading is what first grows the young
 * generation; see heap.ts). The command line does the same with its first `require`.
 */
import { boundHeapGrowth } from './heap'

boundHeapGrowth()
