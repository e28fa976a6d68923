import React, { useCallback, useEffect, useRef, useState } from 'react'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Button from 'cozy-ui/transpiled/react/Buttons'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { useStackApi } from '../../stack-client/react/useStackApi'
import { LoadingState } from '../../stack-client/react/QueryStates'
import { toStackError, type StackApi } from '../../stack-client'
import { UploadCancelled, type DriveFile } from '../../stack-client/files-upload'
import { DEFAULT_DESTINATION_PATH, type ImportRecord } from '../../import/records'
import { defaultSelection, withItemCounts, type ArchivePreview } from './preview/items'
import { ArchivePicker } from './ArchivePicker'
import { ArchivePreviewPanel } from './ArchivePreviewPanel'
import { UploadPanel } from './UploadPanel'
import { KonnectorMissing } from './KonnectorMissing'
import { FollowImport } from './FollowImport'
import { createAndRunImport, isResumable, runImport, type StartOutcome } from './import-actions'
import { formatBytes, uploadSpeed, type RateSample } from './format'
import { UPLOAD_FOLDER_PATH } from './upload-folder'
import { storedCopyOf } from './stored-copy'


type Source = { kind: 'local'; file: File } | { kind: 'drive'; file: DriveFile }

type Step =
  | { step: 'choose' }
  | { step: 'reading' }
  | { step: 'preview'; preview: ArchivePreview; source: Source; namePending?: boolean; earlier?: ImportRecord & { _id: string } }
  | { step: 'uploading'; loaded: number; total: number; speed: number | null }
  | { step: 'starting' }
  | { step: 'konnector-missing'; importId: string; installUrl: string | null }
  | { step: 'following'; importId: string }

interface Problem {
  key: string
  values?: Record<string, string | number>
}

/** Uploads under a free name: "x.zip", then "x (2).zip"… when one is already there. */
async function uploadArchive(api: StackApi, file: File, signal: AbortSignal, onProgress: (loaded: number, total: number) => void): Promise<DriveFile> {
  const stored = await storedCopyOf(api, file, signal)
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

/** The whole import: choose, preview, tick, upload, start, follow, report. */
export function ImportFlow({ onStarted }: { onStarted?: () => void }): JSX.Element {
  const { t, lang } = useTranslation()
  const api = useStackApi()
  const [state, setState] = useState<Step>({ step: 'choose' })
  const [problem, setProblem] = useState<Problem | null>(null)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [destination, setDestination] = useState<{ id: string | null; path: string }>({ id: null, path: DEFAULT_DESTINATION_PATH })
  const [busy, setBusy] = useState(false)
  const abort = useRef<AbortController | null>(null)
  useEffect(() => () => abort.current?.abort(), [])

  const showPreview = useCallback(async (source: Source) => {
    setProblem(null)
    setState({ step: 'reading' })
    // The archive reader is loaded on first use only.
    const { previewFile, previewDriveFile } = await import('./preview/open-preview')
    const result =
      source.kind === 'local'
        ? await previewFile(source.file)
        : await previewDriveFile(api.files.downloadUrl(source.file.id), source.file.size ?? 0, api.files.authorization(), source.file.name)
    if (result.ok) {
      setSelected(defaultSelection(result.preview))
      setState({ step: 'preview', preview: result.preview, source, namePending: true })
      // The same export imported before: said before anything is uploaded.
      if (result.preview.exportId) {
        void api.entImports
          .ofExport(result.preview.exportId)
          .then(([earlier]) => earlier && setState(current => (current.step === 'preview' && current.source === source ? { ...current, earlier } : current)))
          .catch(() => undefined)
      }
      // The list of apps is on screen; the exporting user's name comes from a small record.
      const { name, bytesRead } = await result.userName
      let shown: ArchivePreview | null = null
      setState(current => {
        if (current.step !== 'preview' || current.preview !== result.preview) return current
        shown = { ...current.preview, userName: name, bytesRead }
        return { ...current, preview: shown, namePending: false }
      })
      // Then the items the import will account for, counted from the records.
      const counts = await result.itemCounts
      setState(current => (current.step === 'preview' && current.preview === shown ? { ...current, preview: withItemCounts(current.preview, counts) } : current))
    } else {
      setProblem({ key: `entImport.errors.${result.code}` })
      setState({ step: 'choose' })
    }
  }, [api])

  const afterStart = (outcome: StartOutcome) => {
    onStarted?.()
    if (outcome.kind === 'started') setState({ step: 'following', importId: outcome.importId })
    else setState({ step: 'konnector-missing', importId: outcome.importId, installUrl: outcome.installUrl })
  }

  const start = async (copy = false) => {
    if (state.step !== 'preview') return
    const { preview, source } = state
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
        const uploaded = await uploadArchive(api, source.file, controller.signal, (loaded, total) => {
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
      afterStart(await createAndRunImport(api, { fileId, fileName: source.file.name, fileSize, preview, selected, destination: dest, copy }))
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
      afterStart(await runImport(api, await api.entImports.get(importId)))
    } catch (err) {
      setProblem({ key: toStackError(err).translationKey })
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      {problem && (
        <Alert severity={problem.key === 'entImport.upload.cancelled' ? 'info' : 'error'} role="alert" className="u-mb-1">
          {t(problem.key, problem.values)}
        </Alert>
      )}
      {state.step === 'choose' && <ArchivePicker onFile={file => void showPreview({ kind: 'local', file })} onDriveFile={file => void showPreview({ kind: 'drive', file })} />}
      {state.step === 'reading' && <LoadingState label={t('entImport.preview.reading')} />}
      {state.step === 'preview' && (
        <ArchivePreviewPanel
          preview={state.preview}
          namePending={state.namePending}
          selected={selected}
          onSelectedChange={setSelected}
          destination={destination}
          onDestinationChange={setDestination}
          onStart={() => void start()}
          earlier={state.earlier}
          onCopy={() => void start(true)}
          onResumeEarlier={state.earlier && isResumable(state.earlier) ? () => void retryStart((state.earlier as { _id: string })._id) : undefined}
          onOther={() => {
            setProblem(null)
            setState({ step: 'choose' })
          }}
          busy={busy}
        />
      )}
      {state.step === 'uploading' && <UploadPanel loaded={state.loaded} total={state.total} speed={state.speed} onCancel={() => abort.current?.abort()} />}
      {state.step === 'starting' && <LoadingState label={t('entImport.start.starting')} />}
      {state.step === 'konnector-missing' && <KonnectorMissing installUrl={state.installUrl} busy={busy} onRetry={() => void retryStart(state.importId)} />}
      {state.step === 'following' && (
        <>
          <FollowImport importId={state.importId} />
          <Button variant="secondary" label={t('entImport.report.newImport')} onClick={() => setState({ step: 'choose' })} />
        </>
      )}
    </>
  )
}
