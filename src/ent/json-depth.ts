/**
 * How deep a parsed JSON value nests, measured without recursion. MongoDB refuses documents
 * nested deeper than 100 levels (docs: "Nested Depth for BSON Documents"), so no record an ENT
 * app stored in Mongo goes past it; SQL apps' JSONB columns stay far below in practice. A
 * record deeper than MAX_RECORD_DEPTH is therefore damaged or hostile: it is not converted
 * (converters, sanitisers and JSON.stringify recurse), it is kept as is and reported.
 */
export const MAX_RECORD_DEPTH = 128

/** Whether `value` nests more than `max` arrays/objects deep. */
export function nestsDeeperThan(value: unknown, max: number = MAX_RECORD_DEPTH): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }]
  while (pending.length > 0) {
    const { value: v, depth } = pending.pop() as { value: unknown; depth: number }
    if (!v || typeof v !== 'object') continue
    if (depth + 1 > max) return true
    const children = Array.isArray(v) ? v : Object.values(v)
    for (const child of children) if (child && typeof child === 'object') pending.push({ value: child, depth: depth + 1 })
  }
  return false
}
