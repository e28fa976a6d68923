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
import { buildWebappsQuery, useSpecQuery } from '../../queries/settings'
import { storePageOf } from './konnector'

interface Props {
  onRetry(): void
  busy?: boolean
}

/** What POST /intents answered: the services able to run it (docs/intents.md "Create an intent"). */
function hasService(intent: unknown): boolean {
  const services = (intent as { attributes?: { services?: unknown } } | null)?.attributes?.services
  return Array.isArray(services) && services.length > 0
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
 * (docs/intents.md): it creates the intent (the one POST /intents of an install), opens the
 * service in an iframe and sends {slug} once the service says ready (cozy-store's INSTALL takes
 * it). Done means installed: `onInstalled` runs; cancel closes. When the stack finds no service
 * for the intent, the dialog offers the Store's own page instead.
 */
function StoreIntentDialog({ storePage, onInstalled, onClose }: { storePage: string; onInstalled(): void; onClose(): void }): JSX.Element {
  const { t } = useTranslation()
  const client = useClient()
  const [failure, setFailure] = useState<string | null>(null)
  const [noService, setNoService] = useState(false)
  const [container, setContainer] = useState<HTMLDivElement | null>(null)
  useEffect(() => {
    if (!container || !client) return undefined
    const created = new Intents({ client }).create('INSTALL', 'io.cozy.apps', { slug: KONNECTOR_SLUG }, ['GET'])
    const started = created.start(container)
    let live = true
    // Runs after start's own handler, which has put the iframe in (or found no service).
    created.then(
      intent => {
        if (!live) return
        if (hasService(intent)) dressFrame(container, t('entImport.konnector.frameTitle'))
        else setNoService(true)
      },
      () => {
        if (live) setNoService(true)
      }
    )
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
        noService ? (
          <Alert severity="info" action={<Button component="a" href={storePage} target="_top" label={t('entImport.konnector.openStore')} />}>
            {t('entImport.konnector.noService')}
          </Alert>
        ) : failure ? (
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

/**
 * Only the Store installs konnectors: explain, run its INSTALL intent when this Cozy has a Store
 * (read from the installed webapps), then start again; without a Store, say whom to ask.
 */
export function KonnectorMissing({ onRetry, busy }: Props): JSX.Element {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const webapps = useSpecQuery(buildWebappsQuery())
  const loading = webapps.fetchStatus !== 'loaded' && webapps.fetchStatus !== 'failed'
  // A Cozy whose apps cannot be listed is told as one without a Store, as before.
  const storePage = webapps.fetchStatus === 'loaded' ? storePageOf(webapps.data) : null
  return (
    <Alert severity="warning" className="u-mb-2" role="alert">
      <AlertTitle>{t('entImport.konnector.title')}</AlertTitle>
      <Typography variant="body2" className="u-mb-1">
        {t('entImport.konnector.explanation')}
      </Typography>
      {(loading || storePage) && (
        <Button label={t('entImport.konnector.install')} onClick={() => setOpen(true)} busy={busy || loading} disabled={busy || loading} className="u-mb-half u-mr-half" />
      )}
      {!loading && !storePage && (
        <Typography variant="body2" className="u-mb-half">
          {t('entImport.konnector.noStore')}
        </Typography>
      )}
      <Button variant="secondary" label={t('entImport.konnector.retry')} onClick={onRetry} busy={busy} disabled={busy} className="u-mb-half" />
      {open && storePage && (
        <StoreIntentDialog
          storePage={storePage}
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
