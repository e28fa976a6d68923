import React from 'react'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { formatBytes } from '../export/part-sizes'
import { formatDateTime } from '../../app/dates'
import type { ExportSummary } from './export-summary'

/** Which export will replace this Cozy's data: its Cozy, date and size, read before « REMPLACER ». */
export function ExportSummaryPanel({ summary }: { summary: ExportSummary | 'loading' }): JSX.Element {
  const { t, lang } = useTranslation()
  if (summary === 'loading') {
    return (
      <Typography variant="body2" role="status" className="u-mb-1">
        {t('cozyImport.link.readingExport')}
      </Typography>
    )
  }
  const details = summary.details
  const rows: [string, string][] = [[t('cozyImport.export.source'), summary.source]]
  if (details) {
    if (details.createdAt) rows.push([t('cozyImport.export.created'), formatDateTime(details.createdAt, lang) ?? '—'])
    rows.push([
      t('cozyImport.export.size'),
      details.partsSize
        ? t('cozyImport.export.sizeValue', { smart_count: details.parts, size: formatBytes(details.partsSize, lang) })
        : t('cozyImport.export.sizeUnknown', { smart_count: details.parts })
    ])
    if (details.expiresAt) rows.push([t('cozyImport.export.expires'), formatDateTime(details.expiresAt, lang) ?? '—'])
  }
  return (
    <section aria-labelledby="import-export-title" className="u-mb-1-half" data-testid="import-export-summary">
      <Typography variant="h5" component="h2" id="import-export-title" className="u-mb-half">
        {t('cozyImport.export.title')}
      </Typography>
      <dl className="u-m-0">
        {rows.map(([label, value]) => (
          <div key={label} className="u-flex u-flex-wrap" style={{ columnGap: '0.5rem' }}>
            <Typography variant="body2" component="dt" style={{ fontWeight: 'bold' }}>
              {label}
            </Typography>
            <Typography variant="body2" component="dd" className="u-m-0" style={{ overflowWrap: 'anywhere' }}>
              {value}
            </Typography>
          </div>
        ))}
      </dl>
      {!details && (
        <Typography variant="body2" className="u-mt-half">
          {t('cozyImport.export.unreadable')}
        </Typography>
      )}
    </section>
  )
}
