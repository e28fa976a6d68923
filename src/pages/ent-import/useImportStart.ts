import { useState, type MutableRefObject } from 'react'
import type CozyClient from 'cozy-client'
import { toStackError, type StackApi } from '../../stack-client'
import { UploadCancelled } from '../../stack-client/files-upload'
import { createAndRunImport, runImport, type StartOutcome } from './import-actions'
import { archiveInDrive, spaceProblem } from './archive-upload'
import { followedImport } from './ongoing-import'
import { readImportRecord } from './import-docs'
import { ensureDirectory } from './drive-files'
import type { ChosenArchive } from './useChosenArchive'
import type { Problem } from './ProblemAlert'
import type { Step } from './useImportFlow'

interface StartContext {
  api: StackApi
  client: CozyClient
  lang: string
  state: Step
  chosen: ChosenArchive | null
  selected: Set<string>
  destination: { id: string | null; path: string }
  setState(step: Step): void
  setProblem(problem: Problem | null): void
  onStarted?: () => void
  /** The running upload, cancelled from its panel or when the page goes. */
  abort: MutableRefObject<AbortController | null>
}

/** Starting the import of the chosen archive (upload first when local), or again one that did not start. */
export function useImportStart(c: StartContext): { busy: boolean; start(copy?: boolean): Promise<void>; retryStart(importId: string): Promise<void> } {
  const { api, client, setState, setProblem } = c
  const [busy, setBusy] = useState(false)

  const afterStart = (outcome: StartOutcome) => {
    c.onStarted?.()
    if (outcome.kind === 'started') {
      // A reload or another tab finds it again, until the user turns to another archive.
      followedImport.set(outcome.importId)
      setState({ step: 'following', importId: outcome.importId })
    } else setState({ step: 'konnector-missing', importId: outcome.importId })
  }

  const start = async (copy = false) => {
    const { state, chosen, selected, destination } = c
    if (state.step !== 'preview' || !chosen) return
    const { preview, source } = chosen
    setProblem(null)
    setBusy(true)
    try {
      const noRoom = await spaceProblem(api, chosen, selected, c.lang)
      if (noRoom) {
        setProblem(noRoom)
        return
      }
      const dest = destination.id ? { id: destination.id, path: destination.path } : await ensureDirectory(client, destination.path).then(d => ({ id: d.id, path: destination.path }))
      const controller = new AbortController()
      if (source.kind === 'local') c.abort.current = controller
      const { fileId, fileSize } = await archiveInDrive(api, client, chosen, controller.signal, progress => setState({ step: 'uploading', ...progress }))
      if (source.kind === 'local') c.abort.current = null
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

  return { busy, start, retryStart }
}
