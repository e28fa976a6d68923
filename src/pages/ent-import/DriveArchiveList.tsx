import React from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { LoadingState, StackErrorAlert } from '../../components/QueryStates'
import type { DriveFile } from '../../stack-client/files-upload'
import { buildDriveZipsQuery } from '../../queries'
import { useDocQuery } from '../../queries/state'
import { toZips } from './drive-files'
import { formatBytes, formatDate } from './format'

interface Props {
  onChoose(file: DriveFile): void
  onClose(): void
}

/** The zips already in the Drive, newest first; choosing one previews it through Range requests. */
export function DriveArchiveList({ onChoose, onClose }: Props): JSX.Element {
  const { t, lang } = useTranslation()
  const zips = useDocQuery(buildDriveZipsQuery(), toZips)
  return (
    <div className="u-mt-1" role="region" aria-labelledby="ent-drive-title">
      <div className="u-flex u-flex-items-center u-flex-justify-between">
        <Typography variant="h6" component="h3" id="ent-drive-title">
          {t('entImport.picker.driveTitle')}
        </Typography>
        <Button variant="text" label={t('entImport.picker.close')} onClick={onClose} />
      </div>
      {zips.status === 'loading' && <LoadingState label={t('entImport.picker.driveLoading')} />}
      {zips.status === 'error' && <StackErrorAlert error={zips.error} onRetry={zips.retry} />}
      {zips.status === 'ready' && zips.data.length === 0 && <Typography variant="body2">{t('entImport.picker.driveEmpty')}</Typography>}
      {zips.status === 'ready' && zips.data.length > 0 && (
        <ul className="u-m-0 u-p-0" style={{ listStyle: 'none' }}>
          {zips.data.map(file => (
            <li key={file.id} className="u-flex u-flex-items-center u-flex-justify-between u-pv-half" style={{ gap: 8, borderBottom: '1px solid var(--dividerColor)' }}>
              <div style={{ minWidth: 0 }}>
                <Typography variant="body1" style={{ overflowWrap: 'anywhere' }}>{file.name}</Typography>
                <Typography variant="caption" color="textSecondary">
                  {[file.path, file.size !== undefined ? formatBytes(file.size, lang) : '', formatDate(file.updatedAt ?? null, lang)].filter(Boolean).join(' · ')}
                </Typography>
              </div>
              <Button variant="secondary" size="small" label={t('entImport.picker.driveChoose', { name: '' }).trim()} aria-label={t('entImport.picker.driveChoose', { name: file.name })} onClick={() => onChoose(file)} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
