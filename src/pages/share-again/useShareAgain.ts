import { useEffect, useMemo, useState } from 'react'
import { useClient } from 'cozy-client'
import type CozyClient from 'cozy-client'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { toStackError } from '../../stack-client'
import { toPendingShare } from '../../stack-client/ent-imports'
import type { CouchDoc } from '../../stack-client/couch-docs'
import { buildPendingSharesQuery } from '../../queries'
import { useDocQuery } from '../../queries/state'
import { groupByRecipient, type MappedContact, type StoredShare } from './recipients'
import { dismissShare, saveMapping, shareWithRecipient } from './share-actions'

const toShares = (docs: CouchDoc[]): StoredShare[] => docs.map(toPendingShare)

export interface ShareMessage {
  severity: 'success' | 'error'
  text: string
}

/**
 * The pending shares grouped by recipient, and what the page does to them: share, dismiss, map to
 * contacts. One action at a time (`busy` is its key); its outcome or error is the `message`.
 */
export function useShareAgain() {
  const { t } = useTranslation()
  const client = useClient() as CozyClient
  // Kept live by RealTimeQueries on the page: another tab's (or an import's) writes show up here.
  const query = useDocQuery(buildPendingSharesQuery(), toShares)
  const [shares, setShares] = useState<StoredShare[]>([])
  const [busy, setBusy] = useState<string | null>(null)
  const [failures, setFailures] = useState<Record<string, string>>({})
  const [message, setMessage] = useState<ShareMessage | null>(null)

  const loaded = query.status === 'ready' ? query.data : null
  useEffect(() => {
    if (loaded) setShares(loaded)
  }, [loaded])
  const groups = useMemo(() => groupByRecipient(shares), [shares])

  const run = async (key: string, action: () => Promise<void>) => {
    setBusy(key)
    setMessage(null)
    try {
      await action()
    } catch (err) {
      setMessage({ severity: 'error', text: t(toStackError(err).translationKey) })
    } finally {
      setBusy(null)
    }
  }

  // "Share all" is everything waiting for them, whatever the search shows.
  const share = (key: string, only?: string[]) =>
    run(key, async () => {
      const group = groups.find(g => g.key === key)
      if (!group) return
      const describe = (titles: string[]) => (titles.length === 1 ? titles[0] : t('shareAgain.sharingDescription', { first: titles[0], smart_count: titles.length - 1 }))
      const outcome = await shareWithRecipient(client, shares, group, { only, describe })
      setShares(outcome.shares)
      setFailures(current => ({ ...current, ...outcome.failures }))
      // Several resources: say how few invitations they made.
      const grouped = outcome.created > 1 ? ` ${t('shareAgain.grouped', { smart_count: outcome.sharings })}` : ''
      if (outcome.created > 0) setMessage({ severity: 'success', text: `${t('shareAgain.done', { smart_count: outcome.created })}${grouped}` })
    })

  const dismiss = (key: string, id: string) =>
    run(key, async () => {
      const target = shares.find(s => s._id === id)
      if (!target) return
      const saved = await dismissShare(client, target)
      setShares(current => current.map(s => (s._id === id ? saved : s)))
    })

  const mapContacts = (key: string, contacts: MappedContact[], onSaved: () => void) =>
    run('mapping', async () => {
      setShares(await saveMapping(client, shares, key, contacts))
      onSaved()
    })

  return { query, shares, groups, busy, failures, message, share, dismiss, mapContacts }
}
