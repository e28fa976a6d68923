/**
 * What was shared in the ENT, told in the preview before anything is imported: the archive
 * names, for each shared resource, the ENT users and groups it was shared with (models.ts,
 * ShareGrant). Shares cannot travel as they are: the import keeps each one as a pending share
 * and the Share again page proposes to share it anew (src/import/plan.ts gives a share to the
 * same resources counted here: document folders and files, groups, texts, calendars, events).
 */
import type { EntItem, ShareGrant, ShareKind } from '../../../ent'

export interface ShareRecipient {
  kind: ShareKind
  entId: string
  /** The name the archive gives (an owner, an author, a mail peer), when it gives one. */
  name: string | null
}

/** The shared resources of one preview item (an app, or the trash) and their recipients. */
export interface ItemShares {
  items: number
  /** By `<kind>:<entId>`. */
  recipients: Map<string, ShareRecipient>
}

/** By preview item id (as `selection` names them). */
export type PreviewShares = Map<string, ItemShares>

/** The grants of an item that the import keeps as a pending share (none for raw records and binaries). */
export function grantsOf(item: EntItem): ShareGrant[] {
  if (item.type === 'raw' || item.type === 'binary' || item.type === 'mail' || item.type === 'mail-folder') return []
  // A file whose content the archive lacks fails: nothing to share again.
  if (item.type === 'file' && !item.file) return []
  return item.shares
}

export function addShares(shares: PreviewShares, id: string, grants: ShareGrant[]): void {
  if (grants.length === 0) return
  const entry = shares.get(id) ?? { items: 0, recipients: new Map<string, ShareRecipient>() }
  entry.items++
  for (const grant of grants) {
    const key = `${grant.kind}:${grant.entId}`
    if (!entry.recipients.has(key)) entry.recipients.set(key, { kind: grant.kind, entId: grant.entId, name: null })
  }
  shares.set(id, entry)
}

/** Names the readers met while reading (the archive's `names`), given to the recipients. */
export function nameRecipients(shares: PreviewShares, names: ReadonlyMap<string, string>): PreviewShares {
  for (const entry of shares.values()) {
    for (const recipient of entry.recipients.values()) recipient.name = names.get(recipient.entId) ?? null
  }
  return shares
}

export interface SharesSummary {
  items: number
  users: number
  groups: number
  /** A few recipients' names, people first, sorted. */
  names: string[]
}

/** What the ticked items held of shares: resources, distinct users and groups, a few names. */
export function summarizeShares(shares: PreviewShares, selected: ReadonlySet<string>, maxNames = 3): SharesSummary {
  let items = 0
  const recipients = new Map<string, ShareRecipient>()
  for (const [id, entry] of shares) {
    if (!selected.has(id)) continue
    items += entry.items
    for (const [key, recipient] of entry.recipients) recipients.set(key, recipient)
  }
  const all = [...recipients.values()]
  const named = all
    .filter((r): r is ShareRecipient & { name: string } => r.name !== null)
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'user' ? -1 : 1))
  return {
    items,
    users: all.filter(r => r.kind === 'user').length,
    groups: all.filter(r => r.kind === 'group').length,
    names: named.slice(0, maxNames).map(r => r.name)
  }
}
