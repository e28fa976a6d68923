import { forbidden, httpError } from '../http/errors'

/** HTTP verbs of model/permission/verbs.go; an empty list means ALL. */
export type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
export const ALL_VERBS: Verb[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/** One rule of a manifest's `permissions` map (model/permission/rule.go). */
export interface Rule {
  type: string
  verbs: Verb[]
  selector?: string
  values?: string[]
}

/** A document as model/permission/match.go's Fetcher sees it: its id, type and field values. */
export interface PermissionTarget {
  id: string
  doctype: string
  fetch(field: string): string[]
}

export function docTarget(doctype: string, doc: Record<string, unknown>): PermissionTarget {
  const id = typeof doc._id === 'string' ? doc._id : ''
  return {
    id,
    doctype,
    fetch: field => {
      const v = doc[field]
      if (typeof v === 'string') return [v]
      if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string')
      return []
    }
  }
}

/** Parses a manifest `permissions` map into rules ("ALL" or no verbs = every verb). */
export function rulesFromManifest(permissions: unknown): Rule[] {
  if (typeof permissions !== 'object' || permissions === null) return []
  const rules: Rule[] = []
  for (const value of Object.values(permissions as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null) continue
    const r = value as { type?: unknown; verbs?: unknown; selector?: unknown; values?: unknown }
    if (typeof r.type !== 'string') continue
    const verbs = Array.isArray(r.verbs) ? r.verbs.filter((v): v is string => typeof v === 'string') : []
    rules.push({
      type: r.type,
      verbs: verbs.length === 0 || verbs.includes('ALL') ? [...ALL_VERBS] : (verbs.filter(v => (ALL_VERBS as string[]).includes(v)) as Verb[]),
      selector: typeof r.selector === 'string' && r.selector !== '' ? r.selector : undefined,
      values: Array.isArray(r.values) ? r.values.filter((v): v is string => typeof v === 'string') : undefined
    })
  }
  return rules
}

function matchType(rule: Rule, doctype: string): boolean {
  if (rule.type === doctype || rule.type === '*') return true
  if (!rule.type.endsWith('.*')) return false
  const prefix = rule.type.slice(0, -2)
  return doctype === prefix || doctype.startsWith(prefix + '.')
}

function isWholeType(rule: Rule): boolean {
  return !rule.values || rule.values.length === 0
}

/**
 * A set of rules with the checks of model/permission/match.go. `maximal` is the CLI token
 * ("cozy-stack instances token-cli" with every doctype) and the logged-in user's session.
 */
export class PermissionSet {
  constructor(
    readonly kind: 'cli' | 'app' | 'konnector' | 'oauth' | 'session' | 'share',
    readonly sourceSlug: string | undefined,
    readonly rules: Rule[],
    readonly maximal = false
  ) {}

  allowWholeType(verb: Verb, doctype: string): boolean {
    if (this.maximal) return true
    return this.rules.some(r => r.verbs.includes(verb) && matchType(r, doctype) && isWholeType(r))
  }

  allowId(verb: Verb, doctype: string, id: string): boolean {
    if (this.maximal) return true
    return this.rules.some(r => r.verbs.includes(verb) && matchType(r, doctype) && (isWholeType(r) || (!r.selector && (r.values ?? []).includes(id))))
  }

  allow(verb: Verb, target: PermissionTarget): boolean {
    if (this.maximal) return true
    return this.rules.some(r => {
      if (!r.verbs.includes(verb) || !matchType(r, target.doctype)) return false
      if (isWholeType(r)) return true
      if (!r.selector) return (r.values ?? []).includes(target.id)
      const have = target.fetch(r.selector)
      return have.some(v => (r.values ?? []).includes(v))
    })
  }

  /** Rules on a doctype with values (for the VFS: directory ids that grant their whole subtree). */
  valuesFor(verb: Verb, doctype: string): { selector?: string; values: string[] }[] {
    return this.rules
      .filter(r => r.verbs.includes(verb) && matchType(r, doctype) && !isWholeType(r))
      .map(r => ({ selector: r.selector, values: r.values ?? [] }))
  }

  requireWholeType(verb: Verb, doctype: string): void {
    if (!this.allowWholeType(verb, doctype)) throw forbidden()
  }

  require(verb: Verb, target: PermissionTarget): void {
    if (!this.allow(verb, target)) throw forbidden()
  }
}

/** Doctypes the stack refuses through /data (model/permission/doctype.go blockList). */
const BLOCKED: Record<string, boolean> = {
  'io.cozy.instances': false,
  'io.cozy.account_types': false,
  'io.cozy.konnectors_in_maintenance': false,
  'io.cozy.remote.secrets': false,
  'io.cozy.sessions': false,
  'io.cozy.permissions': false,
  'io.cozy.intents': false,
  'io.cozy.oauth.clients': false,
  'io.cozy.oauth.access_codes': false,
  'io.cozy.files.archives': false,
  'io.cozy.sharings': false,
  'io.cozy.shared': false,
  'io.cozy.jobs.events': false,
  'io.cozy.triggers.state': false,
  'io.cozy.jobs': true,
  'io.cozy.triggers': true,
  'io.cozy.apps': true,
  'io.cozy.konnectors': true,
  'io.cozy.files': true,
  'io.cozy.files.versions': true,
  'io.cozy.notifications': true,
  'io.cozy.sessions.logins': true
}

/** permission.CheckDoctypeName: lower-case letters, digits, dots and underscores only. */
export function checkDoctypeName(doctype: string): void {
  // the stack accepts [a-z0-9._]; a name made of dots only could never be a CouchDB database
  // (and would be a path here), so it is refused the same way
  if (doctype.length === 0 || !/^[a-z0-9._]+$/.test(doctype) || /^\.+$/.test(doctype)) {
    throw httpError(403, `${doctype} is not a valid doctype name`)
  }
}

export function checkReadable(doctype: string): void {
  checkDoctypeName(doctype)
  if (BLOCKED[doctype] === false) throw httpError(403, `reserved doctype ${doctype} unreadable`)
}

export function checkWritable(doctype: string): void {
  checkDoctypeName(doctype)
  if (doctype in BLOCKED) throw httpError(403, `reserved doctype ${doctype} unwritable`)
}
