/**
 * What the import page shows before anything is uploaded: the export's date, the exporting
 * user, and each application with its counts and size. It is computed from the zip's central
 * directory, the Manifest and at most a few small records (for the user's name), never from
 * the whole archive, so a multi-GB zip previews in a moment.
 */
import { countApp, EntArchive, EntArchiveError, type ArchiveSource, type ArchiveWarning, type EntItem, type OpenOptions } from '../../../ent'
import { TRASH_ITEM, type ArchivePreview, type PreviewItem } from './items'

export { TRASH_ITEM, defaultSelection } from './items'
export type { ArchivePreview, PreviewItem } from './items'
import { countingSource } from './counting-source'
import { findUserName } from './user-name'
import { addShares, grantsOf, nameRecipients, type PreviewShares } from './shares'

/** The workspace's trash folder, in French and English exports (format notes §6). */
const TRASH_FOLDERS = ['Corbeille/', 'Trash/']

function isTrash(rel: string): boolean {
  return TRASH_FOLDERS.some(prefix => rel.startsWith(prefix))
}

/** The preview from the directory and the Manifest only, without the user's name (no entry data read). */
export function directoryPreview(archive: EntArchive): Omit<ArchivePreview, 'bytesRead' | 'fileName' | 'archiveBytes'> {
  const items: PreviewItem[] = []
  for (const location of archive.apps) {
    const view = location.folder ? archive.folder(location.folder) : undefined
    const reader = location.known ? archive.reader(location.app) : undefined
    const isBinary = reader?.isBinary ?? ((rel: string) => rel.startsWith('Documents/'))
    const id = location.app === 'unknown' ? `unknown:${location.folder ?? ''}` : location.app
    const item: PreviewItem = { id, app: location.app, folder: location.folder, documents: 0, records: 0, items: null, bytes: 0, known: location.known, defaultSelected: true }
    const trash: PreviewItem = { id: TRASH_ITEM, app: 'trash', folder: location.folder, documents: 0, records: 0, items: null, bytes: 0, known: true, defaultSelected: false }
    for (const { file, rel } of view?.files ?? []) {
      const target = location.app === 'workspace' && isTrash(rel) ? trash : item
      target.bytes += file.size
      if (isBinary(rel)) target.documents++
      else target.records++
    }
    // An app listed twice (Manifest and sniffing) is shown once.
    if (!items.some(existing => existing.id === id)) items.push(item)
    if (trash.documents + trash.records > 0) items.push(trash)
  }
  return {
    exportId: archive.exportId,
    exportedAt: archive.exportedAt,
    userId: archive.userId,
    userName: null,
    items,
    totalBytes: items.reduce((sum, item) => sum + item.bytes, 0),
    warnings: [...archive.warnings]
  }
}

/** What the import leaves out unless the trash is ticked (workspace trash, deleted subjects). */
function isTrashed(item: EntItem): boolean {
  if (item.type === 'file' || item.type === 'folder') return item.category === 'trash'
  return item.type === 'rich-text' && item.state === 'DELETED'
}

/** What one pass over the records gives: each item's count of items, and what was shared. */
export interface PreviewContents {
  counts: Map<string, number>
  shares: PreviewShares
  /** Some entry's data fails its checks (CRC, size, cut short): the download is damaged. */
  damaged: boolean
}

const isDamage = (err: unknown): boolean => err instanceof EntArchiveError && (err.code === 'corrupt' || err.code === 'truncated')

/** A Manifest the opening could not read: damaged data, or only not JSON? Reading it again tells. */
async function manifestDamaged(archive: EntArchive): Promise<boolean> {
  const manifest = archive.file('Manifest.json')
  if (!manifest || !archive.warnings.some(w => w.code === 'manifest-malformed')) return false
  try {
    await archive.readFile(manifest, 1024 * 1024)
    return false
  } catch (err) {
    return isDamage(err)
  }
}

/**
 * Each preview item's count of items, as the import's ledger will count them: every app read
 * (its records, never its binaries); the workspace's trash apart, since it is a choice of its own.
 * The same pass notes the ENT shares the import will keep as pending shares.
 */
export async function readPreviewContents(archive: EntArchive): Promise<PreviewContents> {
  const counts = new Map<string, number>()
  const shares: PreviewShares = new Map()
  let damaged = await manifestDamaged(archive)
  const onWarning = (warning: ArchiveWarning): void => {
    if (warning.code === 'unreadable-entry') damaged = true
  }
  const add = (id: string, n: number): void => {
    counts.set(id, (counts.get(id) ?? 0) + n)
  }
  for (const location of archive.apps) {
    if (!location.folder) continue
    const id = location.app === 'unknown' ? `unknown:${location.folder}` : location.app
    // Only the workspace has a summary cheaper than a read, and it has a trash of its own.
    if (location.app !== 'workspace' && !location.known) {
      add(id, (await countApp(archive, location, onWarning)).items)
      continue
    }
    let mine = 0
    let trashed = 0
    try {
      for await (const item of archive.readApp(location, onWarning)) {
        const trash = isTrashed(item)
        if (trash) trashed++
        else mine++
        addShares(shares, trash ? TRASH_ITEM : id, grantsOf(item))
      }
    } catch (err) {
      // counted as far as it could be read: the import reports the rest as failed
      if (isDamage(err)) damaged = true
    }
    add(id, mine)
    if (trashed > 0) add(TRASH_ITEM, trashed)
  }
  return { counts, shares: nameRecipients(shares, archive.names), damaged }
}

/** Each preview item's count of items (see readPreviewContents). */
export async function countPreviewItems(archive: EntArchive): Promise<Map<string, number>> {
  return (await readPreviewContents(archive)).counts
}

/** Builds the preview from an opened archive (no entry data is read but a few small records). */
export async function previewOpenedArchive(archive: EntArchive): Promise<Omit<ArchivePreview, 'bytesRead' | 'fileName' | 'archiveBytes'>> {
  return { ...directoryPreview(archive), userName: await findUserName(archive) }
}

export interface StagedPreview {
  preview: ArchivePreview
  /** The exporting user's name, from a few small records. */
  userName: Promise<{ name: string | null; bytesRead: number }>
  /** Then each item's count (every record read, no binary); the archive is closed after. */
  itemCounts: Promise<Map<string, number>>
  /** From the same pass: what was shared in the ENT, and whether some data is damaged. */
  shares: Promise<PreviewShares>
  damaged: Promise<boolean>
}

/**
 * For the page: the preview as soon as the directory is read, the user's name a moment later,
 * then the counts of items; the archive is closed once they are known.
 */
export async function previewArchiveInStages(source: ArchiveSource, fileName: string, options: OpenOptions = {}): Promise<StagedPreview> {
  const counted = countingSource(source)
  const archive = await EntArchive.open(counted, options)
  const preview = { ...directoryPreview(archive), fileName, archiveBytes: source.size, bytesRead: counted.bytesRead() }
  const userName = findUserName(archive)
    .catch(() => null)
    .then(name => ({ name, bytesRead: counted.bytesRead() }))
  const contents = userName
    .then(afterPaint)
    .then(() => readPreviewContents(archive))
    .catch((err: unknown): PreviewContents => ({ counts: new Map(), shares: new Map(), damaged: isDamage(err) }))
    .finally(() => archive.close().catch(() => undefined))
  return { preview, userName, itemCounts: contents.then(c => c.counts), shares: contents.then(c => c.shares), damaged: contents.then(c => c.damaged) }
}

/**
 * Counting reads every app's records on the page's thread: it waits until the page has drawn
 * the user's name (a frame, then a task), so the name is not held up behind it.
 */
function afterPaint(): Promise<void> {
  return new Promise(resolve => {
    const task = (): void => void setTimeout(resolve, 0)
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(task)
    else task()
  })
}

/** Opens any random-access source, previews it and closes it; EntArchiveError when it is not a readable ENT export. */
export async function previewArchive(source: ArchiveSource, fileName = source.description, options: OpenOptions = {}): Promise<ArchivePreview> {
  const counted = countingSource(source)
  const archive = await EntArchive.open(counted, options)
  try {
    const preview = await previewOpenedArchive(archive)
    return { ...preview, fileName, archiveBytes: source.size, bytesRead: counted.bytesRead() }
  } finally {
    await archive.close()
  }
}

/** The error code to translate (`entImport.errors.<code>`) for anything previewing threw. */
export function previewErrorCode(err: unknown): string {
  if (err instanceof EntArchiveError) return err.code
  return 'io'
}

