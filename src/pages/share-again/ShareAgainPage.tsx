import React, { useEffect, useMemo, useState } from 'react'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { PageIntro } from '../../components/PageIntro'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { useStackApi } from '../../stack-client/react/useStackApi'
import { useStackQuery } from '../../stack-client/react/useStackQuery'
import { LoadingState, StackErrorAlert } from '../../stack-client/react/QueryStates'
import { toStackError, type StackApi } from '../../stack-client'
import { groupByRecipient, shareCounts, type RecipientGroup, type StoredShare } from './recipients'
import { dismissShare, saveMapping, shareWithRecipient } from './share-actions'
import { RecipientCard, recipientName } from './RecipientCard'
import { ContactMappingDialog } from './ContactMappingDialog'

const loadShares = (api: StackApi) => api.entImports.listPendingShares()

/** "Repartager": ENT shares grouped by recipient, mapped once to contacts, re-created as Cozy sharings. */
export function ShareAgainPage(): JSX.Element {
  const { t } = useTranslation()
  const api = useStackApi()
  const query = useStackQuery(loadShares)
  const [shares, setShares] = useState<StoredShare[]>([])
  const [mapping, setMapping] = useState<RecipientGroup | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [failures, setFailures] = useState<Record<string, string>>({})
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | null>(null)

  const loaded = query.status === 'ready' ? query.data : null
  useEffect(() => {
    if (loaded) setShares(loaded)
  }, [loaded])
  const groups = useMemo(() => groupByRecipient(shares), [shares])
  const counts = shareCounts(shares)

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

  const share = (group: RecipientGroup, onlyShareId?: string) =>
    run(group.key, async () => {
      const outcome = await shareWithRecipient(api, shares, group, onlyShareId)
      setShares(outcome.shares)
      setFailures(current => ({ ...current, ...outcome.failures }))
      if (outcome.created > 0) setMessage({ severity: 'success', text: t('shareAgain.done', { smart_count: outcome.created }) })
    })

  return (
    <>
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
        <ul className="u-m-0 u-p-0">
          {groups.map(group => (
            <RecipientCard
              key={group.key}
              group={group}
              busy={busy !== null}
              failures={failures}
              onMap={() => setMapping(group)}
              onShareAll={() => void share(group)}
              onShareOne={id => void share(group, id)}
              onDismiss={id =>
                void run(group.key, async () => {
                  const target = shares.find(s => s._id === id)
                  if (!target) return
                  const saved = await dismissShare(api, target)
                  setShares(current => current.map(s => (s._id === id ? saved : s)))
                })
              }
            />
          ))}
        </ul>
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
              setShares(await saveMapping(api, shares, mapping.key, contacts))
              setMapping(null)
            })
          }
        />
      )}
    </>
  )
}
