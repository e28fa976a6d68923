import React from 'react'
import Alert from 'cozy-ui/transpiled/react/Alert'
import { useTranslation } from '../../stack-client/react/useTranslation'

export interface Problem {
  key: string
  values?: Record<string, string | number>
  /** The file it is about, said first. */
  file?: string
}

/** What went wrong, after the name of the file it is about (the wrong file is the usual cause). */
export function ProblemAlert({ problem }: { problem: Problem }): JSX.Element {
  const { t } = useTranslation()
  return (
    <Alert severity={problem.key === 'entImport.upload.cancelled' ? 'info' : 'error'} role="alert" className="u-mb-1">
      {/* The Alert lays its message out in a row: the file's name on a line of its own, then what is wrong. */}
      <div>
        {problem.file && (
          <strong className="u-db" style={{ overflowWrap: 'anywhere' }}>
            {t('entImport.errors.aboutFile', { name: problem.file })}
          </strong>
        )}
        {t(problem.key, problem.values)}
      </div>
    </Alert>
  )
}
