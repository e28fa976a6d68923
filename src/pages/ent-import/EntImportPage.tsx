import React, { useCallback, useEffect, useState } from 'react'
import { Link as RouterLink, Route, Routes } from 'react-router-dom'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Button from 'cozy-ui/transpiled/react/Buttons'
import { PageIntro } from '../../components/PageIntro'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { useStackQuery } from '../../stack-client/react/useStackQuery'
import { LoadingState } from '../../components/QueryStates'
import type { StackApi } from '../../stack-client'
import { ImportFlow } from './ImportFlow'
import { ImportDetails, ImportHistory } from './ImportHistory'
import { isResumable } from './import-actions'
import { followedImport, importToFollow } from './ongoing-import'

const loadImports = (api: StackApi) => api.entImports.list()

/** "Importer depuis mon ENT": the import itself, and the history of past imports. */
function ImportHome(): JSX.Element {
  const { t } = useTranslation()
  const [version, setVersion] = useState(0)
  const load = useCallback((api: StackApi) => loadImports(api), [version]) // eslint-disable-line react-hooks/exhaustive-deps
  const imports = useStackQuery(load)
  const list = imports.status === 'ready' ? imports.data : []
  // Decided once, from the first list: later reloads of the list must not reset the flow.
  const [opening, setOpening] = useState<{ follow: string | null } | null>(null)
  useEffect(() => {
    if (opening || imports.status === 'loading') return
    setOpening({ follow: imports.status === 'ready' ? importToFollow(imports.data, followedImport.get()) : null })
  }, [opening, imports])
  const unfinished = list.find(record => isResumable(record) && record._id !== opening?.follow)
  return (
    <>
      <PageIntro i18nKey="pages.entImport">
        {list.length > 0 && (
          <Button component={RouterLink} to="/ent-import/history" variant="text" className="u-mt-half" label={t('entImport.historyLink', { smart_count: list.length })} />
        )}
      </PageIntro>
      {unfinished && (
        <Alert
          severity="warning"
          className="u-mb-1"
          action={<Button component={RouterLink} to={`/ent-import/history/${encodeURIComponent(unfinished._id)}`} variant="text" label={t('entImport.resume')} />}
        >
          {t('entImport.unfinished', { name: unfinished.archive.name ?? '' })}
        </Alert>
      )}
      {opening ? <ImportFlow following={opening.follow} onStarted={() => setVersion(v => v + 1)} /> : <LoadingState label={t('entImport.looking')} />}
    </>
  )
}

export function EntImportPage(): JSX.Element {
  return (
    <Routes>
      <Route index element={<ImportHome />} />
      <Route path="history" element={<ImportHistory />} />
      <Route path="history/:id" element={<ImportDetails />} />
    </Routes>
  )
}
