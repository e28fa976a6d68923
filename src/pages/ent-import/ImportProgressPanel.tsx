import React from 'react'
import LinearProgress from 'cozy-ui/transpiled/react/LinearProgress'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import type { ImportRecord } from '../../import/records'
import { appLabel } from './app-label'

/**
 * Percent done, in the unit the page writes beside it (items of the ledger, counted before
 * the first write, so the total never moves); bytes only for a record that has no items.
 */
export function importPercent(record: Pick<ImportRecord, 'progress' | 'state'>): number {
  if (record.state === 'done') return 100
  const { bytesDone, bytesPlanned, itemsDone, itemsPlanned } = record.progress
  if (itemsPlanned > 0) return Math.min(99, Math.floor((itemsDone * 100) / itemsPlanned))
  if (bytesPlanned > 0) return Math.min(99, Math.floor((bytesDone * 100) / bytesPlanned))
  return 0
}

/** Step 4: live progress of an import, across the konnector's successive jobs. */
export function ImportProgressPanel({ record }: { record: ImportRecord }): JSX.Element {
  const { t } = useTranslation()
  const percent = importPercent(record)
  const current = record.apps.find(app => app.state === 'running')
  const determinate = record.state === 'running' || record.state === 'paused'
  return (
    <section aria-labelledby="ent-progress-title" className="u-mb-2">
      <Typography variant="h5" component="h2" id="ent-progress-title" className="u-mb-1">
        {t('entImport.progress.title')}
      </Typography>
      {/* Rebuilt from the record after a reload or in another tab: which archive it is. */}
      {record.archive.name && (
        <Typography variant="body2" color="textSecondary" className="u-mb-half" style={{ overflowWrap: 'anywhere' }}>
          {t('entImport.progress.archive', { name: record.archive.name })}
        </Typography>
      )}
      <LinearProgress
        variant={determinate ? 'determinate' : 'indeterminate'}
        value={percent}
        aria-label={t('entImport.progress.label')}
        aria-valuenow={determinate ? percent : undefined}
      />
      <div role="status" aria-live="polite" className="u-mt-half">
        <Typography variant="body1">
          {t(`entImport.progress.state.${record.state}`)}
          {determinate ? ` — ${t('entImport.progress.percent', { percent })}` : ''}
        </Typography>
        {current && (
          <Typography variant="body2" data-testid="ent-current-app">
            {t('entImport.progress.currentApp', { app: appLabel(t, current.app, current.folder) })}
          </Typography>
        )}
        {record.progress.itemsPlanned > 0 && (
          <Typography variant="body2" color="textSecondary">
            {t('entImport.progress.items', { done: record.progress.itemsDone, total: record.progress.itemsPlanned })}
            {record.jobs > 1 ? ` · ${t('entImport.progress.jobs', { smart_count: record.jobs })}` : ''}
          </Typography>
        )}
      </div>
      <Typography variant="body2" color="textSecondary" className="u-mt-1">
        {t('entImport.progress.leave')}
      </Typography>
    </section>
  )
}
