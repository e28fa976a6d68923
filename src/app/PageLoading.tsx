import React from 'react'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Button from 'cozy-ui/transpiled/react/Buttons'
import { useI18n } from 'twake-i18n'
import { LoadingState } from '../components/QueryStates'

/** Shown in the page's place while its chunk downloads (routes.ts loads pages lazily). */
export function PageLoading(): JSX.Element {
  const { t } = useI18n()
  return <LoadingState label={t('app.pageLoading')} />
}

/** webpack's error when a chunk's script (or mini-css-extract-plugin's, its style sheet) cannot be fetched. */
export function isChunkLoadError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  return error.name === 'ChunkLoadError' || (error as Error & { code?: string }).code === 'CSS_CHUNK_LOAD_FAILED'
}

function PageLoadFailed(): JSX.Element {
  const { t } = useI18n()
  return (
    <Alert
      severity="error"
      role="alert"
      action={<Button variant="text" color="error" label={t('app.pageLoadFailed.reload')} onClick={() => window.location.reload()} />}
    >
      {t('app.pageLoadFailed.message')}
    </Alert>
  )
}

interface BoundaryState {
  error: unknown
}

/**
 * Keeps the menu when a page's chunk cannot be fetched (connection lost, or the app updated
 * and its old chunks gone): React.lazy keeps the failure, so only reloading the app helps.
 * Any other error goes on up, as it did before pages were lazy.
 */
export class PageLoadBoundary extends React.Component<{ children: React.ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: null }

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error }
  }

  override render(): React.ReactNode {
    const { error } = this.state
    if (error === null) return this.props.children
    if (!isChunkLoadError(error)) throw error
    return <PageLoadFailed />
  }
}
