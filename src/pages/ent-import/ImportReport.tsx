import React from 'react'
import { Link as RouterLink } from 'react-router-dom'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { buildWebappsQuery, installedAppsFromDocs, useSpecQuery } from '../../queries/settings'
import type { ImportItemError, ImportRecord } from '../../import/records'
import { appLabel } from './app-label'
import { ReportAppsTable } from './ReportAppsTable'

/** Error codes the page has words for; anything else falls back to UNKNOWN_ERROR. */
const JOB_ERRORS = new Set(['NO_ARCHIVE', 'BAD_JOB_MESSAGE', 'NOT_AN_ENT_EXPORT', 'ARCHIVE_CORRUPT', 'ARCHIVE_UNSUPPORTED', 'ARCHIVE_TOO_LARGE', 'EMPTY_SELECTION', 'DISK_QUOTA_EXCEEDED', 'STACK_ERROR', 'UNKNOWN_ERROR', 'NO_TEMP_DIR'])

export function importErrorKey(code: string | undefined): string {
  return `entImport.errors.job.${code && JOB_ERRORS.has(code) ? code : 'UNKNOWN_ERROR'}`
}

/**
 * Where the installed webapps live, by slug, for the links (GET /apps/ through cozy-client, the
 * query the settings pages share); a missing app has no link.
 */
function useWebappUrls(): Map<string, string> {
  const result = useSpecQuery(buildWebappsQuery())
  const apps = result.fetchStatus === 'loaded' ? installedAppsFromDocs(result.data, 'webapp') : []
  return new Map(apps.flatMap(app => (app.url ? [[app.slug, app.url] as [string, string]] : [])))
}

interface Props {
  record: ImportRecord & { _id: string }
  /** Shown for a failed or stalled import. */
  onResume?: () => void
  resuming?: boolean
}

/** Why a failed import stopped (with a way to resume it), or the totals of a finished one. */
function ReportOutcome({ record, onResume, resuming }: Props): JSX.Element | null {
  const { t } = useTranslation()
  if (record.state === 'failed') {
    return (
      <Alert severity="error" role="alert" className="u-mb-1">
        {t(importErrorKey(record.error?.code))}
        {onResume && (
          <div className="u-mt-half">
            <Button variant="secondary" label={t('entImport.resume')} onClick={onResume} busy={resuming} disabled={resuming} />
          </div>
        )}
      </Alert>
    )
  }
  if (record.state !== 'done') return null
  const totals = record.apps.reduce(
    (sum, app) => ({ items: sum.items + app.total, imported: sum.imported + app.imported, skipped: sum.skipped + app.skipped, notSelected: sum.notSelected + app.notSelected, failed: sum.failed + app.failed }),
    { items: 0, imported: 0, skipped: 0, notSelected: 0, failed: 0 }
  )
  return (
    <Alert severity={totals.failed > 0 ? 'warning' : 'success'} className="u-mb-1">
      {t('entImport.report.summary', { ...totals, smart_count: totals.items })}
    </Alert>
  )
}

/** The import folder's path, with links to it in Drive and to Notes when those apps are installed. */
function ReportFolderLinks({ folder, driveUrl, notesUrl }: { folder: { id: string; path: string }; driveUrl: string | null; notesUrl: string | null }): JSX.Element {
  const { t } = useTranslation()
  return (
    <div className="u-mt-1 u-flex u-flex-wrap u-flex-items-center" style={{ gap: 8 }}>
      <Typography variant="body2" style={{ overflowWrap: 'anywhere' }}>{t('entImport.report.folderPath', { path: folder.path })}</Typography>
      {driveUrl && <Button component="a" variant="secondary" href={`${driveUrl.replace(/\/$/, '')}/#/folder/${encodeURIComponent(folder.id)}`} target="_top" label={t('entImport.report.openFolder')} />}
      {notesUrl && <Button component="a" variant="text" href={notesUrl} target="_top" label={t('entImport.report.openNotes')} />}
    </div>
  )
}

/** Items the import has something to say about (failed, or imported with a change): app — item — reason. */
function ReportItemList({ items }: { items: ImportItemError[] }): JSX.Element {
  const { t } = useTranslation()
  return (
    <ul>
      {items.slice(0, 100).map((item, index) => (
        <li key={index}>
          <Typography variant="body2" style={{ overflowWrap: 'anywhere' }}>
            <strong>{appLabel(t, item.app, null)}</strong> — {item.item} — {item.reason}
          </Typography>
        </li>
      ))}
    </ul>
  )
}

/** The items that failed (the first 100), then how many more. */
function ReportErrors({ record }: { record: Props['record'] }): JSX.Element {
  const { t } = useTranslation()
  return (
    <div className="u-mt-1">
      <Typography variant="h6" component="h3">
        {t('entImport.report.errorsTitle', { smart_count: record.errorCount })}
      </Typography>
      <ReportItemList items={record.errors} />
      {record.errorCount > Math.min(100, record.errors.length) && (
        <Typography variant="body2">{t('entImport.report.moreErrors', { smart_count: record.errorCount - Math.min(100, record.errors.length) })}</Typography>
      )}
    </div>
  )
}

/** The final report: per app imported / already there / failed, the failures and their reasons, links. */
export function ImportReport({ record, onResume, resuming }: Props): JSX.Element {
  const { t } = useTranslation()
  const folder = record.importFolder ?? record.report?.importFolder ?? null
  const urls = useWebappUrls()
  const driveUrl = urls.get('drive') ?? null
  const notesUrl = urls.get('notes') ?? null
  return (
    <section aria-labelledby="ent-report-title" className="u-mb-2">
      <Typography variant="h5" component="h2" id="ent-report-title" className="u-mb-1">
        {t('entImport.report.title')}
      </Typography>
      <ReportOutcome record={record} onResume={onResume} resuming={resuming} />
      {record.apps.length > 0 && <ReportAppsTable apps={record.apps} />}
      {folder && <ReportFolderLinks folder={folder} driveUrl={driveUrl} notesUrl={notesUrl} />}
      {record.errorCount > 0 && <ReportErrors record={record} />}
      {record.notices.length > 0 && (
        <div className="u-mt-1">
          <Typography variant="h6" component="h3">
            {t('entImport.report.noticesTitle', { smart_count: record.notices.length })}
          </Typography>
          <ReportItemList items={record.notices} />
        </div>
      )}
      {record.pendingShares > 0 && (
        <Alert severity="info" className="u-mt-1" action={<Button component={RouterLink} to="/share-again" variant="text" label={t('entImport.report.goShare')} />}>
          {t('entImport.report.pendingShares', { smart_count: record.pendingShares })}
        </Alert>
      )}
    </section>
  )
}
