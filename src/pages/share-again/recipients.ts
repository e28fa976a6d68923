/**
 * Pending shares seen from the people they were for: one group per ENT recipient (user or
 * group), each with the resources shared with them and the role they had. The mapping to Cozy
 * contacts is stored on every pending share of that recipient (`recipients[].contacts`, an
 * addition to the contract's single `contactId`, since an ENT group may be several contacts).
 */
import type { PendingShare, PendingShareRecipient } from '../../import/records'

export type StoredShare = PendingShare & { _id: string }

export interface MappedContact {
  id: string
  doctype: 'io.cozy.contacts' | 'io.cozy.contacts.groups'
  name: string
}

/** A recipient as stored, with the Share again page's own fields. */
export type StoredRecipient = PendingShareRecipient & { contacts?: MappedContact[]; sharingId?: string | null }

export interface RecipientItem {
  share: StoredShare
  role: PendingShareRecipient['role']
  /** A Cozy sharing was already made for this resource and this recipient. */
  shared: boolean
}

export interface RecipientGroup {
  key: string
  kind: 'user' | 'group'
  entId: string
  name: string | null
  /** For a group the archive does not name: its number among those (stable, by ENT id), else null. */
  unnamedNumber: number | null
  contacts: MappedContact[]
  /** Resources still waiting (pending share not dismissed, not yet shared with this recipient). */
  pending: RecipientItem[]
  done: RecipientItem[]
}

export const recipientKey = (r: Pick<PendingShareRecipient, 'kind' | 'entId'>): string => `${r.kind}:${r.entId}`

/** Read-only in Cozy for read and comment; read-write for contrib, publish and manager. */
export function isReadOnly(role: PendingShareRecipient['role']): boolean {
  return role === 'read' || role === 'comment'
}

/** The first 8 characters of an ENT id, enough to tell people apart. */
export function shortId(entId: string): string {
  return entId.replace(/-/g, '').slice(0, 8)
}

function mappedContacts(recipient: StoredRecipient): MappedContact[] {
  if (Array.isArray(recipient.contacts) && recipient.contacts.length > 0) return recipient.contacts
  if (recipient.contactId && recipient.contactDoctype) return [{ id: recipient.contactId, doctype: recipient.contactDoctype, name: '' }]
  return []
}

export function groupByRecipient(shares: StoredShare[]): RecipientGroup[] {
  const groups = new Map<string, RecipientGroup>()
  for (const share of shares) {
    for (const raw of share.recipients as StoredRecipient[]) {
      const key = recipientKey(raw)
      let group = groups.get(key)
      if (!group) {
        group = { key, kind: raw.kind, entId: raw.entId, name: null, unnamedNumber: null, contacts: [], pending: [], done: [] }
        groups.set(key, group)
      }
      if (!group.name && raw.nameHint) group.name = raw.nameHint
      const contacts = mappedContacts(raw)
      if (group.contacts.length === 0 && contacts.length > 0) group.contacts = contacts
      if (share.state === 'dismissed') continue
      const item: RecipientItem = { share, role: raw.role, shared: !!raw.sharingId || share.state === 'shared' }
      if (item.shared) group.done.push(item)
      else group.pending.push(item)
    }
  }
  const present = [...groups.values()].filter(g => g.pending.length + g.done.length > 0)
  present
    .filter(g => g.kind === 'group' && !g.name)
    .sort((a, b) => a.entId.localeCompare(b.entId))
    .forEach((g, i) => (g.unnamedNumber = i + 1))
  // People with something to do first, then by name.
  return present.sort((a, b) => Number(b.pending.length > 0) - Number(a.pending.length > 0) || (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || (a.unnamedNumber ?? 0) - (b.unnamedNumber ?? 0))
}

/**
 * What the banner says, in the list's own units: a resource for one recipient is one line of
 * that recipient's card, so the pending and shared counts are the sums of the cards' counts.
 * Dismissed resources leave every card; they are counted once each.
 */
export function listCounts(groups: RecipientGroup[], shares: StoredShare[]): { pending: number; shared: number; dismissed: number; recipients: number } {
  return {
    pending: groups.reduce((sum, g) => sum + g.pending.length, 0),
    shared: groups.reduce((sum, g) => sum + g.done.length, 0),
    dismissed: shares.filter(s => s.state === 'dismissed').length,
    recipients: groups.length
  }
}

export interface AppSection {
  app: string
  items: RecipientItem[]
}

/** A card's resources by ENT application (the order of the import), waiting ones first, then by title ("Fiche 2" before "Fiche 10"). */
export function sectionsByApp(items: RecipientItem[]): AppSection[] {
  const sections = new Map<string, RecipientItem[]>()
  for (const item of items) {
    const app = item.share.provenance.app || 'unknown'
    const list = sections.get(app) ?? []
    list.push(item)
    sections.set(app, list)
  }
  const title = (i: RecipientItem) => i.share.resource.title || i.share.cozy.path || ''
  return [...sections.entries()].map(([app, list]) => ({ app, items: list.sort((a, b) => Number(a.shared) - Number(b.shared) || title(a).localeCompare(title(b), undefined, { numeric: true })) }))
}

/** Lower case, accents folded: "Élève" is found by "eleve". */
export function searchable(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
}

/**
 * The cards a search keeps: a recipient whose name (or mapped contact) matches keeps all its
 * resources; otherwise only the resources whose title or path matches, if any.
 */
export function filterGroups(groups: RecipientGroup[], query: string, nameOf: (group: RecipientGroup) => string): RecipientGroup[] {
  const needle = searchable(query.trim())
  if (!needle) return groups
  const out: RecipientGroup[] = []
  for (const group of groups) {
    const names = [nameOf(group), ...group.contacts.map(c => c.name)]
    if (names.some(n => searchable(n).includes(needle))) {
      out.push(group)
      continue
    }
    const hit = (item: RecipientItem) => searchable(`${item.share.resource.title} ${item.share.cozy.path ?? ''}`).includes(needle)
    const pending = group.pending.filter(hit)
    const done = group.done.filter(hit)
    if (pending.length + done.length > 0) out.push({ ...group, pending, done })
  }
  return out
}

/** The same share with `contacts` set on one recipient (and the contract's single contactId). */
export function withMapping(share: StoredShare, key: string, contacts: MappedContact[]): StoredShare {
  return {
    ...share,
    recipients: (share.recipients as StoredRecipient[]).map(r =>
      recipientKey(r) === key ? { ...r, contacts, contactId: contacts[0]?.id ?? null, contactDoctype: contacts[0]?.doctype ?? null } : r
    )
  }
}

/** The share after a sharing was made for one recipient; it is `shared` once every recipient is. */
export function withSharing(share: StoredShare, key: string, sharingId: string): StoredShare {
  const recipients = (share.recipients as StoredRecipient[]).map(r => (recipientKey(r) === key ? { ...r, sharingId } : r))
  const all = recipients.every(r => !!r.sharingId)
  return { ...share, recipients, sharingId, state: all ? 'shared' : share.state }
}
