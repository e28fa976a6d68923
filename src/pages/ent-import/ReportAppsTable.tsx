import React from 'react'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import type { ImportAppReport } from '../../import/records'
import { appLabel } from './app-label'
import { formatBytes } from './format'

const COLUMNS = ['app', 'items', 'imported', 'skipped', 'notSelected', 'failed', 'size']

/** One row per app of the import: its items, imported / already there / not selected / failed, and its size. */
export function ReportAppsTable({ apps }: { apps: ImportAppReport[] }): JSX.Element {
  const { t, lang } = useTranslation()
  return (
    // Scrolls sideways on narrow screens: focusable and named so keyboards can scroll it too.
    <div style={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label={t('entImport.report.title')}>
      <table className="u-w-100" style={{ borderCollapse: 'collapse' }}>
        <thead>
          <tr>
            {COLUMNS.map(key => (
              <th key={key} scope="col" className="u-pv-half u-ph-half" style={{ textAlign: key === 'app' ? 'left' : 'right', borderBottom: '1px solid var(--dividerColor)' }}>
                <Typography variant="subtitle2" component="span">
                  {t(`entImport.report.${key}`)}
                </Typography>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {apps.map(app => (
            <tr key={`${app.app}-${app.folder ?? ''}`}>
              <th scope="row" className="u-pv-half u-ph-half" style={{ textAlign: 'left', fontWeight: 'normal' }}>
                <Typography variant="body2" component="span">{appLabel(t, app.app, app.folder)}</Typography>
              </th>
              {[app.total, app.imported, app.skipped, app.notSelected, app.failed].map((value, index) => (
                <td key={index} className="u-pv-half u-ph-half" style={{ textAlign: 'right' }}>
                  <Typography variant="body2" component="span" color={index === 4 && value > 0 ? 'error' : undefined}>{value}</Typography>
                </td>
              ))}
              <td className="u-pv-half u-ph-half" style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                <Typography variant="body2" component="span">{formatBytes(app.bytes, lang)}</Typography>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
