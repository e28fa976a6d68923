import React from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { LoadingState } from '../../components/QueryStates'
import { ArchivePicker } from './ArchivePicker'
import { ArchivePreviewPanel } from './ArchivePreviewPanel'
import { UploadPanel } from './UploadPanel'
import { KonnectorMissing } from './KonnectorMissing'
import { FollowImport } from './FollowImport'
import { isResumable } from './import-actions'
import { KeptArchive } from './KeptArchive'
import { ProblemAlert } from './ProblemAlert'
import { useImportFlow } from './useImportFlow'

/**
 * The whole import: choose, preview, tick, upload, start, follow, report. `following` opens the
 * page on an import already at work (or just ended), rebuilt from its record.
 */
export function ImportFlow({ onStarted, following }: { onStarted?: () => void; following?: string | null }): JSX.Element {
  const { t } = useTranslation()
  const { state, setState, problem, chosen, selected, setSelected, destination, setDestination, busy, showPreview, start, retryStart, backToPicker, another, cancelUpload } = useImportFlow(
    following,
    onStarted
  )

  return (
    <>
      {problem && <ProblemAlert problem={problem} />}
      {state.step === 'choose' && (
        <ArchivePicker
          onFile={file => void showPreview({ kind: 'local', file })}
          onDriveFile={file => void showPreview({ kind: 'drive', file })}
          kept={chosen && <KeptArchive chosen={chosen} onBack={() => setState({ step: 'preview' })} />}
        />
      )}
      {state.step === 'reading' && <LoadingState label={t('entImport.preview.reading')} />}
      {state.step === 'preview' && chosen && (
        <ArchivePreviewPanel
          preview={chosen.preview}
          namePending={chosen.namePending}
          shares={chosen.shares}
          damaged={chosen.damaged}
          selected={selected}
          onSelectedChange={setSelected}
          destination={destination}
          onDestinationChange={setDestination}
          onStart={() => void start()}
          earlier={chosen.earlier}
          onCopy={() => void start(true)}
          onResumeEarlier={chosen.earlier && isResumable(chosen.earlier) ? () => void retryStart((chosen.earlier as { _id: string })._id) : undefined}
          onOther={backToPicker}
          busy={busy}
        />
      )}
      {state.step === 'uploading' && <UploadPanel loaded={state.loaded} total={state.total} speed={state.speed} onCancel={cancelUpload} />}
      {state.step === 'starting' && <LoadingState label={t('entImport.start.starting')} />}
      {state.step === 'konnector-missing' && <KonnectorMissing busy={busy} onRetry={() => void retryStart(state.importId)} />}
      {state.step === 'following' && (
        <>
          <FollowImport importId={state.importId} />
          <Button variant="secondary" label={t('entImport.report.newImport')} onClick={another} />
        </>
      )}
    </>
  )
}
