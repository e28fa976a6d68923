import crypto from 'crypto'
import type { Request } from 'express'
import type { RouteModule, StackContext } from '../context'
import type { PermissionSet } from '../auth/permissions'
import { ALL_VERBS } from '../auth/permissions'
import { StackError, badJson, forbidden, httpError, jsonApiError, route } from '../http/errors'
import { isObject, queryString, readJson } from '../http/body'
import { newId, type Doc } from '../storage/databases'

export const SHARINGS_DOCTYPE = 'io.cozy.sharings'

interface SharingRule {
  title: string
  doctype: string
  selector?: string
  values: string[]
  add?: string
  update?: string
  remove?: string
  mime?: string
  local?: boolean
}

interface Member {
  status: 'owner' | 'mail-not-sent' | 'pending' | 'seen' | 'ready' | 'revoked'
  name?: string
  public_name?: string
  email?: string
  instance?: string
  read_only?: boolean
  only_in_groups?: boolean
  groups?: number[]
}

const FILES = 'io.cozy.files'
/** consts.RootDirID, TrashDirID, SharedWithMeDirID: never shared. */
const UNSHAREABLE_DIRS = new Set(['io.cozy.files.root-dir', 'io.cozy.files.trash-dir', 'io.cozy.files.shared-with-me-dir'])
const BEHAVIOURS = { add: ['none', 'push', 'sync'], update: ['none', 'push', 'sync'], remove: ['none', 'push', 'sync', 'revoke'] } as const

const invalidRule = () => jsonApiError(400, 'A rule is invalid')

/**
 * Sharing.ValidateRules (model/sharing/rule.go): a sharing may hold many rules, but a files
 * rule by id holds one file or folder (never the root, the trash or "Shared with me"); a
 * referenced_by rule's values are `doctype/id`; add/update/remove default to `none`. Both
 * errors are 400s (web/sharings wrapErrors).
 */
function validateRule(rule: SharingRule): void {
  if (!rule.title || !rule.doctype || rule.values.length === 0) throw invalidRule()
  if (rule.doctype === FILES) {
    if (rule.values.some(v => UNSHAREABLE_DIRS.has(v))) throw invalidRule()
    const byId = !rule.selector || rule.selector === 'id' || rule.selector === '_id'
    if (byId && rule.values.length > 1) throw invalidRule()
    if (rule.selector === 'referenced_by' && rule.values.some(v => !v.includes('/'))) throw invalidRule()
  }
  for (const action of ['add', 'update', 'remove'] as const) {
    // The default is stored; a given value is checked in lower case but kept as written.
    rule[action] ||= 'none'
    if (!(BEHAVIOURS[action] as readonly string[]).includes(String(rule[action]).toLowerCase())) throw invalidRule()
  }
}

function parseRules(value: unknown): SharingRule[] {
  if (!Array.isArray(value) || value.length === 0) throw jsonApiError(400, 'A sharing must have rules')
  return value.map(r => {
    if (!isObject(r) || typeof r.doctype !== 'string' || !Array.isArray(r.values) || typeof r.title !== 'string') throw invalidRule()
    const rule: SharingRule = { title: r.title, doctype: r.doctype, values: r.values.filter((v): v is string => typeof v === 'string') }
    for (const k of ['selector', 'add', 'update', 'remove', 'mime'] as const) if (typeof r[k] === 'string') rule[k] = r[k] as string
    if (typeof r.local === 'boolean') rule.local = r.local
    validateRule(rule)
    return rule
  })
}

/**
 * checkCreatePermissions (web/sharings/sharings.go): only webapps, OAuth clients and the CLI
 * create sharings, and each rule must be inside the token's permissions with every verb
 * (permission.Set.RuleInSubset with ALL verbs).
 */
function checkCreate(set: PermissionSet, rules: SharingRule[]): void {
  if (set.kind !== 'app' && set.kind !== 'oauth' && set.kind !== 'cli') throw forbidden()
  if (set.maximal) return
  for (const rule of rules) {
    const ok = set.rules.some(r => {
      const typeOk = r.type === rule.doctype || (r.type.endsWith('.*') && rule.doctype.startsWith(r.type.slice(0, -1)))
      if (!typeOk || !ALL_VERBS.every(v => r.verbs.includes(v))) return false
      if (!r.values || r.values.length === 0) return !r.selector
      return (r.selector ?? '') === (rule.selector ?? '') && rule.values.every(v => r.values!.includes(v))
    })
    if (!ok) throw forbidden()
  }
}

function primary<T extends { primary?: boolean }>(list: unknown): T | undefined {
  if (!Array.isArray(list)) return undefined
  const items = list.filter(isObject) as T[]
  return items.find(i => i.primary) ?? items[0]
}

/**
 * Sharing.AddContact (model/sharing/member.go): a contact needs an email or a Cozy URL, else
 * contact.ErrNoMailAddress. CreateSharing (web/sharings/sharings.go) returns that error as it is,
 * not through wrapErrors (which would make it a 422 on "recipients", as POST
 * /sharings/:id/recipients does), so web/errors/errors.go ErrorHandler renders it as a 500
 * "Unqualified error" with the error's text as detail.
 */
function contactMember(contact: Doc, readOnly: boolean): Member {
  const m = memberFromContact(contact, readOnly)
  if (!m.email && !m.instance) throw new StackError(500, 'jsonapi', 'The contact has no email address', { title: 'Unqualified error' })
  return m
}

/** buildMemberFromContact (model/sharing/member.go); AddGroup takes the members without an address too. */
function memberFromContact(contact: Doc, readOnly: boolean): Member {
  const email = primary<{ address?: string; primary?: boolean }>(contact.email)?.address
  const cozy = primary<{ url?: string; primary?: boolean }>(contact.cozy)?.url
  const name = typeof contact.fullname === 'string' ? contact.fullname : typeof contact.displayName === 'string' ? contact.displayName : email
  const m: Member = { status: 'mail-not-sent', name }
  if (email) m.email = email
  if (cozy) m.instance = cozy
  if (readOnly) m.read_only = true
  return m
}

function relationshipIds(data: Record<string, unknown>, key: string): { id: string; type: string }[] {
  const rels = isObject(data.relationships) ? data.relationships : {}
  const rel = isObject(rels[key]) ? (rels[key] as Record<string, unknown>) : null
  if (!rel) return []
  if (!Array.isArray(rel.data)) throw badJson()
  return rel.data.filter(isObject).map(r => ({ id: String(r.id), type: String(r.type) }))
}

function sharingObject(doc: Doc): Record<string, unknown> {
  const { _id, _rev, credentials: _c, ...attributes } = doc
  return { type: SHARINGS_DOCTYPE, id: _id, attributes, meta: { rev: _rev }, links: { self: `/sharings/${_id}` } }
}

function send(res: import('express').Response, status: number, body: unknown): void {
  res.status(status).type('application/vnd.api+json').send(JSON.stringify(body))
}

async function addRecipients(ctx: StackContext, members: Member[], groups: Record<string, unknown>[], refs: { id: string; type: string }[], readOnly: boolean): Promise<void> {
  for (const ref of refs) {
    if (ref.type === 'io.cozy.contacts.groups') {
      const group = await ctx.instance.dbs.getOrNull('io.cozy.contacts.groups', ref.id)
      if (!group) throw jsonApiError(404, 'Group not found')
      const index = groups.length
      // Group (model/sharing/group.go): read_only is always written
      groups.push({ id: ref.id, name: group.name, addedBy: 0, read_only: readOnly })
      const contacts = await ctx.instance.dbs.list('io.cozy.contacts')
      for (const c of contacts) {
        const inGroup = JSON.stringify(c.relationships ?? {}).includes(`"${ref.id}"`)
        if (!inGroup) continue
        const m = memberFromContact(c, readOnly)
        m.only_in_groups = true
        m.groups = [index]
        members.push(m)
      }
    } else {
      const contact = await ctx.instance.dbs.getOrNull('io.cozy.contacts', ref.id)
      if (!contact) throw jsonApiError(404, 'Contact not found')
      members.push(contactMember(contact, readOnly))
    }
  }
}

/** Sharing.SendInvitations: a mail per member with an email (status pending), in the outbox. */
async function sendInvitations(ctx: StackContext, doc: Doc, members: Member[]): Promise<void> {
  const owner = members[0]
  for (const m of members.slice(1)) {
    if (!m.email) continue
    const code = crypto.randomBytes(12).toString('base64url')
    const link = `${ctx.instance.url}sharings/${doc._id}/discovery?sharecode=${code}`
    await ctx.stack.outbox.send({
      instance: ctx.instance.domain,
      to: m.email,
      subject: `${owner.public_name ?? ''} vous a envoyé un partage Cozy`,
      template: 'sharing_request',
      text: `${owner.public_name ?? ''} veut partager « ${String(doc.description ?? '')} » avec vous.\n\n${link}`,
      values: { SharerPublicName: owner.public_name, Description: doc.description, SharingLink: link },
      links: [link]
    })
    m.status = 'pending'
  }
}

/** Sharings (docs/sharing.md "POST /sharings/", "GET /sharings/:id", "GET /sharings/doctype/:doctype"; web/sharings/sharings.go). */
export const sharingsRoutes: RouteModule = {
  name: 'sharings',
  mount(router, ctx) {
    // web/sharings/sharings.go CreateSharing: 201, members with their status, mails sent
    router.post(
      '/sharings/',
      route(async (req: Request, res) => {
        let body: unknown
        try {
          body = await readJson(req)
        } catch {
          throw badJson()
        }
        if (!isObject(body) || !isObject(body.data)) throw badJson()
        const data = body.data
        const attributes = isObject(data.attributes) ? data.attributes : null
        if (!attributes) throw badJson()
        const set = await ctx.permission(req)
        const rules = parseRules(attributes.rules)
        checkCreate(set, rules)
        const now = new Date().toISOString()
        const members: Member[] = [{ status: 'owner', public_name: ctx.instance.state.publicName, email: ctx.instance.state.email, instance: ctx.instance.url.replace(/\/$/, '') }]
        const groups: Record<string, unknown>[] = []
        await addRecipients(ctx, members, groups, relationshipIds(data, 'recipients'), false)
        await addRecipients(ctx, members, groups, relationshipIds(data, 'read_only_recipients'), true)
        if (members.length === 1) throw jsonApiError(400, 'A sharing must have recipients')
        const doc: Doc = {
          _id: newId(),
          description: typeof attributes.description === 'string' ? attributes.description : '',
          app_slug: typeof attributes.app_slug === 'string' ? attributes.app_slug : (set.sourceSlug ?? ''),
          owner: true,
          open_sharing: attributes.open_sharing === true,
          created_at: now,
          updated_at: now,
          rules,
          members
        }
        if (typeof attributes.preview_path === 'string') doc.preview_path = attributes.preview_path
        if (groups.length) doc.groups = groups
        await sendInvitations(ctx, doc, members)
        const saved = await ctx.instance.dbs.put(SHARINGS_DOCTYPE, doc)
        send(res, 201, { data: sharingObject(saved) })
      })
    )

    // web/sharings/sharings.go GetSharingsInfoByDocType: whole-type GET on the doctype
    router.get(
      '/sharings/doctype/:doctype',
      route(async (req, res) => {
        const { doctype } = req.params
        await ctx.allowWholeType(req, 'GET', doctype)
        const withDocs = queryString(req, 'shared_docs') !== 'false'
        const all = (await ctx.instance.dbs.list(SHARINGS_DOCTYPE)).filter(s => Array.isArray(s.rules) && (s.rules as SharingRule[]).some(r => r.doctype === doctype))
        const data = all.map(s => {
          const obj = sharingObject(s)
          if (withDocs) obj.relationships = { shared_docs: { data: (s.rules as SharingRule[]).flatMap(r => r.values.map(id => ({ id, type: r.doctype }))) } }
          return obj
        })
        send(res, 200, { data, meta: { count: data.length } })
      })
    )

    // web/sharings/sharings.go GetSharing: a permission on one of the rules' doctypes
    router.get(
      '/sharings/:id',
      route(async (req, res) => {
        const doc = await ctx.instance.dbs.getOrNull(SHARINGS_DOCTYPE, req.params.id)
        if (!doc) throw jsonApiError(404, 'Sharing not found')
        const set = await ctx.permission(req)
        const rules = (doc.rules as SharingRule[]) ?? []
        if (!rules.some(r => set.allowWholeType('GET', r.doctype) || r.values.some(v => set.allowId('GET', r.doctype, v)))) throw httpError(403)
        send(res, 200, { data: sharingObject(doc) })
      })
    )
  }
}
