/**
 * Opens the archive an import reads: a local file, or a Cozy file read by HTTP Range requests
 * or from a temporary local copy (downloaded here while it is read). The engine only asks for it and closes it.
 */
import { promises as fs } from 'fs'
import path from 'path'
import { openArchiveDownloading, openArchiveFile, openArchiveUrl, type EntArchive } from '../ent/node'
import { ImportError } from './import-error'
import type { StackClient } from './stack/client'
import { isStackError } from './stack/errors'
import { tempDirCandidates, tempDirFor } from './temp-dir'

export type ArchiveInput =
  | { kind: 'file'; path: string }
  /** `copyMaxBytes`: the largest archive `auto` copies (default COPY_MAX_BYTES). */
  | { kind: 'cozy'; fileId: string; access?: ArchiveAccess; copyMaxBytes?: number }

/**
 * How a Cozy-stored archive is read: HTTP Range requests, or a temporary local copy. `auto`
 * copies archives up to COPY_MAX_BYTES (faster: one download, then local reads; see
 * BENCHMARKS.md) when a writable temporary folder with room for it is proven (temp-dir.ts),
 * and reads the others by ranges (no disk, and a continuation job does not download the whole
 * archive again). `copy` without such a folder fails with NO_TEMP_DIR.
 */
export type ArchiveAccess = 'range' | 'copy' | 'auto'

export const COPY_MAX_BYTES = 512 * 1024 * 1024

export interface OpenedArchive {
  archive: EntArchive
  name: string | null
  size: number | null
  cleanup: () => Promise<void>
}

export interface ArchiveSourceOptions {
  client: StackClient | null
  archive: ArchiveInput
  /** Where temporary copies go (default os.tmpdir()); used only once proven writable. */
  tempDir?: string
  log?: (line: string) => void
}

export async function openArchiveSource(options: ArchiveSourceOptions): Promise<OpenedArchive> {
  const input = options.archive
  if (input.kind === 'file') return openLocal(input.path)
  const client = options.client
  if (!client) throw new ImportError('NO_ARCHIVE', 'Reading an archive stored in a Cozy needs --cozy and --token.')
  const file = await client.statById(input.fileId).catch(err => {
    if (isStackError(err, 'forbidden')) throw new ImportError('NO_ARCHIVE', `The konnector may not read the file ${input.fileId}.`)
    throw err
  })
  if (!file || file.type !== 'file') throw new ImportError('NO_ARCHIVE', `No archive with id ${input.fileId} in this Cozy.`)
  const size = Number(file.size ?? 0)
  const access = input.access ?? 'auto'
  const range = async (why: string): Promise<OpenedArchive> => {
    options.log?.(`reading the archive by Range requests (${why})`)
    const archive = await openArchiveUrl(client.downloadUrl(input.fileId), { headers: client.authHeaders() })
    return { archive, name: file.name, size, cleanup: () => archive.close() }
  }
  if (access === 'range') return range('asked')
  if (access === 'auto' && size > (input.copyMaxBytes ?? COPY_MAX_BYTES)) return range('too large to copy in the time budget')
  // The stack's jail has no writable disk (temp-dir.ts): a copy only where one is proven.
  const temp = await tempDirFor(size, tempDirCandidates(options.tempDir))
  if (!temp) {
    if (access === 'copy') throw new ImportError('NO_TEMP_DIR', `No writable temporary folder can hold a ${size}-byte copy of the archive (free space, file-size limit); read it by Range requests instead.`)
    return range('no writable temporary folder can hold a copy')
  }
  const copied = await downloadCopy(client, input.fileId, temp.dir)
  return { archive: copied.archive, name: file.name, size, cleanup: copied.cleanup }
}

async function openLocal(file: string): Promise<OpenedArchive> {
  const stat = await fs.stat(file).catch(() => null)
  if (!stat || !stat.isFile()) throw new ImportError('NO_ARCHIVE', `No archive at ${file}.`)
  const archive = await openArchiveFile(file)
  return { archive, name: path.basename(file), size: stat.size, cleanup: () => archive.close() }
}

/**
 * The Cozy file copied into a folder of its own under `tempRoot` while it is read (the import
 * starts before the download ends); cleanup stops the download and removes the folder.
 */
async function downloadCopy(client: StackClient, fileId: string, tempRoot: string): Promise<Pick<OpenedArchive, 'archive' | 'cleanup'>> {
  const dir = await fs.mkdtemp(path.join(tempRoot, 'ent-import-'))
  const removeDir = () => fs.rm(dir, { recursive: true, force: true })
  let archive: EntArchive
  try {
    archive = await openArchiveDownloading(client.downloadUrl(fileId), path.join(dir, 'archive.zip'), { headers: client.authHeaders() })
  } catch (err) {
    await removeDir()
    throw err
  }
  return {
    archive,
    cleanup: async () => {
      await archive.close()
      await removeDir()
    }
  }
}
