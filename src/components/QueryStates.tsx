import React from 'react'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Spinner from 'cozy-ui/transpiled/react/Spinner'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useI18n } from 'twake-i18n'
import type { StackError } from '../stack-client/StackError'

/** A waiting state that says what is being waited for (read out by screen readers). */
export function LoadingState({ label }: { label: string }): JSX.Element {
  return (
    <div role="status" aria-live="polite" className="u-flex u-flex-items-center u-mv-1">
      <Spinner size="large" noMargin />
      <Typography variant="body1" className="u-ml-half">
        {label}
      </Typography>
    </div>
  )
}

interface ErrorProps {
  error: Pick<StackError, 'translationKey' | 'status'>
  /** Shown as a "Retry" button when the call can simply be made again. */
  onRetry?: () => void
  className?: string
}

/** A stack error in words the user understands, from its translation key. */
export function StackErrorAlert({ error, onRetry, className }: ErrorProps): JSX.Element {
  const { t } = useI18n()
  return (
    <Alert
      severity="error"
      role="alert"
      className={className}
      action={onRetry ? <Button variant="text" color="error" label={t('stackErrors.retry')} onClick={onRetry} /> : undefined}
    >
      {t(error.translationKey)}
    </Alert>
  )
}
