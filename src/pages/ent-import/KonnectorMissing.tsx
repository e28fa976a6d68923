import React from 'react'
import Alert from 'cozy-ui/transpiled/react/Alert'
import AlertTitle from 'cozy-ui/transpiled/react/AlertTitle'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'

interface Props {
  installUrl: string | null
  onRetry(): void
  busy?: boolean
}

/** Only the Store installs konnectors: explain, open its INSTALL intent, then start again. */
export function KonnectorMissing({ installUrl, onRetry, busy }: Props): JSX.Element {
  const { t } = useTranslation()
  return (
    <Alert severity="warning" className="u-mb-2" role="alert">
      <AlertTitle>{t('entImport.konnector.title')}</AlertTitle>
      <Typography variant="body2" className="u-mb-1">
        {t('entImport.konnector.explanation')}
      </Typography>
      {installUrl ? (
        <Button component="a" href={installUrl} target="_top" label={t('entImport.konnector.install')} className="u-mb-half u-mr-half" />
      ) : (
        <Typography variant="body2" className="u-mb-half">
          {t('entImport.konnector.noStore')}
        </Typography>
      )}
      <Button variant="secondary" label={t('entImport.konnector.retry')} onClick={onRetry} busy={busy} disabled={busy} className="u-mb-half" />
    </Alert>
  )
}
