import crypto from 'crypto'
import { promises as fs } from 'fs'
import path from 'path'
import type { Request } from 'express'
import { Databases, type Doc } from '../storage/databases'
import { RealtimeHub } from '../realtime/hub'
import { signToken, verifyToken, type Audience, type Claims } from '../auth/tokens'
import { PermissionSet, rulesFromManifest, ALL_VERBS, type Rule, type Verb } from '../auth/permissions'
import { httpError, StackError } from '../http/errors'
import { Vfs } from '../files/vfs'
import { JobSystem } from '../jobs/system'
import type { StackRuntime } from '../context'
import { diffServices } from '../apps/services'
import { checkPassphrase, loadState, newState, saveState, type InstalledApp, type InstanceState } from './state'

export const APPS_DOCTYPE = 'io.cozy.apps'
export const KONNECTORS_DOCTYPE = 'io.cozy.konnectors'
export const SESSIONS_DOCTYPE = 'io.cozy.sessions'

export interface Manifest {
  slug: string
  name?: string
  version?: string
  type?: string
  permissions?: Record<string, unknown>
  [key: string]: unknown
}

export interface Session {
  id: string
  createdAt: string
}

/**
 * One Cozy: its state (instance.json), its CouchDB databases, its realtime hub, its apps, its
 * sessions and tokens. The files, jobs and other services hang off it (see context.ts), so a
 * route module gets everything through the instance it serves.
 */
export class Instance {
  readonly dbs: Databases
  readonly realtime = new RealtimeHub()
  /** The virtual file system (io.cozy.files + contents on disk). */
  readonly files: Vfs
  /** Jobs, triggers and workers (register more with jobs.registerWorker). */
  readonly jobs: JobSystem
  /** The stack this instance runs in (set by startStack before anything runs). */
  runtime!: StackRuntime
  private port = 0
  private readonly appPorts = new Map<string, number>()
  /** Extra rules granted to a konnector at run time (worker/exec/konnector.go ensurePermissions). */
  private readonly konnectorGrants = new Map<string, Rule[]>()

  private constructor(
    readonly dir: string,
    public state: InstanceState
  ) {
    this.dbs = new Databases(path.join(dir, 'couchdb'))
    this.files = new Vfs(this.dbs, path.join(dir, 'files'), () => this.state.quota)
    this.jobs = new JobSystem(this)
    this.dbs.onChange(change => this.realtime.publish({ doctype: change.doctype, verb: change.verb, id: change.doc._id, doc: change.doc }))
  }

  /** Opens the instance stored in `dir`, creating it (with a fresh secret) on first start. */
  static async open(dir: string, name: string, options: { passphrase: string; locale?: string; quota?: number | null }): Promise<Instance> {
    let state = await loadState(dir)
    if (!state) {
      state = newState(name, options)
      await saveState(dir, state)
    }
    return new Instance(dir, state)
  }

  get name(): string {
    return this.state.name
  }

  /** host:port, what the stack calls the instance's domain (and what `iss` in its tokens says). */
  get domain(): string {
    return `127.0.0.1:${this.port}`
  }

  get url(): string {
    return `http://${this.domain}/`
  }

  get filesDir(): string {
    return path.join(this.dir, 'files')
  }

  setPort(port: number): void {
    this.port = port
  }

  setAppPort(slug: string, port: number): void {
    this.appPorts.set(slug, port)
  }

  /** The origin of an installed webapp (its own port: the stand-in's app subdomain). */
  appUrl(slug: string): string {
    const port = this.appPorts.get(slug)
    if (!port) throw new Error(`webapp ${slug} is not installed on ${this.name}`)
    return `http://127.0.0.1:${port}/`
  }

  async save(): Promise<void> {
    await saveState(this.dir, this.state)
  }

  // ---- tokens and permissions (web/middlewares/permissions.go) ----

  private get secret(): Buffer {
    return Buffer.from(this.state.secret, 'hex')
  }

  issueToken(aud: Audience, sub: string, extra: Partial<Claims> = {}): string {
    return signToken(this.secret, { aud, iss: this.domain, sub, iat: Math.floor(Date.now() / 1000), ...extra })
  }

  /** What `cozy-stack instances token-cli` gives: a token with every permission. */
  cliToken(): string {
    return this.issueToken('cli', this.domain, { scope: '*' })
  }

  /** An app token for an installed webapp, or a konnector token for an installed konnector. */
  tokenFor(slug: string): string {
    if (this.state.apps[slug]) return this.issueToken('app', slug)
    if (this.state.konnectors[slug]) return this.issueToken('konn', slug)
    throw new Error(`${slug} is neither a webapp nor a konnector installed on ${this.name}`)
  }

  /** Token found in the request like middlewares.GetRequestToken: Bearer, Basic password or ?bearer_token. */
  static requestToken(req: Request): string {
    const header = req.headers.authorization ?? ''
    if (header.startsWith('Bearer ')) return header.slice(7)
    if (header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8')
      return decoded.slice(decoded.indexOf(':') + 1)
    }
    const q = req.query.bearer_token
    return typeof q === 'string' ? q : ''
  }

  verifyClaims(token: string): Claims | null {
    const claims = verifyToken(this.secret, token)
    if (!claims || claims.iss !== this.domain) return null
    if (claims.exp !== undefined && claims.exp * 1000 < Date.now()) return null
    return claims
  }

  /**
   * middlewares.GetPermission: 401 "No token in request" without a token, 400 "Invalid JWT token"
   * for a token this instance did not sign (another instance's included), then the permission set
   * of the token's audience.
   */
  async permissionFor(req: Request): Promise<PermissionSet> {
    const cached = (req as Request & { cozyPermission?: PermissionSet }).cozyPermission
    if (cached) return cached
    const token = Instance.requestToken(req)
    if (!token) throw httpError(401, 'No token in request')
    const claims = this.verifyClaims(token)
    if (!claims) throw httpError(400, 'Invalid JWT token', { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
    // ExtractClaims: a token bound to a session (the app token of index.html) is only valid
    // with that session's cookie; a browser fetch must send it (credentials: 'include').
    if (claims.session_id) {
      const session = await this.sessionOf(req)
      if (!session || session.id !== claims.session_id) throw httpError(400, 'Invalid JWT token', { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
    }
    const set = await this.permissionForClaims(claims)
    ;(req as Request & { cozyPermission?: PermissionSet }).cozyPermission = set
    return set
  }

  async permissionForClaims(claims: Claims): Promise<PermissionSet> {
    switch (claims.aud) {
      case 'cli':
        return new PermissionSet('cli', undefined, [], true)
      case 'app': {
        const manifest = await this.manifestOf('webapp', claims.sub)
        if (!manifest) throw httpError(403, `no permission doc for io.cozy.apps/${claims.sub}`)
        return new PermissionSet('app', claims.sub, rulesFromManifest(manifest.permissions))
      }
      case 'konn': {
        const manifest = await this.manifestOf('konnector', claims.sub)
        if (!manifest) throw httpError(403, `no permission doc for io.cozy.konnectors/${claims.sub}`)
        return new PermissionSet('konnector', claims.sub, [...rulesFromManifest(manifest.permissions), ...(this.konnectorGrants.get(claims.sub) ?? [])])
      }
      case 'access-token':
        // instance.MovedError (web/middlewares/permissions.go): OAuth clients of a moved Cozy get 410
        if (this.state.extra.moved === true) {
          const movedTo = (this.state.extra.settings as { moved_to?: unknown } | undefined)?.moved_to
          throw new StackError(410, 'jsonapi', 'The Cozy has been moved to a new address', {
            title: 'Cozy has been moved',
            code: 'moved',
            links: typeof movedTo === 'string' ? { related: movedTo } : undefined
          })
        }
        // an OAuth token is only valid while its client exists (not revoked)
        if (!(await this.dbs.getOrNull('io.cozy.oauth.clients', claims.sub))) throw httpError(400, 'Invalid JWT token', { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
        return new PermissionSet('oauth', claims.sub, scopeRules(claims.scope ?? ''))
      default:
        throw httpError(400, `Unrecognized token audience ${String(claims.aud)}`)
    }
  }

  grantKonnector(slug: string, rule: Rule): void {
    const rules = this.konnectorGrants.get(slug) ?? []
    rules.push(rule)
    this.konnectorGrants.set(slug, rules)
  }

  // ---- sessions (model/session) ----

  /** Cookie name of this instance's session. The stack uses "cozysessid" on its own domain;
   * cookies ignore ports, so on loopback each instance needs its own name. */
  get sessionCookieName(): string {
    return `cozysessid-${this.name}`
  }

  checkPassphrase(passphrase: string): boolean {
    return checkPassphrase(this.state.passphraseHash, passphrase)
  }

  async createSession(): Promise<Session> {
    const id = crypto.randomBytes(16).toString('hex')
    const createdAt = new Date().toISOString()
    await this.dbs.put(SESSIONS_DOCTYPE, { _id: id, created_at: createdAt })
    return { id, createdAt }
  }

  async deleteSession(id: string): Promise<void> {
    const doc = await this.dbs.getOrNull(SESSIONS_DOCTYPE, id)
    if (doc?._rev) await this.dbs.remove(SESSIONS_DOCTYPE, id, doc._rev)
  }

  /** The session of the request's cookie, or null (middlewares.GetSession). */
  async sessionOf(req: Request): Promise<Session | null> {
    const id = readCookie(req.headers.cookie ?? '', this.sessionCookieName)
    if (!id || !/^[0-9a-f]{32}$/.test(id)) return null
    const doc = await this.dbs.getOrNull(SESSIONS_DOCTYPE, id)
    return doc ? { id, createdAt: String(doc.created_at) } : null
  }

  // ---- apps and konnectors (model/app) ----

  async manifestOf(type: 'webapp' | 'konnector', slug: string): Promise<Manifest | null> {
    const doc = await this.dbs.getOrNull(type === 'webapp' ? APPS_DOCTYPE : KONNECTORS_DOCTYPE, `${type === 'webapp' ? APPS_DOCTYPE : KONNECTORS_DOCTYPE}/${slug}`)
    return doc ? (doc as unknown as Manifest) : null
  }

  installed(type: 'webapp' | 'konnector', slug: string): InstalledApp | undefined {
    return type === 'webapp' ? this.state.apps[slug] : this.state.konnectors[slug]
  }

  /**
   * Installs a webapp or konnector from a folder holding its manifest (manifest.webapp or
   * manifest.konnector) and built files. Like the stack, it records the manifest as the
   * io.cozy.apps / io.cozy.konnectors document `<doctype>/<slug>` with state "ready".
   */
  async install(dir: string): Promise<InstalledApp> {
    const abs = path.resolve(dir)
    let type: 'webapp' | 'konnector'
    let raw: string
    try {
      raw = await fs.readFile(path.join(abs, 'manifest.webapp'), 'utf8')
      type = 'webapp'
    } catch {
      raw = await fs.readFile(path.join(abs, 'manifest.konnector'), 'utf8')
      type = 'konnector'
    }
    const manifest = JSON.parse(raw) as Manifest
    if (typeof manifest.slug !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(manifest.slug)) {
      throw new Error(`invalid slug in ${abs}`)
    }
    const registry = type === 'webapp' ? this.state.apps : this.state.konnectors
    const previous = registry[manifest.slug]
    const slot = type === 'webapp' ? (previous?.slot ?? Object.keys(this.state.apps).length + 1) : undefined
    const entry: InstalledApp = { slug: manifest.slug, type, dir: abs, slot }
    registry[manifest.slug] = entry
    await this.save()
    const doctype = type === 'webapp' ? APPS_DOCTYPE : KONNECTORS_DOCTYPE
    const id = `${doctype}/${manifest.slug}`
    const old = await this.dbs.getOrNull(doctype, id)
    const now = new Date().toISOString()
    const doc: Record<string, unknown> = {
      ...manifest,
      _id: id,
      state: 'ready',
      source: `file://${abs}`,
      created_at: (old?.created_at as string | undefined) ?? now,
      updated_at: now
    }
    if (old?._rev) doc._rev = old._rev
    // WebappManifest.Create / Update: the manifest's services become triggers of the "service" worker
    if (type === 'webapp' && (manifest.services !== undefined || old?.services !== undefined)) {
      doc.services = await diffServices(this, manifest.slug, old?.services, manifest.services)
    }
    await this.dbs.put(doctype, doc)
    return entry
  }

  async listInstalled(type: 'webapp' | 'konnector'): Promise<Doc[]> {
    return this.dbs.list(type === 'webapp' ? APPS_DOCTYPE : KONNECTORS_DOCTYPE)
  }

  async close(): Promise<void> {
    await this.dbs.close()
  }
}

/**
 * OAuth scopes (docs/permissions.md "Scope syntax"): space-separated `type[:VERBS[:values[:selector]]]`,
 * verbs comma-separated or ALL.
 */
export function scopeRules(scope: string): Rule[] {
  return scope
    .split(' ')
    .filter(Boolean)
    .map(part => {
      const [type, verbs, values, selector] = part.split(':')
      const verbList = !verbs || verbs === 'ALL' ? [...ALL_VERBS] : (verbs.split(',').filter(v => (ALL_VERBS as string[]).includes(v)) as Verb[])
      return { type, verbs: verbList, values: values ? values.split(',') : undefined, selector: selector || undefined }
    })
}

export function readCookie(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return null
}
