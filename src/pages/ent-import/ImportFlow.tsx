import React, { useCallback, useEffect, useRef, useState } from 'react'
import { useClient } from 'cozy-client'
import type CozyClient from 'cozy-client'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Button from 'cozy-ui/transpiled/react/Buttons'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { useStackApi } from '../../stack-client/react/useStackApi'
import { LoadingState } from '../../components/QueryStates'
import { toStackError, type StackApi } from '../../stack-client'
import { UploadCancelled, type DriveFile } from '../../stack-client/files-upload'
import { DEFAULT_DESTINATION_PATH } from '../../import/records'
import { defaultSelection } from './preview/items'
import { ArchivePicker } from './ArchivePicker'
import { ArchivePreviewPanel } from './ArchivePreviewPanel'
import { UploadPanel } from './UploadPanel'
import { KonnectorMissing } from './KonnectorMissing'
import { FollowImport } from './FollowImport'
import { createAndRunImport, isResumable, runImport, type StartOutcome } from './import-actions'
import { formatBytes, uploadSpeed, type RateSample } from './format'
import { UPLOAD_FOLDER_PATH } from './upload-folder'
import { storedCopyOf } from './stored-copy'
import { followedImport } from './ongoing-import'
import { useChosenArchive, type Source } from './useChosenArchive'
import { KeptArchive } from './KeptArchive'
import { readImportRecord } from './import-docs'

type Step =
  | { step: 'choose' }
  | { step: 'reading' }
  | { step: 'preview' }
  | { step: 'uploading'; loaded: number; total: number; speed: number | null }
  | { step: 'starting' }
  | { step: 'konnector-missing'; importId: string; installUrl: string | null }
  | { step: 'following'; importId: string }

interface Problem {
  key: string
  values?: Record<string, string | number>
  /** The file it is about, said first. */
  file?: string
}

/** Uploads under a free name: "x.zip", then "x (2).zip"… when one is already there. */
async function uploadArchive(api: StackApi, client: CozyClient, file: File, signal: AbortSignal, onProgress: (loaded: number, total: number) => void): Promise<DriveFile> {
  const stored = await storedCopyOf(client, file, signal)
  if (stored) return stored
  const folder = await api.files.ensureDirectory(UPLOAD_FOLDER_PATH)
  const dot = file.name.toLowerCase().endsWith('.zip') ? file.name.length - 4 : file.name.length
  for (let attempt = 1; ; attempt++) {
    const name = attempt === 1 ? file.name : `${file.name.slice(0, dot)} (${attempt})${file.name.slice(dot)}`
    try {
      return await api.files.upload(file, { dirId: folder.id, name, signal, onProgress: p => onProgress(p.loaded, p.total) })
    } catch (err) {
      if (toStackError(err).status !== 409 || attempt >= 20) throw err
    }
  }
}

/** What went wrong, after the name of the file it is about (the wrong file is the usual cause). */
function ProblemAlert({ problem }: { problem: Problem }): JSX.Element {
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

/**
 * The whole import: choose, preview, tick, upload, start, follow, report. `following` opens the
 * page on an import already at work (or just ended), rebuilt from its record.
 */
export function ImportFlow({ onStarted, following }: { onStarted?: () => void; following?: string | null }): JSX.Element {
  const { t, lang } = useTranslation()
  const api = useStackApi()
  const client = useClient() as CozyClient
  const [state, setState] = useState<Step>(following ? { step: 'following', importId: following } : { step: 'choose' })
  const [problem, setProblem] = useState<Problem | null>(null)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [destination, setDestination] = useState<{ id: string | null; path: string }>({ id: null, path: DEFAULT_DESTINATION_PATH })
  const [busy, setBusy] = useState(false)
  const { chosen, choose, forget } = useChosenArchive(api, client)
  const abort = useRef<AbortController | null>(null)
  useEffect(() => () => abort.current?.abort(), [])

  const showPreview = useCallback(
    async (source: Source) => {
      setProblem(null)
      setState({ step: 'reading' })
      const outcome = await choose(source)
      if (outcome.ok) {
        setSelected(defaultSelection(outcome.preview))
        setState({ step: 'preview' })
      } else {
        setProblem({ key: `entImport.errors.${outcome.code}`, file: source.file.name })
        setState({ step: 'choose' })
      }
    },
    [choose]
  )

  const afterStart = (outcome: StartOutcome) => {
    onStarted?.()
    if (outcome.kind === 'started') {
      // A reload or another tab finds it again, until the user turns to another archive.
      followedImport.set(outcome.importId)
      setState({ step: 'following', importId: outcome.importId })
    } else setState({ step: 'konnector-missing', importId: outcome.importId, installUrl: outcome.installUrl })
  }

  const start = async (copy = false) => {
    if (state.step !== 'preview' || !chosen) return
    const { preview, source } = chosen
    setProblem(null)
    setBusy(true)
    try {
      // Room for the zip (when it is not in the Drive yet) and for what it unpacks to.
      const selectedBytes = preview.items.filter(i => selected.has(i.id)).reduce((sum, i) => sum + i.bytes, 0)
      const needed = selectedBytes + (source.kind === 'local' ? preview.archiveBytes : 0)
      const usage = await api.settings.getDiskUsage()
      if (usage.quota !== undefined && usage.quota - usage.used < needed) {
        setProblem({ key: 'entImport.errors.notEnoughSpace', values: { needed: formatBytes(needed, lang), free: formatBytes(Math.max(0, usage.quota - usage.used), lang) } })
        return
      }
      const dest = destination.id ? { id: destination.id, path: destination.path } : await api.files.ensureDirectory(destination.path).then(d => ({ id: d.id, path: destination.path }))
      let fileId: string
      let fileSize: number
      if (source.kind === 'local') {
        const controller = new AbortController()
        abort.current = controller
        const samples: RateSample[] = []
        setState({ step: 'uploading', loaded: 0, total: source.file.size, speed: null })
        const uploaded = await uploadArchive(api, client, source.file, controller.signal, (loaded, total) => {
          samples.push({ at: Date.now(), loaded })
          if (samples.length > 50) samples.shift()
          setState({ step: 'uploading', loaded, total, speed: uploadSpeed(samples) })
        })
        abort.current = null
        fileId = uploaded.id
        fileSize = uploaded.size ?? source.file.size
      } else {
        fileId = source.file.id
        fileSize = source.file.size ?? preview.archiveBytes
      }
      setState({ step: 'starting' })
      afterStart(await createAndRunImport(api, client, { fileId, fileName: source.file.name, fileSize, preview, selected, destination: dest, copy }))
    } catch (err) {
      if (err instanceof UploadCancelled) setProblem({ key: 'entImport.upload.cancelled' })
      else setProblem({ key: toStackError(err).translationKey })
      setState(state)
    } finally {
      setBusy(false)
    }
  }

  const retryStart = async (importId: string) => {
    setBusy(true)
    setProblem(null)
    try {
      afterStart(await runImport(api, client, await readImportRecord(client, importId)))
    } catch (err) {
      setProblem({ key: toStackError(err).translationKey })
    } finally {
      setBusy(false)
    }
  }

  const backToPicker = () => {
    setProblem(null)
    setState({ step: 'choose' })
  }
  const another = () => {
    followedImport.set(null)
    forget()
    backToPicker()
  }

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
      {state.step === 'uploading' && <UploadPanel loaded={state.loaded} total={state.total} speed={state.speed} onCancel={() => abort.current?.abort()} />}
      {state.step === 'starting' && <LoadingState label={t('entImport.start.starting')} />}
      {state.step === 'konnector-missing' && <KonnectorMissing installUrl={state.installUrl} busy={busy} onRetry={() => void retryStart(state.importId)} />}
      {state.step === 'following' && (
        <>
          <FollowImport importId={state.importId} />
          <Button variant="secondary" label={t('entImport.report.newImport')} onClick={another} />
        </>
      )}
    </>
  )
}
