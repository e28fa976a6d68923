/**
 * The preview's shape and the default selection, apart from the reader so that pages can use
 * them without loading the archive reader (loaded only when an archive is opened).
 */
import type { ArchiveWarning } from '../../../ent/errors'

/** Selection id of the workspace's trash: imported only when the user ticks it. */
export const TRASH_ITEM = 'workspace-trash'

export interface PreviewItem {
  /** What the konnector's `selection` names: the app key (`workspace`, `blog`…), `unknown:<folder>`, or TRASH_ITEM. */
  id: string
  /** App key (`workspace`, `blog`…, `unknown`, `trash`), for the label. */
  app: string
  /** The app's folder in the archive (shown for unknown apps). */
  folder: string | null
  /** Binaries stored by the app (documents, images, attachments). */
  documents: number
  /** Other files (the app's JSON records: blogs, posts, events…). */
  records: number
  /**
   * The items the import will account for (its report counts the same ones), once the app's
   * records are read (a moment after the list is shown); null until then.
   */
  items: number | null
  /** Uncompressed bytes. */
  bytes: number
  /** Whether a reader knows the app; unknown apps are kept as raw files. */
  known: boolean
  /** Ticked by default (everything but the trash). */
  defaultSelected: boolean
}

export interface ArchivePreview {
  fileName: string
  /** Size of the zip itself. */
  archiveBytes: number
  exportId: string | null
  exportedAt: Date | null
  userId: string | null
  userName: string | null
  items: PreviewItem[]
  /** Sum of the uncompressed sizes of what the archive holds. */
  totalBytes: number
  warnings: ArchiveWarning[]
  /** Bytes of the zip actually read to build this preview. */
  bytesRead: number
}

/** Ids ticked by default. */
export function defaultSelection(preview: Pick<ArchivePreview, 'items'>): Set<string> {
  return new Set(preview.items.filter(item => item.defaultSelected).map(item => item.id))
}

/** The preview with each item's count of items (from `countPreviewItems`). */
export function withItemCounts<T extends Pick<ArchivePreview, 'items'>>(preview: T, counts: Map<string, number>): T {
  const items = preview.items.map(item => ({ ...item, items: counts.get(item.id) ?? 0 }))
  // A trash the directory does not show (deleted exercises live in the records): offered too.
  const trashed = counts.get(TRASH_ITEM) ?? 0
  if (trashed > 0 && !items.some(item => item.id === TRASH_ITEM)) {
    items.push({ id: TRASH_ITEM, app: 'trash', folder: null, documents: 0, records: 0, items: trashed, bytes: 0, known: true, defaultSelected: false })
  }
  return { ...preview, items }
}
