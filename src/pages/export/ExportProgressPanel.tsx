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

type Phase<P extends ExportProgress['phase']> = Extract<ExportProgress, { phase: P }>

/** Shown while the page cannot follow the export: the mail still comes. */
function LiveNote({ live }: { live: LiveFollow }): JSX.Element | null {
  const { t } = useTranslation()
  if (live !== 'unavailable') return null
  return (
    <Typography variant="body2" className="u-mt-half">
      {t('export.progress.liveUnavailable')}
    </Typography>
  )
}

function SubmittingState(): JSX.Element {
  const { t } = useTranslation()
  return (
    <Alert severity="info" icon={false}>
      <div>
        <Typography variant="body2">{t('export.progress.submitting')}</Typography>
        <LinearProgress className="u-mt-half" aria-label={t('export.progress.submitting')} />
      </div>
    </Alert>
  )
}

function RequestedState({ live }: { live: LiveFollow }): JSX.Element {
  const { t } = useTranslation()
  return (
    <Alert severity="info">
      <div>
        <AlertTitle>{t('export.progress.requestedTitle')}</AlertTitle>
        <Typography variant="body2">{t('export.progress.requested')}</Typography>
        <Typography variant="body2" className="u-mt-half">
          {t('export.progress.slowHint')}
        </Typography>
        <LiveNote live={live} />
      </div>
    </Alert>
  )
}

function ExportingState({ progress, live }: { progress: Phase<'exporting'>; live: LiveFollow }): JSX.Element {
  const { t, lang } = useTranslation()
  return (
    <Alert severity="info">
      <div>
        <AlertTitle>{t('export.progress.exportingTitle')}</AlertTitle>
        <Typography variant="body2">{t('export.progress.exporting', { date: formatDateTime(progress.since, lang) ?? '—' })}</Typography>
        <LinearProgress className="u-mt-half" aria-label={t('export.progress.exportingTitle')} />
        <Typography variant="body2" className="u-mt-half">
          {t('export.progress.mayLeave')}
        </Typography>
        <LiveNote live={live} />
      </div>
    </Alert>
  )
}

function DoneState({ progress, email, sender, onOpenDownload }: { progress: Phase<'done'> } & Pick<Props, 'email' | 'sender' | 'onOpenDownload'>): JSX.Element {
  const { t, lang } = useTranslation()
  return (
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
}

function FailedState({ progress }: { progress: Phase<'failed'> }): JSX.Element {
  const { t } = useTranslation()
  return (
    <Alert severity="error">
      <div>
        <AlertTitle>{t('export.progress.failedTitle')}</AlertTitle>
        <Typography variant="body2">{t(progress.errorKey)}</Typography>
      </div>
    </Alert>
  )
}

function PhaseBody({ progress, live, ...done }: Props): JSX.Element | null {
  switch (progress.phase) {
    case 'submitting':
      return <SubmittingState />
    case 'requested':
      return <RequestedState live={live} />
    case 'exporting':
      return <ExportingState progress={progress} live={live} />
    case 'done':
      return <DoneState progress={progress} {...done} />
    case 'failed':
      return <FailedState progress={progress} />
    default:
      return null
  }
}

/** The export's state, live: announced politely to screen readers as it changes. */
export function ExportProgressPanel(props: Props): JSX.Element | null {
  const { t } = useTranslation()
  if (props.progress.phase === 'idle') return null
  return (
    <section aria-labelledby="export-progress-title" className="u-mv-1-half">
      <Typography variant="h5" component="h2" id="export-progress-title" className="u-mb-half">
        {t('export.progress.title')}
      </Typography>
      <div role="status" aria-live="polite">
        <PhaseBody {...props} />
      </div>
    </section>
  )
}
