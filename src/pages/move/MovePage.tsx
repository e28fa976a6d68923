import React from 'react'
import Alert from 'cozy-ui/transpiled/react/Alert'
import AlertTitle from 'cozy-ui/transpiled/react/AlertTitle'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { PageIntro } from '../../components/PageIntro'
import { useStackApi } from '../../stack-client/react/useStackApi'
import { buildInstanceQuery, combineQueries, instanceFromDoc, useSpecQuery } from '../../queries'
import { LoadingState, StackErrorAlert } from '../../components/QueryStates'
import { useTranslation } from '../../stack-client/react/useTranslation'

const MOVES = ['files', 'contacts', 'konnectors', 'apps', 'shares'] as const
const STAYS = ['vault', 'sessions', 'settings', 'accounts', 'links'] as const
const STEPS = ['wizard', 'target', 'overwrite', 'mail', 'wait'] as const

/** Makes an address the stack stored (with or without scheme) into a link. */
function asUrl(address: string): string {
  return /^https?:\/\//.test(address) ? address : `https://${address}`
}

function BulletList({ prefix, keys }: { prefix: string; keys: readonly string[] }): JSX.Element {
  const { t } = useTranslation()
  return (
    <ul className="u-mv-0 u-pl-1-half">
      {keys.map(key => (
        <li key={key}>
          <Typography variant="body2">{t(`${prefix}.${key}`)}</Typography>
        </li>
      ))}
    </ul>
  )
}

/**
 * "Déménager mon Cozy": what moves and what does not, then the form POST to
 * `/move/initialize` that opens the move wizard in a new tab (the stack answers 307 to the
 * wizard, with the session cookie: cozy-stack-api.md §3.2).
 */
export function MovePage(): JSX.Element {
  const { t } = useTranslation()
  const api = useStackApi()
  const instance = combineQueries([useSpecQuery(buildInstanceQuery())], ([doc]) => instanceFromDoc(doc))
  const movedTo = instance.status === 'ready' ? instance.data.movedTo : undefined
  const movedFrom = instance.status === 'ready' ? instance.data.movedFrom : undefined

  return (
    <>
      <PageIntro i18nKey="pages.move" />
      {instance.status === 'loading' && <LoadingState label={t('move.loading')} />}
      {instance.status === 'error' && <StackErrorAlert error={instance.error} onRetry={instance.retry} />}
      {movedTo && (
        <Alert severity="warning" className="u-mb-1">
          <div>
            <AlertTitle>{t('move.state.movedToTitle')}</AlertTitle>
            {t('move.state.movedTo')}{' '}
            <a href={asUrl(movedTo)} target="_blank" rel="noopener noreferrer">
              {movedTo}
            </a>
            {/* The move's last step: a plain way into the new Cozy, where the data now live. */}
            <div className="u-mt-1">
              <Button component="a" href={asUrl(movedTo)} label={t('move.state.openNew')} />
            </div>
          </div>
        </Alert>
      )}
      {movedFrom && (
        <Alert severity="info" className="u-mb-1">
          {t('move.state.movedFrom', { from: movedFrom })}
        </Alert>
      )}

      <section aria-labelledby="move-moves-title" className="u-mb-1-half">
        <Typography variant="h5" component="h2" id="move-moves-title" className="u-mb-half">
          {t('move.moves.title')}
        </Typography>
        <BulletList prefix="move.moves" keys={MOVES} />
      </section>
      <section aria-labelledby="move-stays-title" className="u-mb-1-half">
        <Typography variant="h5" component="h2" id="move-stays-title" className="u-mb-half">
          {t('move.stays.title')}
        </Typography>
        <BulletList prefix="move.stays" keys={STAYS} />
      </section>
      <section aria-labelledby="move-steps-title" className="u-mb-1-half">
        <Typography variant="h5" component="h2" id="move-steps-title" className="u-mb-half">
          {t('move.steps.title')}
        </Typography>
        <ol className="u-mv-0 u-pl-1-half">
          {STEPS.map(key => (
            <li key={key}>
              <Typography variant="body2">{t(`move.steps.${key}`)}</Typography>
            </li>
          ))}
        </ol>
      </section>

      {/* A real form, not XHR: the stack needs the session cookie and answers with a redirect to the wizard. */}
      <form method="post" action={api.move.initializeFormAction()} target="_blank" className="u-mb-1">
        <Button
          type="submit"
          label={t(movedTo ? 'move.submitAgain' : 'move.submit')}
          variant={movedTo ? 'secondary' : undefined}
          aria-describedby="move-submit-help"
        />
        <Typography id="move-submit-help" variant="caption" color="textSecondary" component="p" className="u-mt-half">
          {t('move.submitHelp')}
        </Typography>
      </form>
    </>
  )
}
