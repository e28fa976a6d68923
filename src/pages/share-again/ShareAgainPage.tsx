import React, { useEffect, useMemo, useState } from 'react'
import { RealTimeQueries, useClient } from 'cozy-client'
import type CozyClient from 'cozy-client'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Button from 'cozy-ui/transpiled/react/Buttons'
import TextField from 'cozy-ui/transpiled/react/TextField'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { PageIntro } from '../../components/PageIntro'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { useStackApi } from '../../stack-client/react/useStackApi'
import { LoadingState, StackErrorAlert } from '../../components/QueryStates'
import { toStackError } from '../../stack-client'
import { toPendingShare } from '../../stack-client/ent-imports'
import type { CouchDoc } from '../../stack-client/couch-docs'
import { PENDING_SHARES_DOCTYPE } from '../../import/records'
import { buildPendingSharesQuery } from '../../queries'
import { useDocQuery } from '../../queries/state'
import { filterGroups, groupByRecipient, listCounts, type RecipientGroup, type StoredShare } from './recipients'
import { dismissShare, saveMapping, shareWithRecipient } from './share-actions'
import { RecipientCard, recipientName } from './RecipientCard'
import { ContactMappingDialog } from './ContactMappingDialog'

const toShares = (docs: CouchDoc[]): StoredShare[] => docs.map(toPendingShare)

/** Cards shown before "show the other recipients": a class's worth. */
const FIRST_RECIPIENTS = 20

/** "Repartager": ENT shares grouped by recipient, mapped once to contacts, re-created as Cozy sharings. */
export function ShareAgainPage(): JSX.Element {
  const { t } = useTranslation()
  const api = useStackApi()
  const client = useClient() as CozyClient
  // Kept live by RealTimeQueries below: another tab's (or an import's) writes show up here.
  const query = useDocQuery(buildPendingSharesQuery(), toShares)
  const [shares, setShares] = useState<StoredShare[]>([])
  const [mapping, setMapping] = useState<RecipientGroup | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [failures, setFailures] = useState<Record<string, string>>({})
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | null>(null)
  const [search, setSearch] = useState('')
  const [allRecipients, setAllRecipients] = useState(false)

  const loaded = query.status === 'ready' ? query.data : null
  useEffect(() => {
    if (loaded) setShares(loaded)
  }, [loaded])
  const groups = useMemo(() => groupByRecipient(shares), [shares])
  const counts = listCounts(groups, shares)
  const shown = useMemo(() => filterGroups(groups, search, g => recipientName(t, g)), [groups, search, t])
  const visible = allRecipients ? shown : shown.slice(0, FIRST_RECIPIENTS)

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
      const outcome = await shareWithRecipient(api, client, shares, group, { only, describe })
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

  return (
    <>
      <RealTimeQueries doctype={PENDING_SHARES_DOCTYPE} />
      <PageIntro i18nKey="pages.shareAgain">
        {query.status === 'ready' && (
          <Typography variant="body1" className="u-mt-half" data-testid="share-counts">
            <strong>{t('shareAgain.counts', counts)}</strong>
          </Typography>
        )}
      </PageIntro>
      {message && (
        <Alert severity={message.severity} role={message.severity === 'error' ? 'alert' : 'status'} className="u-mb-1">
          {message.text}
        </Alert>
      )}
      {query.status === 'loading' && <LoadingState label={t('shareAgain.loading')} />}
      {query.status === 'error' && <StackErrorAlert error={query.error} onRetry={query.retry} />}
      {query.status === 'ready' && groups.length === 0 && <Typography variant="body1">{t('shareAgain.empty')}</Typography>}
      {groups.length > 0 && (
        <div role="search" className="u-mb-1">
          <TextField id="share-again-search" type="search" fullWidth variant="outlined" label={t('shareAgain.search')} value={search} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSearch(e.target.value)} />
          <Typography variant="body2" color="textSecondary" role="status" className="u-mt-half" data-testid="search-status">
            {search.trim() ? (shown.length > 0 ? t('shareAgain.searchResults', { smart_count: shown.length }) : t('shareAgain.noMatch', { query: search.trim() })) : ''}
          </Typography>
        </div>
      )}
      {visible.length > 0 && (
        <ul className="u-m-0 u-p-0">
          {visible.map(group => (
            <RecipientCard
              key={group.key}
              group={group}
              searching={search.trim() !== ''}
              busy={busy !== null}
              failures={failures}
              onMap={() => setMapping(groups.find(g => g.key === group.key) ?? group)}
              onShareAll={() => void share(group.key)}
              onShareOne={id => void share(group.key, [id])}
              onDismiss={id => void dismiss(group.key, id)}
            />
          ))}
        </ul>
      )}
      {shown.length > FIRST_RECIPIENTS && (
        <Button variant="secondary" label={allRecipients ? t('shareAgain.fewerRecipients') : t('shareAgain.moreRecipients', { smart_count: shown.length - FIRST_RECIPIENTS })} onClick={() => setAllRecipients(a => !a)} />
      )}
      {mapping && (
        <ContactMappingDialog
          title={t('shareAgain.dialog.title', { name: recipientName(t, mapping) })}
          isGroup={mapping.kind === 'group'}
          initial={mapping.contacts}
          saving={busy === 'mapping'}
          onCancel={() => setMapping(null)}
          onSave={contacts =>
            void run('mapping', async () => {
              setShares(await saveMapping(client, shares, mapping.key, contacts))
              setMapping(null)
            })
          }
        />
      )}
    </>
  )
}
