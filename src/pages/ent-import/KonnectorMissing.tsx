import React, { useEffect, useState } from 'react'
import Alert from 'cozy-ui/transpiled/react/Alert'
import AlertTitle from 'cozy-ui/transpiled/react/AlertTitle'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { Dialog } from 'cozy-ui/transpiled/react/CozyDialogs'
import { useClient } from 'cozy-client'
import { Intents } from 'cozy-interapp'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { KONNECTOR_SLUG } from '../../import/records'

interface Props {
  /**
   * What store.installUrl found: an INSTALL service href (with ?intent=), so the dialog runs
   * the intent (cozy-interapp asks for its own), or the Store's page, or null.
   */
  installUrl: string | null
  onRetry(): void
  busy?: boolean
}

/** The intent id the stack put in a service href (Intent.GenerateHref: `?intent=<id>`), or null. */
export function intentIdOf(href: string): string | null {
  try {
    return new URL(href).searchParams.get('intent')
  } catch {
    return null
  }
}

/** cozy-interapp names the iframe by the intent only: give it a title and the dialog's room. */
function dressFrame(container: HTMLElement, title: string): void {
  const frame = container.querySelector('iframe')
  if (!frame) return
  frame.title = title
  Object.assign(frame.style, { border: '0', width: '100%', height: '100%' })
}

/**
 * The Store's INSTALL service in a dialog, through cozy-interapp as Cozy's apps run intents
 * (docs/intents.md): it asks the stack for the intent, opens the service in an iframe and sends
 * {slug} once the service says ready (cozy-store's INSTALL takes it). Done means installed:
 * `onInstalled` runs; cancel closes.
 */
function StoreIntentDialog({ onInstalled, onClose }: { onInstalled(): void; onClose(): void }): JSX.Element {
  const { t } = useTranslation()
  const client = useClient()
  const [failure, setFailure] = useState<string | null>(null)
  const [container, setContainer] = useState<HTMLDivElement | null>(null)
  useEffect(() => {
    if (!container || !client) return undefined
    const created = new Intents({ client }).create('INSTALL', 'io.cozy.apps', { slug: KONNECTOR_SLUG }, ['GET'])
    const started = created.start(container)
    let live = true
    // Runs after start's own handler, which has put the iframe in.
    created.then(() => dressFrame(container, t('entImport.konnector.frameTitle')), () => undefined)
    started.then(
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
      started.stop()
    }
    // The intent runs once per dialog; the callbacks are read when it ends.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [container, client])
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
