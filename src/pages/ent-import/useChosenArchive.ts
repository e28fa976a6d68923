import { useCallback, useEffect, useState } from 'react'
import type CozyClient from 'cozy-client'
import type { StackApi } from '../../stack-client'
import type { DriveFile } from '../../stack-client/files-upload'
import type { ImportRecord } from '../../import/records'
import { withItemCounts, type ArchivePreview } from './preview/items'
import type { PreviewShares } from './preview/shares'
import { readImportRecords } from './import-docs'

export type Source = { kind: 'local'; file: File } | { kind: 'drive'; file: DriveFile }

/** The archive the user chose and what its preview has learnt so far. */
export interface ChosenArchive {
  source: Source
  preview: ArchivePreview
  /** The user's name is still being read. */
  namePending: boolean
  /** What was shared in the ENT, once every record is read. */
  shares: PreviewShares | null
  /** Some of its data cannot be read: a damaged download. */
  damaged: boolean
  /** The latest import of the same export, if any. */
  earlier?: ImportRecord & { _id: string }
}

export type ChooseOutcome = { ok: true; preview: ArchivePreview } | { ok: false; code: string }

/**
 * The chosen archive, kept apart from the page's step so that going back to the picker keeps
 * it (and what the preview still learns meanwhile), and a failed new choice leaves it alone.
 */
export function useChosenArchive(api: StackApi, client: CozyClient): { chosen: ChosenArchive | null; choose(source: Source): Promise<ChooseOutcome>; forget(): void } {
  const [chosen, setChosen] = useState<ChosenArchive | null>(null)
  // The reader and zip.js load while the user looks for the file, not once it is chosen.
  useEffect(() => {
    if (typeof requestIdleCallback !== 'function') return
    const id = requestIdleCallback(() => void import('./preview/open-preview').then(reader => reader.warmUp()).catch(() => undefined), { timeout: 1000 })
    return () => cancelIdleCallback(id)
  }, [])

  const choose = useCallback(
    async (source: Source): Promise<ChooseOutcome> => {
      // The archive reader is loaded on first use only.
      const { previewFile, previewDriveFile } = await import('./preview/open-preview')
      const result =
        source.kind === 'local'
          ? await previewFile(source.file)
          : await previewDriveFile(api.files.downloadUrl(source.file.id), source.file.size ?? 0, api.files.authorization(), source.file.name)
      if (!result.ok) return { ok: false, code: result.code }
      const update = (change: (current: ChosenArchive) => ChosenArchive) => setChosen(current => (current && current.source === source ? change(current) : current))
      setChosen({ source, preview: result.preview, namePending: true, shares: null, damaged: false })
      // The same export imported before: said before anything is uploaded, once the user's
      // name is shown (handling the records' answer would hold the name up by a long task).
      if (result.preview.exportId) {
        const exportId = result.preview.exportId
        void result.userName
          .then(() => readImportRecords(client))
          .then(records => records.find(record => record.archive.exportId === exportId))
          .then(earlier => earlier && update(current => ({ ...current, earlier })))
          .catch(() => undefined)
      }
      // The list of apps is on screen; the exporting user's name comes from a small record,
      // then the items the import will account for and the shares, from every record.
      void result.userName.then(({ name, bytesRead }) => update(current => ({ ...current, preview: { ...current.preview, userName: name, bytesRead }, namePending: false })))
      void result.itemCounts.then(counts => update(current => ({ ...current, preview: withItemCounts(current.preview, counts) })))
      void result.shares.then(shares => update(current => ({ ...current, shares })))
      void result.damaged.then(damaged => update(current => ({ ...current, damaged })))
      return { ok: true, preview: result.preview }
    },
    [api, client]
  )

  const forget = useCallback(() => setChosen(null), [])
  return { chosen, choose, forget }
}
