import React from 'react'
import { useHref } from 'react-router-dom'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { PageIntro } from '../../components/PageIntro'
import { toStackError } from '../../stack-client'
import {
  buildInstanceQuery,
  buildWebappQuery,
  combineQueries,
  installedAppFromDoc,
  instanceFromDoc,
  useSpecQuery,
  type PageQuery
} from '../../queries'
import { LoadingState, StackErrorAlert } from '../../components/QueryStates'
import { useTranslation } from '../../stack-client/react/useTranslation'

/** The Settings app's own deletion flow (cozy-settings AppRouter: `/profile/delete`). */
const SETTINGS_DELETE_ROUTE = '#/profile/delete'

/**
 * Where Settings opens, from the stack (`links.related`), or null when it is not installed
 * (AppCollection.get answers a 404 FetchError then).
 */
function useDeletionContext(): PageQuery<{ settingsUrl: string | null; movedTo?: string }> {
  const settingsApp = useSpecQuery(buildWebappQuery('settings'))
  const instance = useSpecQuery(buildInstanceQuery())
  const missing = settingsApp.fetchStatus === 'failed' && toStackError(settingsApp.lastError).status === 404
  const app = missing ? { ...settingsApp, fetchStatus: 'loaded', data: null } : settingsApp
  return combineQueries([app, instance], ([appDoc, instanceDoc]) => ({
    settingsUrl: appDoc ? (installedAppFromDoc(appDoc, 'webapp').url ?? null) : null,
    movedTo: instanceFromDoc(instanceDoc).movedTo
  }))
}

export function settingsDeletionLink(settingsUrl: string): string {
  return `${settingsUrl.replace(/#.*$/, '').replace(/\/?$/, '/')}${SETTINGS_DELETE_ROUTE}`
}

/**
 * "Supprimer mon compte": advice to export first, then the hand-over to Settings, the only
 * app the stack lets delete an instance (`RequireSettingsApp`, cozy-stack-api.md §4.2).
 */
export function DeleteAccountPage(): JSX.Element {
  const { t } = useTranslation()
  const exportHref = useHref('/export')
  const moveHref = useHref('/move')
  const context = useDeletionContext()

  return (
    <>
      <PageIntro i18nKey="pages.deleteAccount" />
      <section aria-labelledby="delete-export-title" className="u-mb-1-half">
        <Typography variant="h5" component="h2" id="delete-export-title" className="u-mb-half">
          {t('deleteAccount.exportFirst.title')}
        </Typography>
        <Typography variant="body1" className="u-mb-1">
          {t('deleteAccount.exportFirst.body')}
        </Typography>
        <div className="u-flex u-flex-wrap" style={{ gap: '0.5rem' }}>
          <Button component="a" href={exportHref} label={t('deleteAccount.exportFirst.export')} />
          <Button component="a" href={moveHref} variant="secondary" label={t('deleteAccount.exportFirst.move')} />
        </div>
      </section>

      <section aria-labelledby="delete-settings-title" className="u-mb-1-half">
        <Typography variant="h5" component="h2" id="delete-settings-title" className="u-mb-half">
          {t('deleteAccount.settings.title')}
        </Typography>
        <Typography variant="body1" className="u-mb-half">
          {t('deleteAccount.settings.body')}
        </Typography>
        {context.status === 'loading' && <LoadingState label={t('deleteAccount.loading')} />}
        {context.status === 'error' && <StackErrorAlert error={context.error} onRetry={context.retry} />}
        {context.status === 'ready' && context.data.movedTo && (
          <Alert severity="info" className="u-mb-1">
            {t('deleteAccount.moved', { to: context.data.movedTo })}
          </Alert>
        )}
        {context.status === 'ready' && context.data.settingsUrl && (
          <>
            <Typography variant="body2" color="textSecondary" className="u-mb-1">
              {t('deleteAccount.settings.hint')}
            </Typography>
            <Button
              component="a"
              href={settingsDeletionLink(context.data.settingsUrl)}
              color="error"
              variant="secondary"
              label={t('deleteAccount.settings.open')}
            />
          </>
        )}
        {context.status === 'ready' && !context.data.settingsUrl && (
          <Alert severity="warning">{t('deleteAccount.settings.missing')}</Alert>
        )}
      </section>
    </>
  )
}
