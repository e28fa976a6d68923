import React, { useEffect, useState } from 'react'
import Alert from 'cozy-ui/transpiled/react/Alert'
import AlertTitle from 'cozy-ui/transpiled/react/AlertTitle'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { Dialog } from 'cozy-ui/transpiled/react/CozyDialogs'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { intentIdOf, startIntentService } from '../../stack-client/intent-client'
import { KONNECTOR_SLUG } from '../../import/records'

interface Props {
  /** The Store's INSTALL intent service (href with ?intent=), or its page, or null. */
  installUrl: string | null
  onRetry(): void
  busy?: boolean
}

/**
 * The Store's INSTALL service in a dialog (docs/intents.md: the client opens the service in
 * an iframe and sends its data after the handshake; cozy-store's INSTALL takes {slug}). Done
 * means installed: `onInstalled` runs; cancel closes.
 */
function StoreIntentDialog({ href, onInstalled, onClose }: { href: string; onInstalled(): void; onClose(): void }): JSX.Element {
  const { t } = useTranslation()
  const [failure, setFailure] = useState<string | null>(null)
  const [container, setContainer] = useState<HTMLDivElement | null>(null)
  useEffect(() => {
    if (!container) return undefined
    const session = startIntentService(container, href, { slug: KONNECTOR_SLUG }, t('entImport.konnector.frameTitle'))
    let live = true
    session.result.then(
      doc => {
        if (!live) return
        if (doc === null) onClose()
        else onInstalled()
      },
      (err: unknown) => {
        if (live) setFailure(err instanceof Error ? err.message : String(err))
      }
    )
    return () => {
      live = false
      session.dispose()
    }
    // The intent runs once per dialog; the callbacks are read when it ends.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [container, href])
  return (
    <Dialog
      open
      size="large"
      onClose={onClose}
      title={t('entImport.konnector.dialogTitle')}
      content={
        failure ? (
          <Alert severity="error" role="alert">
            {t('entImport.konnector.installFailed', { message: failure })}
          </Alert>
        ) : (
          <div
            ref={setContainer}
            style={{ height: '20rem' }}
            data-testid="store-intent"
          />
        )
      }
    />
  )
}

/** Only the Store installs konnectors: explain, run its INSTALL intent (or open its page), then start again. */
export function KonnectorMissing({ installUrl, onRetry, busy }: Props): JSX.Element {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const isIntent = !!installUrl && intentIdOf(installUrl) !== null
  return (
    <Alert severity="warning" className="u-mb-2" role="alert">
      <AlertTitle>{t('entImport.konnector.title')}</AlertTitle>
      <Typography variant="body2" className="u-mb-1">
        {t('entImport.konnector.explanation')}
      </Typography>
      {installUrl && isIntent && <Button label={t('entImport.konnector.install')} onClick={() => setOpen(true)} busy={busy} disabled={busy} className="u-mb-half u-mr-half" />}
      {installUrl && !isIntent && <Button component="a" href={installUrl} target="_top" label={t('entImport.konnector.install')} className="u-mb-half u-mr-half" />}
      {!installUrl && (
        <Typography variant="body2" className="u-mb-half">
          {t('entImport.konnector.noStore')}
        </Typography>
      )}
      <Button variant="secondary" label={t('entImport.konnector.retry')} onClick={onRetry} busy={busy} disabled={busy} className="u-mb-half" />
      {open && installUrl && (
        <StoreIntentDialog
          href={installUrl}
          onClose={() => setOpen(false)}
          onInstalled={() => {
            setOpen(false)
            onRetry()
          }}
        />
      )}
    </Alert>
  )
}
