import React from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import LinearProgress from 'cozy-ui/transpiled/react/LinearProgress'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { formatBytes, formatDuration } from './format'

interface Props {
  loaded: number
  total: number
  /** Bytes per second, null until measured. */
  speed: number | null
  onCancel(): void
}

/** Step 3: the archive being sent, with its speed and the time left; it can be cancelled. */
export function UploadPanel({ loaded, total, speed, onCancel }: Props): JSX.Element {
  const { t, lang } = useTranslation()
  const percent = total > 0 ? Math.min(100, Math.floor((loaded * 100) / total)) : 0
  const left = speed && speed > 0 ? (total - loaded) / speed : null
  return (
    <section aria-labelledby="ent-upload-title" className="u-mb-2">
      <Typography variant="h5" component="h2" id="ent-upload-title" className="u-mb-1">
        {t('entImport.upload.title')}
      </Typography>
      <LinearProgress variant="determinate" value={percent} aria-label={t('entImport.upload.label')} aria-valuenow={percent} />
      <div role="status" aria-live="polite" className="u-mt-half">
        <Typography variant="body1">
          {t('entImport.upload.progress', { percent, loaded: formatBytes(loaded, lang), total: formatBytes(total, lang) })}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {[speed ? t('entImport.upload.speed', { speed: formatBytes(speed, lang) }) : null, left !== null ? t('entImport.upload.timeLeft', { time: formatDuration(left, lang) }) : null]
            .filter(Boolean)
            .join(' · ') || '\u00a0'}
        </Typography>
      </div>
      <Button className="u-mt-1" variant="secondary" color="error" label={t('entImport.upload.cancel')} onClick={onCancel} />
    </section>
  )
}
