import React, { useState } from 'react'
import { useClient } from 'cozy-client'
import type CozyClient from 'cozy-client'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Button from 'cozy-ui/transpiled/react/Buttons'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { useStackApi } from '../../stack-client/react/useStackApi'
import { LoadingState, StackErrorAlert } from '../../components/QueryStates'
import { toStackError } from '../../stack-client'
import { KONNECTOR_NOT_INSTALLED } from '../../stack-client/jobs'
import { isFinished, useImportRecord } from './useImportRecord'
import { ImportProgressPanel } from './ImportProgressPanel'
import { ImportReport } from './ImportReport'
import { isResumable, runImport } from './import-actions'
import { KonnectorMissing } from './KonnectorMissing'

/** Live progress of one import until it ends, then its report; unfinished imports can be resumed. */
export function FollowImport({ importId }: { importId: string }): JSX.Element {
  const { t } = useTranslation()
  const api = useStackApi()
  const client = useClient() as CozyClient
  const { record, error, jobError } = useImportRecord(importId)
  const [resuming, setResuming] = useState(false)
  const [resumeError, setResumeError] = useState<string | null>(null)
  const [missing, setMissing] = useState(false)

  if (!record) return error ? <StackErrorAlert error={error} /> : <LoadingState label={t('entImport.start.starting')} />

  const resume = async () => {
    setResuming(true)
    setResumeError(null)
    try {
      const outcome = await runImport(api, client, record)
      setMissing(outcome.kind === 'konnector-missing')
    } catch (err) {
      setResumeError(toStackError(err).translationKey)
    } finally {
      setResuming(false)
    }
  }
  const canResume = isResumable(record) || (!!jobError && !isFinished(record))

  return (
    <>
      {resumeError && (
        <Alert severity="error" role="alert" className="u-mb-1">
          {t(resumeError)}
        </Alert>
      )}
      {missing && <KonnectorMissing onRetry={() => void resume()} busy={resuming} />}
      {isFinished(record) ? (
        <ImportReport record={record} onResume={canResume ? () => void resume() : undefined} resuming={resuming} />
      ) : (
        <>
          <ImportProgressPanel record={record} />
          {jobError && (
            <Alert severity="error" role="alert" className="u-mb-1">
              {jobError === KONNECTOR_NOT_INSTALLED ? t('entImport.errors.konnectorMissing') : t('entImport.errors.job.jobFailed', { error: jobError })}
            </Alert>
          )}
          {canResume && (
            <Alert severity="warning" className="u-mb-1" action={<Button variant="text" label={t('entImport.resume')} onClick={() => void resume()} busy={resuming} disabled={resuming} />}>
              {t('entImport.unfinished', { name: record.archive.name ?? '' })}
            </Alert>
          )}
        </>
      )}
    </>
  )
}
