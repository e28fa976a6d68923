import type CozyClient from 'cozy-client'
import { toStackError, type StackApi } from '../../stack-client'
import type { DriveFile } from '../../stack-client/files-upload'
import { formatBytes, uploadSpeed, type RateSample } from './format'
import { UPLOAD_FOLDER_PATH } from './upload-folder'
import { storedCopyOf } from './stored-copy'
import { ensureDirectory } from './drive-files'
import type { ChosenArchive } from './useChosenArchive'
import type { Problem } from './ProblemAlert'

export interface UploadProgress {
  loaded: number
  total: number
  speed: number | null
}

/** Uploads under a free name: "x.zip", then "x (2).zip"… when one is already there. */
async function uploadArchive(api: StackApi, client: CozyClient, file: File, signal: AbortSignal, onProgress: (loaded: number, total: number) => void): Promise<DriveFile> {
  const stored = await storedCopyOf(client, file, signal)
  if (stored) return stored
  const folder = await ensureDirectory(client, UPLOAD_FOLDER_PATH)
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

/** The archive's file in the Drive: one on this computer is uploaded first, its speed told as it goes. */
export async function archiveInDrive(
  api: StackApi,
  client: CozyClient,
  { source, preview }: ChosenArchive,
  signal: AbortSignal,
  onProgress: (progress: UploadProgress) => void
): Promise<{ fileId: string; fileSize: number }> {
  if (source.kind !== 'local') return { fileId: source.file.id, fileSize: source.file.size ?? preview.archiveBytes }
  const samples: RateSample[] = []
  onProgress({ loaded: 0, total: source.file.size, speed: null })
  const uploaded = await uploadArchive(api, client, source.file, signal, (loaded, total) => {
    samples.push({ at: Date.now(), loaded })
    if (samples.length > 50) samples.shift()
    onProgress({ loaded, total, speed: uploadSpeed(samples) })
  })
  return { fileId: uploaded.id, fileSize: uploaded.size ?? source.file.size }
}

/** Room for the zip (when it is not in the Drive yet) and for what it unpacks to, or what is missing. */
export async function spaceProblem(api: StackApi, { source, preview }: ChosenArchive, selected: Set<string>, lang: string): Promise<Problem | null> {
  const selectedBytes = preview.items.filter(i => selected.has(i.id)).reduce((sum, i) => sum + i.bytes, 0)
  const needed = selectedBytes + (source.kind === 'local' ? preview.archiveBytes : 0)
  const usage = await api.settings.getDiskUsage()
  if (usage.quota !== undefined && usage.quota - usage.used < needed) {
    return { key: 'entImport.errors.notEnoughSpace', values: { needed: formatBytes(needed, lang), free: formatBytes(Math.max(0, usage.quota - usage.used), lang) } }
  }
  return null
}
