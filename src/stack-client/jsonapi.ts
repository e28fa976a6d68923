/** Reading JSON:API documents the stack answers, without trusting their shape. */

export interface JsonApiResource {
  id: string
  type: string
  attributes: Record<string, unknown>
  links: Record<string, unknown>
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function toResource(value: unknown): JsonApiResource {
  const data = asRecord(value)
  return {
    id: typeof data.id === 'string' ? data.id : '',
    type: typeof data.type === 'string' ? data.type : '',
    attributes: asRecord(data.attributes),
    links: asRecord(data.links)
  }
}

/** `{ data: {...} }` → the resource; a body without `data` gives an empty resource. */
export function singleResource(body: unknown): JsonApiResource {
  return toResource(asRecord(body).data)
}

/** `{ data: [...] }` → the resources; anything else gives an empty list. */
export function resourceList(body: unknown): JsonApiResource[] {
  const data = asRecord(body).data
  return Array.isArray(data) ? data.map(toResource) : []
}

export function stringAttr(attrs: Record<string, unknown>, name: string): string | undefined {
  const value = attrs[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

export function numberAttr(attrs: Record<string, unknown>, name: string): number | undefined {
  const value = attrs[name]
  if (typeof value === 'number' && Number.isFinite(value)) return value
  // The stack writes disk usage numbers as strings (web/settings/disk_usage.go).
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return undefined
}

export function stringListAttr(attrs: Record<string, unknown>, name: string): string[] {
  const value = attrs[name]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

export { asRecord }
