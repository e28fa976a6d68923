/**
 * For tests: the French strings use non-breaking spaces (before « ; : ! ? » and inside
 * quotes), which Testing Library collapses to plain spaces in the page's text but not in the
 * string a test searches for. Tests compare with the dictionary passed through this.
 */
export function plainSpaces<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\s+/g, ' ') as unknown as T
  if (Array.isArray(value)) return value.map(plainSpaces) as unknown as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainSpaces(v)])) as T
  }
  return value
}
