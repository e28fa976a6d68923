import type CozyClient from 'cozy-client'
import { toPendingShare } from '../../stack-client/ent-imports'
import type { CouchDoc } from '../../stack-client/couch-docs'
import { toStackError } from '../../stack-client/StackError'
import { PENDING_SHARES_DOCTYPE } from '../../import/records'
import { createSharing, type SharedDocument } from './create-sharing'
import { isReadOnly, recipientKey, withMapping, withSharing, type MappedContact, type RecipientGroup, type RecipientItem, type StoredShare } from './recipients'

/** Pending shares are small documents: a few writes at a time keep 600 of them quick without flooding the stack. */
const WRITES_AT_ONCE = 4

async function eachLimited<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(WRITES_AT_ONCE, items.length) }, worker))
}

/** Through cozy-client, so the page's query (and any other tab, by realtime) sees the write. */
async function updatePendingShare(client: CozyClient, share: StoredShare): Promise<StoredShare> {
  const doc = { ...share, _type: PENDING_SHARES_DOCTYPE, updatedAt: new Date().toISOString() }
  try {
    const { data } = (await client.save(doc)) as { data: CouchDoc }
    return toPendingShare({ ...(doc as unknown as CouchDoc), ...data })
  } catch (err) {
    throw toStackError(err)
  }
}

/** Saves the mapping on every share of that recipient, so it serves for each resource (and later imports read it back). */
export async function saveMapping(client: CozyClient, shares: StoredShare[], key: string, contacts: MappedContact[]): Promise<StoredShare[]> {
  const byId = new Map(shares.map(s => [s._id, s]))
  const concerned = shares.filter(share => share.recipients.some(r => recipientKey(r) === key))
  await eachLimited(concerned, async share => {
    byId.set(share._id, await updatePendingShare(client, withMapping(share, key, contacts)))
  })
  return shares.map(s => byId.get(s._id) ?? s)
}

export interface ShareOutcome {
  shares: StoredShare[]
  /** Resources shared again. */
  created: number
  /** io.cozy.sharings made: one per access mode, so one invitation for most people. */
  sharings: number
  /** Translation keys of the failures, by share id. */
  failures: Record<string, string>
}

export interface ShareOptions {
  /** Only these pending shares (one resource, one application…); default every pending one. */
  only?: string[]
  /** The sharing's description, shown in the invitation mail, from the titles it holds. */
  describe?(titles: string[]): string
}

const titleOf = (share: StoredShare): string => share.resource.title || share.cozy.path || share.cozy.id

function failureKey(err: unknown): string {
  const key = (err as { translationKey?: unknown }).translationKey
  return typeof key === 'string' ? key : 'stackErrors.unknown'
}

/**
 * The members of a sharing are read-only or not for all its rules (model/sharing/member.go
 * `read_only`), so a recipient's resources make one sharing per access mode: the read-only
 * ones and the read-write ones.
 */
function byAccess(items: RecipientItem[]): RecipientItem[][] {
  const readOnly = items.filter(i => isReadOnly(i.role))
  const readWrite = items.filter(i => !isReadOnly(i.role))
  return [readOnly, readWrite].filter(batch => batch.length > 0)
}

/**
 * Re-creates what waits for this recipient as Cozy sharings, with their contacts as read-only
 * or read-write members by the ENT role; each share then records its sharing.
 */
export async function shareWithRecipient(client: CozyClient, shares: StoredShare[], group: RecipientGroup, options: ShareOptions = {}): Promise<ShareOutcome> {
  const members = group.contacts.map(c => ({ id: c.id, doctype: c.doctype }))
  const byId = new Map(shares.map(s => [s._id, s]))
  const failures: Record<string, string> = {}
  const wanted = options.only ? new Set(options.only) : null
  const items = group.pending.filter(item => !wanted || wanted.has(item.share._id))
  const missing = items.filter(item => !(byId.get(item.share._id) ?? item.share).cozy.id)
  for (const item of missing) failures[item.share._id] = 'shareAgain.errors.missingDocument'
  let created = 0
  let sharings = 0
  for (const batch of byAccess(items.filter(item => !missing.includes(item)))) {
    const current = batch.map(item => byId.get(item.share._id) ?? item.share)
    const documents: SharedDocument[] = current.map(s => ({ doctype: s.cozy.doctype, id: s.cozy.id, type: s.cozy.type, title: titleOf(s) }))
    const titles = current.map(titleOf)
    const readOnly = isReadOnly(batch[0].role)
    let sharingId: string
    try {
      sharingId = await createSharing(client, {
        description: options.describe ? options.describe(titles) : titles.length === 1 ? titles[0] : `${titles[0]} (+${titles.length - 1})`,
        documents,
        readWrite: readOnly ? [] : members,
        readOnly: readOnly ? members : []
      })
    } catch (err) {
      for (const share of current) failures[share._id] = failureKey(err)
      continue
    }
    sharings++
    await eachLimited(current, async share => {
      try {
        byId.set(share._id, await updatePendingShare(client, withSharing(share, group.key, sharingId)))
        created++
      } catch (err) {
        failures[share._id] = failureKey(err)
      }
    })
  }
  return { shares: shares.map(s => byId.get(s._id) ?? s), created, sharings, failures }
}

export async function dismissShare(client: CozyClient, share: StoredShare): Promise<StoredShare> {
  return updatePendingShare(client, { ...share, state: 'dismissed' })
}
