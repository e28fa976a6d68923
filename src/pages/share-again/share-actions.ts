import type { StackApi } from '../../stack-client'
import { isReadOnly, recipientKey, withMapping, withSharing, type MappedContact, type RecipientGroup, type StoredShare } from './recipients'

/** Saves the mapping on every share of that recipient, so it serves for each resource (and later imports read it back). */
export async function saveMapping(api: StackApi, shares: StoredShare[], key: string, contacts: MappedContact[]): Promise<StoredShare[]> {
  const updated: StoredShare[] = []
  for (const share of shares) {
    if (!share.recipients.some(r => recipientKey(r) === key)) {
      updated.push(share)
      continue
    }
    updated.push(await api.entImports.updatePendingShare(withMapping(share, key, contacts)))
  }
  return updated
}

export interface ShareOutcome {
  shares: StoredShare[]
  created: number
  /** Translation keys of the failures, by share id. */
  failures: Record<string, string>
}

/**
 * One io.cozy.sharings per resource still waiting for this recipient, with its contacts as
 * read-only or read-write members by the ENT role; each share then records the sharing.
 */
export async function shareWithRecipient(api: StackApi, shares: StoredShare[], group: RecipientGroup, onlyShareId?: string): Promise<ShareOutcome> {
  const members = group.contacts.map(c => ({ id: c.id, doctype: c.doctype }))
  const byId = new Map(shares.map(s => [s._id, s]))
  const failures: Record<string, string> = {}
  let created = 0
  for (const item of group.pending) {
    if (onlyShareId && item.share._id !== onlyShareId) continue
    const current = byId.get(item.share._id) ?? item.share
    try {
      if (!current.cozy.id) throw Object.assign(new Error('missing'), { translationKey: 'shareAgain.errors.missingDocument' })
      const readOnly = isReadOnly(item.role)
      const sharingId = await api.sharings.create({
        description: current.resource.title || current.cozy.path || current.cozy.id,
        document: { doctype: current.cozy.doctype, id: current.cozy.id, type: current.cozy.type, title: current.resource.title || current.cozy.id },
        readWrite: readOnly ? [] : members,
        readOnly: readOnly ? members : []
      })
      created++
      byId.set(current._id, await api.entImports.updatePendingShare(withSharing(current, group.key, sharingId)))
    } catch (err) {
      const key = (err as { translationKey?: unknown }).translationKey
      failures[current._id] = typeof key === 'string' ? key : 'stackErrors.unknown'
    }
  }
  return { shares: shares.map(s => byId.get(s._id) ?? s), created, failures }
}

export async function dismissShare(api: StackApi, share: StoredShare): Promise<StoredShare> {
  return api.entImports.updatePendingShare({ ...share, state: 'dismissed' })
}
