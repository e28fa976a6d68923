import React from 'react'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Button from 'cozy-ui/transpiled/react/Buttons'
import AlertTitle from 'cozy-ui/transpiled/react/AlertTitle'
import LinearProgress from 'cozy-ui/transpiled/react/LinearProgress'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import type { ExportProgress, LiveFollow } from './useExportProgress'
import { formatDateTime } from './part-sizes'

interface Props {
  progress: ExportProgress
  live: LiveFollow
  email?: string
  /** Who the mail comes from (part-sizes.ts noReplySender). */
  sender: string
  /** Takes the user to the form that opens the download page from the mailed link. */
  onOpenDownload: () => void
}

/** The export's state, live: announced politely to screen readers as it changes. */
export function ExportProgressPanel({ progress, live, email, sender, onOpenDownload }: Props): JSX.Element | null {
  const { t, lang } = useTranslation()
  if (progress.phase === 'idle') return null

  const liveNote =
    live === 'unavailable' && (progress.phase === 'requested' || progress.phase === 'exporting') ? (
      <Typography variant="body2" className="u-mt-half">
        {t('export.progress.liveUnavailable')}
      </Typography>
    ) : null

  let body: JSX.Element
  switch (progress.phase) {
    case 'submitting':
      body = (
        <Alert severity="info" icon={false}>
          <div>
            <Typography variant="body2">{t('export.progress.submitting')}</Typography>
            <LinearProgress className="u-mt-half" aria-label={t('export.progress.submitting')} />
          </div>
        </Alert>
      )
      break
    case 'requested':
      body = (
        <Alert severity="info">
          <div>
            <AlertTitle>{t('export.progress.requestedTitle')}</AlertTitle>
            <Typography variant="body2">{t('export.progress.requested')}</Typography>
            <Typography variant="body2" className="u-mt-half">
              {t('export.progress.slowHint')}
            </Typography>
            {liveNote}
          </div>
        </Alert>
      )
      break
    case 'exporting':
      body = (
        <Alert severity="info">
          <div>
            <AlertTitle>{t('export.progress.exportingTitle')}</AlertTitle>
            <Typography variant="body2">
              {t('export.progress.exporting', { date: formatDateTime(progress.since, lang) ?? '—' })}
            </Typography>
            <LinearProgress className="u-mt-half" aria-label={t('export.progress.exportingTitle')} />
            <Typography variant="body2" className="u-mt-half">
              {t('export.progress.mayLeave')}
            </Typography>
            {liveNote}
          </div>
        </Alert>
      )
      break
    case 'done':
      body = (
        <Alert severity="success">
          <div>
            <AlertTitle>{t('export.progress.doneTitle')}</AlertTitle>
            <Typography variant="body2">
              {email
                ? t('export.progress.done', { email, sender, subject: t('export.limits.subject') })
                : t('export.progress.doneNoEmail', { sender, subject: t('export.limits.subject') })}
            </Typography>
            <Typography variant="body2" className="u-mt-half">
              {t('export.progress.spam')}
            </Typography>
            {progress.expiresAt && (
              <Typography variant="body2" className="u-mt-half">
                {t('export.progress.expires', { date: formatDateTime(progress.expiresAt, lang) ?? '—' })}
              </Typography>
            )}
            {/* The download page needs the MAC that only the mail holds (the stack signs it with the instance's secret). */}
            <Button className="u-mt-1" variant="secondary" label={t('export.progress.openDownload')} onClick={onOpenDownload} />
          </div>
        </Alert>
      )
      break
    case 'failed':
      body = (
        <Alert severity="error">
          <div>
            <AlertTitle>{t('export.progress.failedTitle')}</AlertTitle>
            <Typography variant="body2">{t(progress.errorKey)}</Typography>
          </div>
        </Alert>
      )
      break
  }

  return (
    <section aria-labelledby="export-progress-title" className="u-mv-1-half">
      <Typography variant="h5" component="h2" id="export-progress-title" className="u-mb-half">
        {t('export.progress.title')}
      </Typography>
      <div role="status" aria-live="polite">
        {body}
      </div>
    </section>
  )
}
