import React, { useEffect, useState } from 'react'
import { Link as RouterLink, Route, Routes } from 'react-router-dom'
import { RealTimeQueries } from 'cozy-client'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Button from 'cozy-ui/transpiled/react/Buttons'
import { PageIntro } from '../../components/PageIntro'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { LoadingState } from '../../components/QueryStates'
import { IMPORTS_DOCTYPE } from '../../import/records'
import { ImportFlow } from './ImportFlow'
import { ImportDetails, ImportHistory } from './ImportHistory'
import { isResumable } from './import-actions'
import { followedImport, importToFollow } from './ongoing-import'
import { useImportRecords } from './useImportRecord'

/** "Importer depuis mon ENT": the import itself, and the history of past imports. */
function ImportHome(): JSX.Element {
  const { t } = useTranslation()
  // Followed live (RealTimeQueries in EntImportPage): an import started here shows up by itself.
  const imports = useImportRecords()
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
      {opening ? <ImportFlow following={opening.follow} /> : <LoadingState label={t('entImport.looking')} />}
    </>
  )
}

export function EntImportPage(): JSX.Element {
  return (
    <>
      <RealTimeQueries doctype={IMPORTS_DOCTYPE} />
      <ImportRoutes />
    </>
  )
}

function ImportRoutes(): JSX.Element {
  return (
    <Routes>
      <Route index element={<ImportHome />} />
      <Route path="history" element={<ImportHistory />} />
      <Route path="history/:id" element={<ImportDetails />} />
    </Routes>
  )
}
