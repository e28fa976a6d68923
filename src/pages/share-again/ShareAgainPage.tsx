import React, { useMemo, useState } from 'react'
import { RealTimeQueries } from 'cozy-client'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Button from 'cozy-ui/transpiled/react/Buttons'
import TextField from 'cozy-ui/transpiled/react/TextField'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { PageIntro } from '../../components/PageIntro'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { LoadingState, StackErrorAlert } from '../../components/QueryStates'
import { PENDING_SHARES_DOCTYPE } from '../../import/records'
import { filterGroups, listCounts, type RecipientGroup } from './recipients'
import { RecipientCard, recipientName } from './RecipientCard'
import { ContactMappingDialog } from './ContactMappingDialog'
import { useShareAgain } from './useShareAgain'

/** Cards shown before "show the other recipients": a class's worth. */
const FIRST_RECIPIENTS = 20

/** The search over the recipients, and how many it finds. */
function RecipientSearch({ search, onSearch, found }: { search: string; onSearch(search: string): void; found: number }): JSX.Element {
  const { t } = useTranslation()
  return (
    <div role="search" className="u-mb-1">
      <TextField id="share-again-search" type="search" fullWidth variant="outlined" label={t('shareAgain.search')} value={search} onChange={(e: React.ChangeEvent<HTMLInputElement>) => onSearch(e.target.value)} />
      <Typography variant="body2" color="textSecondary" role="status" className="u-mt-half" data-testid="search-status">
        {search.trim() ? (found > 0 ? t('shareAgain.searchResults', { smart_count: found }) : t('shareAgain.noMatch', { query: search.trim() })) : ''}
      </Typography>
    </div>
  )
}

/** "Repartager": ENT shares grouped by recipient, mapped once to contacts, re-created as Cozy sharings. */
export function ShareAgainPage(): JSX.Element {
  const { t } = useTranslation()
  const { query, shares, groups, busy, failures, message, share, dismiss, mapContacts } = useShareAgain()
  const [mapping, setMapping] = useState<RecipientGroup | null>(null)
  const [search, setSearch] = useState('')
  const [allRecipients, setAllRecipients] = useState(false)
  const counts = listCounts(groups, shares)
  const shown = useMemo(() => filterGroups(groups, search, g => recipientName(t, g)), [groups, search, t])
  const visible = allRecipients ? shown : shown.slice(0, FIRST_RECIPIENTS)

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
      {groups.length > 0 && <RecipientSearch search={search} onSearch={setSearch} found={shown.length} />}
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
          onSave={contacts => void mapContacts(mapping.key, contacts, () => setMapping(null))}
        />
      )}
    </>
  )
}
