import React from 'react'
import { Link as RouterLink, useParams } from 'react-router-dom'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { LoadingState, StackErrorAlert } from '../../components/QueryStates'
import { formatDate } from './format'
import { FollowImport } from './FollowImport'
import { useImportRecordById, useImportRecords } from './useImportRecord'

/** Every import, newest first, each opening its report (or its live progress). */
export function ImportHistory(): JSX.Element {
  const { t, lang } = useTranslation()
  const imports = useImportRecords()
  return (
    <section aria-labelledby="ent-history-title">
      <Typography variant="h4" component="h1" id="ent-history-title" className="u-mb-1">
        {t('entImport.history.title')}
      </Typography>
      <Button component={RouterLink} to="/ent-import" variant="text" label={t('entImport.history.back')} className="u-mb-1" />
      {imports.status === 'loading' && <LoadingState label={t('entImport.history.loading')} />}
      {imports.status === 'error' && <StackErrorAlert error={imports.error} onRetry={imports.retry} />}
      {imports.status === 'ready' && imports.data.length === 0 && <Typography variant="body1">{t('entImport.history.empty')}</Typography>}
      {imports.status === 'ready' && imports.data.length > 0 && (
        <ul className="u-m-0 u-p-0" style={{ listStyle: 'none' }}>
          {imports.data.map(record => {
            const name = record.archive.name ?? record._id
            return (
              <li key={record._id} className="u-pv-half" style={{ borderBottom: '1px solid var(--dividerColor)' }}>
                <RouterLink to={`/ent-import/history/${encodeURIComponent(record._id)}`} aria-label={t('entImport.history.details', { name })}>
                  <Typography variant="body1" component="span" style={{ overflowWrap: 'anywhere' }}>
                    {name}
                  </Typography>
                </RouterLink>
                <Typography variant="body2" color="textSecondary">
                  {t(`entImport.progress.state.${record.state}`)} · {t('entImport.history.started', { date: formatDate(record.createdAt, lang) })}
                </Typography>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}

/** One import: live progress while it runs, its report once it ended, "resume" when it stopped. */
export function ImportDetails(): JSX.Element {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const exists = useImportRecordById(id)
  return (
    <>
      <Button component={RouterLink} to="/ent-import/history" variant="text" label={t('entImport.history.backToHistory')} className="u-mb-1" />
      {exists.status === 'loading' && <LoadingState label={t('entImport.history.loading')} />}
      {exists.status === 'error' && <StackErrorAlert error={exists.error} onRetry={exists.retry} />}
      {exists.status === 'ready' && (
        <>
          <Typography variant="h4" component="h1" className="u-mb-1" style={{ overflowWrap: 'anywhere' }}>
            {exists.data.archive.name ?? exists.data._id}
          </Typography>
          <FollowImport importId={id} />
        </>
      )}
    </>
  )
}
