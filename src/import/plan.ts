/**
 * The plan: what each ENT item becomes in the Cozy, decided before anything is written.
 * Each item of an app reader turns into operations (a folder, a file, a note, an event…)
 * with a stable key taken from its provenance (`<app>/<kind>/<ENT id>`) and a path inside the
 * import folder. The planner is deterministic: the same archive and options always give the
 * same operations, in the same order, with the same names. A resumed import replans and
 * skips what the checkpoint says is done; a re-run finds the rest by key.
 */
import type {
  AppLocation,
  ArchiveFile,
  AttachmentRef,
  CalendarEventModel,
  CalendarModel,
  ContentGroup,
  DocumentNode,
  EntArchive,
  EntItem,
  MailFolder,
  MailMessage,
  RawRecord,
  RichText,
  ShareGrant,
  StoredBinary
} from '../ent/node'
import { escapeMarkdown, markdownPath, noteMarkdown } from './html'
import { calendarIcs, descriptionParts, icsEvent, type IcsEvent } from './ics'
import { documentName, mailBody } from './mail'
import { periodLabel } from './period'
import { formatDate } from '../app/dates'
import { contentTexts, fillIn } from './content-texts'
import { appLabel, baseName, NameRegistry, safeName, withExtension, withoutDocumentId } from './names'
import { DocumentPaths } from './document-paths'

/** The stack turns a `*.cozy-note` of at most 2 MiB of Markdown into a note (model/note/import.go). */
export const MAX_NOTE_MARKDOWN = 2 * 1024 * 1024

/** Wiki sub-pages nest in folders down to this depth, then stay beside their parent. */
export const MAX_SUBPAGE_DEPTH = 16

/**
 * Folders (workspace folders, content groups, mail folders) nest down to this many levels
 * inside the import folder; a deeper one is made beside its parent, at that level, and the
 * report says so. Nothing is left out, paths stay usable, and a hostile chain of 100,000
 * folders costs memory in proportion to its length (each path is at most this long).
 */
export const MAX_FOLDER_DEPTH = 32

export interface PlannedShare {
  grants: ShareGrant[]
  title: string
  collection: string | null
}

interface OpBase {
  /** Stable key: `<app>/<kind>/<id>`, unique in an import. */
  key: string
  app: string
  entId: string
  /** What the report names when the operation fails. */
  label: string
  /** The ENT shares of the resource this operation creates (becomes a pending share). */
  share: PlannedShare | null
  /**
   * Archive items (what `describeArchive` counts per app) whose outcome is this operation's:
   * 1 for the operation an item becomes, plus the stored binaries it writes for the first
   * time (attachments, mail parts), or the rows of a table kept in one raw file; 0 for the
   * extra operations of an item (a second copy, a missing attachment). Absent: 0.
   */
  items?: number
  /** Said in the report beside the outcome (a name changed because two ENT names became one). */
  notice?: string
}

export interface DirOp extends OpBase {
  kind: 'dir'
  /** Path inside the import folder. */
  path: string[]
  created: Date | null
  modified: Date | null
  extra: Record<string, unknown>
}

export type FileContent =
  | { type: 'archive'; file: ArchiveFile }
  | { type: 'text'; text: string }
  | { type: 'eml'; message: MailMessage }

export interface FileOp extends OpBase {
  kind: 'file'
  dir: string[]
  name: string
  content: FileContent
  /** Exact size when known (archive files, texts), else null (mails). */
  size: number | null
  contentType: string | null
  created: Date | null
  modified: Date | null
  /** Set for a file kept as is because its item could not be converted: the reason it counts as failed. */
  keptAs?: string
}

export interface EventOp extends OpBase {
  kind: 'event'
  doc: Record<string, unknown>
}

/** An item that cannot be imported (its binary is missing…): reported as failed. */
export interface FailOp extends OpBase {
  kind: 'fail'
  reason: string
}

/** An item left out on purpose (the trash when it is not ticked): nothing is written. */
export interface AccountOp extends OpBase {
  kind: 'account'
  status: 'notSelected'
  reason: string
}

export type Op = DirOp | FileOp | EventOp | FailOp | AccountOp

/** What an operation that writes nothing ends as, folded into the report like the others. */
export function isAccountOp(op: Op): op is AccountOp {
  return op.kind === 'account'
}

export interface PlannerOptions {
  archive: EntArchive
  includeTrash: boolean
}

const CATEGORY_FOLDERS: Record<DocumentNode['category'], string[]> = {
  personal: [],
  shared: ['Partagés avec moi'],
  'app-documents': ['Documents ajoutés dans les applis'],
  trash: ['Corbeille'],
  rack: []
}

const encoder = new TextEncoder()

function textBytes(text: string): number {
  return encoder.encode(text).byteLength
}

function join(path: string[]): string {
  return path.join('/')
}

/** Relative Markdown path from one folder of the import to a file in another. */
function relativePath(from: string[], to: string[]): string[] {
  let common = 0
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++
  return [...from.slice(common).map(() => '..'), ...to.slice(common)]
}

function frenchDate(date: Date | null): string | null {
  if (!date) return null
  return formatDate(date, 'fr', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Europe/Paris' })
}

function dayStamp(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : 'sans date'
}

function shareOf(shares: ShareGrant[], title: string, collection: string | null): PlannedShare | null {
  return shares.length > 0 ? { grants: shares, title, collection } : null
}

/**
 * A planned folder: the folder it is in (or the root path it starts from) and its name, so
 * that a chain of folders costs memory in proportion to its length, not to its square.
 */
interface FolderPlace {
  within: FolderPlace | string[]
  name: string
  /** Segments of its path. */
  length: number
}

function pathOf(place: FolderPlace | string[]): string[] {
  const names: string[] = []
  let at: FolderPlace | string[] = place
  while (!Array.isArray(at)) {
    names.push(at.name)
    at = at.within
  }
  return [...at, ...names.reverse()]
}

interface CalendarPlan {
  entId: string
  title: string
  created: Date | null
  modified: Date | null
  share: PlannedShare | null
  events: IcsEvent[]
  /** 1 for a calendar of the archive, 0 for one made up for events that name none. */
  items: number
}

export class Planner {
  private readonly archive: EntArchive
  private readonly includeTrash: boolean
  /** When the job must stop, checked inside a long conversion too; null while replaying what an earlier job did. */
  private deadline: number | null = null
  private readonly names = new NameRegistry()
  /** `<app>:<entId>` → where workspace folders, content groups and mail folders are made. */
  private readonly folders = new Map<string, FolderPlace>()
  /** Workspace document id → its imported file path, for `/workspace/document/<id>` links. */
  private readonly documents = new DocumentPaths()
  /** `<folder>\n<documentId>` → name of an attachment copy already planned in that folder. */
  private readonly copies = new Map<string, string>()
  /** Archive paths already written as raw files (many raw rows share one file). */
  private readonly rawFiles = new Set<string>()
  private readonly calendars = new Map<string, CalendarPlan>()
  /** `<app>:<group>:<entId>` of a note (a parent is looked up in its own wiki) → its folder, title, depth and the folder of its sub-pages once made. */
  private readonly notes = new Map<string, { dir: string[]; title: string; children: string[] | null; depth: number }>()
  /** Archive paths of the current app's stored binaries some operation already writes. */
  private readonly accountedFiles = new Set<string>()
  /** Rows of one table file kept raw: one file operation, planned once the last row is read. */
  private pendingRaw: { op: FileOp; path: string } | null = null
  /** What the report says beside the current item: name clashes, a folder made beside its parent. */
  private clashes: string[] = []
  private label = ''
  private location: AppLocation | null = null

  constructor(options: PlannerOptions) {
    this.archive = options.archive
    this.includeTrash = options.includeTrash
  }
  /** The job's deadline for the conversions still to come (the engine sets it once the replay of done items is over). */
  setDeadline(deadline: number | null): void {
    this.deadline = deadline
  }


  /** Starts an application: its folder name in the import folder. */
  startApp(location: AppLocation): void {
    this.location = location
    this.label = appLabel(location.app, location.folder)
    this.calendars.clear()
    this.accountedFiles.clear()
    this.pendingRaw = null
  }

  /**
   * The operations an item becomes, in the order they must run. An item whose conversion
   * throws becomes one failed operation: its siblings are planned as usual.
   */
  plan(item: EntItem): Op[] {
    const flushed = item.type === 'raw' && item.collection !== null && item.file && this.pendingRaw?.path === item.file.path ? [] : this.flushRaw()
    try {
      this.clashes = []
      const ops = this.convert(item)
      const primary = ops.find(op => (op.items ?? 0) > 0)
      if (primary && this.clashes.length > 0) primary.notice = this.clashes.join('; ')
      return [...flushed, ...ops]
    } catch (err) {
      const entId = 'entId' in item && typeof item.entId === 'string' ? item.entId : item.type === 'binary' ? item.file.path : 'unknown'
      const key = `${this.app}/unreadable/${item.type}/${entId}`
      const reason = `this item could not be converted (${err instanceof Error ? err.message : String(err)})`
      return [...flushed, { kind: 'fail', key, app: this.app, entId, label: `${item.type} ${entId}`, share: null, reason, items: 1 }]
    }
  }

  private flushRaw(): Op[] {
    const pending = this.pendingRaw
    this.pendingRaw = null
    return pending ? [pending.op] : []
  }

  /**
   * The ledger credit for writing a stored binary of the current app: 1 the first time some
   * operation writes it (the binary item then needs no operation of its own), else 0.
   */
  private account(file: ArchiveFile | null): number {
    if (!file || !this.location?.folder || !file.path.startsWith(`${this.location.folder}/`)) return 0
    if (this.accountedFiles.has(file.path)) return 0
    this.accountedFiles.add(file.path)
    return 1
  }

  private convert(item: EntItem): Op[] {
    switch (item.type) {
      case 'folder':
      case 'file':
        return this.documentNode(item)
      case 'group':
        return this.group(item)
      case 'rich-text':
        return this.richText(item)
      case 'calendar':
        this.calendar(item)
        return []
      case 'event':
        return this.event(item)
      case 'mail-folder':
        return this.mailFolder(item)
      case 'mail':
        return this.mail(item)
      case 'raw':
        return this.raw(item)
      case 'binary':
        return this.binary(item)
    }
  }

  /** Operations that need the whole app read first (one `.ics` per calendar, a table kept raw). */
  finishApp(): Op[] {
    const ops: Op[] = this.flushRaw()
    if (this.calendars.size > 0) {
      for (const calendar of this.calendars.values()) {
        const dir = [this.label]
        const name = this.names.claim(join(dir), withExtension(safeName(calendar.title, 'Agenda'), '.ics'))
        const key = `${this.app}/ics/${calendar.entId}`
        try {
          const text = calendarIcs(calendar.title, calendar.events)
          ops.push({ kind: 'file', key, app: this.app, entId: calendar.entId, label: [...dir, name].join('/'), share: calendar.share, dir, name, content: { type: 'text', text }, size: textBytes(text), contentType: 'text/calendar', created: calendar.created, modified: calendar.modified, items: calendar.items })
        } catch (err) {
          ops.push({ kind: 'fail', key, app: this.app, entId: calendar.entId, label: [...dir, name].join('/'), share: null, reason: `the calendar file could not be written (${err instanceof Error ? err.message : String(err)})`, items: calendar.items })
        }
      }
    }
    this.calendars.clear()
    return ops
  }

  private get app(): string {
    return this.location?.app ?? 'unknown'
  }

  private folderOf(app: string, entId: string | null): string[] | undefined {
    const place = entId ? this.folders.get(`${app}:${entId}`) : undefined
    return place ? pathOf(place) : undefined
  }

  /** Where a folder is made: in its parent, or beside it once the parent is MAX_FOLDER_DEPTH deep (said in the report). */
  private folderParent(app: string, parentId: string | null, root: string[]): { dir: string[]; within: FolderPlace | string[] } {
    const parent = parentId ? this.folders.get(`${app}:${parentId}`) : undefined
    if (!parent) return { dir: root, within: root }
    if (parent.length < MAX_FOLDER_DEPTH) return { dir: pathOf(parent), within: parent }
    this.clashes.push(`the ENT nests this folder deeper than ${MAX_FOLDER_DEPTH} levels; it is made beside its parent folder "${parent.name}", at level ${MAX_FOLDER_DEPTH}`)
    return { dir: pathOf(parent.within), within: parent.within }
  }

  /** Records a folder made `within` a folder or a root path, under `name`; gives its path. */
  private placeFolder(app: string, entId: string, within: FolderPlace | string[], name: string): string[] {
    const place: FolderPlace = { within, name, length: within.length + 1 }
    this.folders.set(`${app}:${entId}`, place)
    return pathOf(place)
  }

  /** A free name in `dir`; a different ENT name that became the same one is noted for the report. */
  private claimIn(dir: string[], wanted: string, original?: string): string {
    const { name, clash } = this.names.claimWithClash(join(dir), wanted, original ?? wanted)
    if (clash !== null) this.clashes.push(`named "${name}": the ENT name "${original ?? wanted}" and the ENT name "${clash}" are the same name in the Cozy (Unicode form, case or characters the Cozy refuses)`)
    return name
  }

  /** Dates the ENT does not give fall back on the export's date, so every run writes the same ones. */
  private fileOp(fields: Omit<FileOp, 'kind' | 'label'>): FileOp {
    const created = fields.created ?? fields.modified ?? this.archive.exportedAt
    return { kind: 'file', label: [...fields.dir, fields.name].join('/'), ...fields, created, modified: fields.modified ?? created }
  }

  // ---- Espace documentaire and Casier ----

  private documentNode(node: DocumentNode): Op[] {
    if (node.category === 'trash' && !this.includeTrash) {
      return [{ kind: 'account', status: 'notSelected', reason: 'trash', key: `${node.app}/${node.type}/${node.entId}`, app: node.app, entId: node.entId, label: node.name, share: null, items: 1 }]
    }
    const root = [this.label, ...CATEGORY_FOLDERS[node.category]]
    const place = node.type === 'folder' ? this.folderParent(node.app, node.parentId, root) : { dir: this.folderOf(node.app, node.parentId) ?? root, within: root }
    const parent = place.dir
    // Nothing is written for a file whose content is missing, so it takes no name from the files
    // after it in its folder: an index of a million records whose binaries were left out would
    // otherwise keep a million names for nothing.
    if (node.type === 'file' && !node.file) return [missingContent(node, parent)]
    const name = this.claimIn(parent, safeName(node.name, node.type === 'folder' ? 'Dossier' : 'Fichier'), node.name)
    const share = shareOf(node.shares, node.name, node.type)
    if (node.type === 'folder') {
      const path = this.placeFolder(node.app, node.entId, place.within, name)
      return [{ kind: 'dir', key: `${node.app}/folder/${node.entId}`, app: node.app, entId: node.entId, label: join(path), share, path, created: node.created, modified: node.modified, extra: {}, items: 1 }]
    }
    const key = `${node.app}/file/${node.entId}`
    if (!node.file) return [missingContent(node, parent)]
    this.documents.set(node.entId.toLowerCase(), parent, name)
    return [this.fileOp({ key, app: node.app, entId: node.entId, share, dir: parent, name, content: { type: 'archive', file: node.file }, size: node.file.size, contentType: node.contentType, created: node.created, modified: node.modified ?? node.file.modified, items: 1 })]
  }

  // ---- content apps: groups become folders, rich texts become notes ----

  /** Copies of the files a resource points to, beside it (once per folder), and their names. */
  private attachments(app: string, ownerKey: string, dir: string[], refs: AttachmentRef[]): { ops: Op[]; names: Map<string, string> } {
    const ops: Op[] = []
    const names = new Map<string, string>()
    for (const ref of refs) {
      const id = ref.documentId.toLowerCase()
      const copyKey = `${join(dir)}\n${id}`
      const existing = this.copies.get(copyKey)
      if (existing) {
        names.set(id, existing)
        continue
      }
      const wanted = safeName(ref.name ?? (ref.file ? withoutDocumentId(baseName(ref.file.path)) : null), id)
      const name = this.claimIn(dir, wanted)
      const key = `${app}/attachment/${join(dir)}/${id}`
      if (!ref.file) {
        ops.push({ kind: 'fail', key, app, entId: ref.documentId, label: `${join([...dir, name])} (used by ${ownerKey})`, share: null, reason: 'the ENT did not copy this file into the archive' })
        continue
      }
      this.copies.set(copyKey, name)
      names.set(id, name)
      ops.push(this.fileOp({ key, app, entId: ref.documentId, share: null, dir, name, content: { type: 'archive', file: ref.file }, size: ref.file.size, contentType: ref.contentType, created: ref.file.modified, modified: ref.file.modified, items: this.account(ref.file) }))
    }
    return { ops, names }
  }

  private group(group: ContentGroup): Op[] {
    const place = this.folderParent(group.app, group.parentId, [this.label])
    const name = this.claimIn(place.dir, safeName(group.title, 'Sans titre'), group.title)
    const path = this.placeFolder(group.app, group.entId, place.within, name)
    const dir: DirOp = {
      kind: 'dir',
      key: `${group.app}/group/${group.entId}`,
      app: group.app,
      entId: group.entId,
      label: join(path),
      share: shareOf(group.shares, group.title, group.collection),
      path,
      created: group.created,
      modified: group.modified,
      extra: { collection: group.collection, ...(group.description ? { description: group.description } : {}) },
      items: 1
    }
    return [dir, ...this.attachments(group.app, dir.key, path, group.attachments).ops]
  }

  private linkResolver(dir: string[], copies: Map<string, string>): (documentId: string) => string | null {
    return id => {
      const copy = copies.get(id)
      if (copy) return markdownPath([copy])
      const document = this.documents.get(id)
      if (document !== undefined) return markdownPath(relativePath(dir, document))
      return null
    }
  }

  /**
   * Where a sub-page's note goes: a folder named after its parent page, beside the parent's
   * note (created with the first sub-page), so Drive shows the wiki's tree. Past
   * MAX_SUBPAGE_DEPTH levels, sub-pages stay beside their parent: paths stay usable.
   */
  private underParent(text: RichText, fallback: string[]): { dir: string[]; ops: Op[]; depth: number } {
    const parent = text.parentId ? this.notes.get(`${text.app}:${text.groupId ?? ''}:${text.parentId}`) : undefined
    if (!parent || !text.parentId) return { dir: fallback, ops: [], depth: 0 }
    if (parent.depth >= MAX_SUBPAGE_DEPTH) return { dir: parent.dir, ops: [], depth: parent.depth }
    if (parent.children) return { dir: parent.children, ops: [], depth: parent.depth + 1 }
    const path = [...parent.dir, this.claimIn(parent.dir, safeName(parent.title, 'Sans titre'))]
    parent.children = path
    return { dir: path, depth: parent.depth + 1, ops: [{ kind: 'dir', key: `${text.app}/subpages/${text.groupId ?? ''}/${text.parentId}`, app: text.app, entId: text.parentId, label: join(path), share: null, path, created: null, modified: null, extra: { collection: text.collection }, items: 0 }] }
  }

  /** The lines a note starts with to say what it was in the ENT (hidden page, index page). */
  private marksOf(text: RichText): string {
    const texts = contentTexts()
    const lines = (text.marks ?? []).map(mark => `*${escapeMarkdown(mark === 'hidden' ? texts.wikiHiddenPage : texts.wikiIndexPage)}*`)
    return lines.length > 0 ? `${lines.join('\n\n')}\n\n` : ''
  }

  /**
   * A mind map: the `.mm` FreeMind file, the XML as the ENT stored it beside it when the `.mm`
   * is a conversion, and a note with the map's description saying which file is which.
   */
  private mindmap(text: RichText, dir: string[], key: string, share: PlannedShare | null, xml: string): Op[] {
    const base = safeName(text.title, 'Carte mentale')
    const name = this.claimIn(dir, withExtension(base, '.mm'))
    const ops: Op[] = [this.fileOp({ key, app: text.app, entId: text.entId, share, dir, name, content: { type: 'text', text: xml }, size: textBytes(xml), contentType: 'application/x-freemind', created: text.created, modified: text.modified, items: 1 })]
    const source = text.mindmapSource ?? null
    const original = source !== null ? this.claimIn(dir, `${base}.wisemapping.xml`) : null
    if (source !== null && original !== null) {
      ops.push(this.fileOp({ key: `${text.app}/mindmap-source/${text.entId}`, app: text.app, entId: text.entId, share: null, dir, name: original, content: { type: 'text', text: source }, size: textBytes(source), contentType: 'application/xml', created: text.created, modified: text.modified, items: 0 }))
    }
    const description = (text.plainText ?? '').trim()
    if (description !== '') {
      const paragraphs = description.split(/\r?\n\s*\n/).map(p => escapeMarkdown(p.trim()).replace(/\r?\n/g, '  \n'))
      const files = original !== null ? `*${escapeMarkdown(fillIn(contentTexts().mindmapFiles, { mm: name, original }))}*\n\n` : ''
      const markdown = `# ${escapeMarkdown(text.title || 'Sans titre')}\n\n${files}${paragraphs.join('\n\n')}\n`
      const note = this.claimIn(dir, `${base}.cozy-note`)
      ops.push(this.fileOp({ key: `${text.app}/mindmap-description/${text.entId}`, app: text.app, entId: text.entId, share: null, dir, name: note, content: { type: 'text', text: markdown }, size: textBytes(markdown), contentType: 'text/vnd.cozy.note+markdown', created: text.created, modified: text.modified, items: 0 }))
    }
    return ops
  }

  private richText(text: RichText): Op[] {
    // Exercizer subjects with `is_deleted` are in that app's trash: they follow the trash option.
    const trashed = text.state === 'DELETED'
    if (trashed && !this.includeTrash) {
      return [{ kind: 'account', status: 'notSelected', reason: 'trash', key: `${text.app}/note/${text.entId}`, app: text.app, entId: text.entId, label: text.title, share: null, items: 1 }]
    }
    const placed = this.underParent(text, trashed ? [this.label, ...CATEGORY_FOLDERS.trash] : this.folderOf(text.app, text.groupId) ?? [this.label])
    const dir = placed.dir
    const key = `${text.app}/${text.mindmapXml !== null ? 'map' : 'note'}/${text.entId}`
    const share = shareOf(text.shares, text.title, text.collection)
    if (text.mindmapXml !== null) {
      const xml = /<map[\s>]/.test(text.mindmapXml) ? text.mindmapXml : `<map version="1.0.1">\n${text.mindmapXml}\n</map>\n`
      return this.mindmap(text, dir, key, share, xml)
    }
    const { ops: attached, names } = this.attachments(text.app, key, dir, text.attachments)
    const ops = [...placed.ops, ...attached]
    const converted = noteMarkdown(text.html, this.linkResolver(dir, names), this.deadline)
    if (typeof converted !== 'string') return [...ops, { kind: 'fail', key, app: text.app, entId: text.entId, label: join([...dir, safeName(text.title, 'Sans titre')]), share: null, reason: converted.reason, items: 1 }]
    const body = this.marksOf(text) + (converted || (text.plainText ? escapeMarkdown(text.plainText) : ''))
    // A timeline event's own dates say more than when it was typed in: they date the note.
    const byline = [text.author?.name ?? (text.author ? this.archive.names.get(text.author.entId) : null), text.period ? periodLabel(text.period) : frenchDate(text.created)].filter((s): s is string => !!s)
    const markdown = `# ${escapeMarkdown(text.title || 'Sans titre')}\n\n${byline.length ? `*${escapeMarkdown(byline.join(', '))}*\n\n` : ''}${body}\n`
    const size = textBytes(markdown)
    const note = size <= MAX_NOTE_MARKDOWN
    const name = this.claimIn(dir, `${safeName(text.title, 'Sans titre')}${note ? '.cozy-note' : '.md'}`)
    // Only pages that can have sub-pages (the wiki's, which say their parent or null) are remembered.
    if (text.parentId !== undefined) this.notes.set(`${text.app}:${text.groupId ?? ''}:${text.entId}`, { dir, title: text.title, children: null, depth: placed.depth })
    ops.push(this.fileOp({ key, app: text.app, entId: text.entId, share, dir, name, content: { type: 'text', text: markdown }, size, contentType: note ? 'text/vnd.cozy.note+markdown' : 'text/markdown', created: text.period?.start ?? text.created, modified: text.modified, items: 1 }))
    return ops
  }

  // ---- Agenda ----

  private calendar(calendar: CalendarModel): void {
    this.calendars.set(calendar.entId, {
      entId: calendar.entId,
      title: calendar.title,
      created: calendar.created,
      modified: calendar.modified,
      share: shareOf(calendar.shares, calendar.title, 'calendar'),
      events: [],
      items: 1
    })
  }

  private event(event: CalendarEventModel): Op[] {
    const ops: Op[] = []
    const dir = [this.label, 'Pièces jointes']
    ops.push(...this.attachments(event.app, `${event.app}/event/${event.entId}`, dir, event.attachments).ops)
    const ics = icsEvent(event)
    const key = `${event.app}/event/${event.entId}`
    if (!event.start) {
      ops.push({ kind: 'fail', key, app: event.app, entId: event.entId, label: `event "${event.title}"`, share: null, reason: 'the event has no start date', items: 1 })
      return ops
    }
    const calendarIds = event.calendarIds.length ? event.calendarIds : ['']
    for (const id of calendarIds) {
      let calendar = this.calendars.get(id)
      if (!calendar) {
        calendar = { entId: id || 'sans-agenda', title: id ? `Agenda ${id}` : 'Sans agenda', created: null, modified: null, share: null, events: [], items: 0 }
        this.calendars.set(id, calendar)
      }
      if (ics) calendar.events.push(ics)
    }
    const titles = calendarIds.map(id => this.calendars.get(id)?.title ?? id)
    ops.push({
      kind: 'event',
      key,
      app: event.app,
      entId: event.entId,
      label: `event "${event.title}"`,
      share: shareOf(event.shares, event.title, 'event'),
      items: 1,
      doc: {
        label: event.title,
        summary: event.title,
        description: descriptionParts(event.description).text,
        location: event.location ?? undefined,
        start: event.start.toISOString(),
        end: (event.end ?? event.start).toISOString(),
        allDay: event.allDay,
        calendar: { entIds: event.calendarIds, titles },
        recurrence: event.recurrence ?? undefined,
        organizer: event.owner ? { entId: event.owner.entId, name: event.owner.name } : undefined,
        createdAt: event.created?.toISOString(),
        updatedAt: event.modified?.toISOString()
      }
    })
    return ops
  }

  // ---- Messagerie ----

  private mailFolder(folder: MailFolder): Op[] {
    const place = this.folderParent(folder.app, folder.parentId, [this.label])
    const name = this.claimIn(place.dir, safeName(folder.name, 'Dossier'), folder.name)
    const path = this.placeFolder(folder.app, folder.entId, place.within, name)
    return [{ kind: 'dir', key: `${folder.app}/mail-folder/${folder.entId}`, app: folder.app, entId: folder.entId, label: join(path), share: null, path, created: null, modified: null, extra: { trashed: folder.trashed }, items: 1 }]
  }

  private mail(message: MailMessage): Op[] {
    let dir = this.folderOf(message.app, message.folderId)
    if (!dir) {
      const sent = message.from !== null && message.from.entId === this.archive.userId
      const box = message.trashed ? 'Corbeille' : message.state === 'DRAFT' ? 'Brouillons' : sent ? 'Envoyés' : 'Boîte de réception'
      dir = [this.label, box]
    }
    const name = this.claimIn(dir, `${dayStamp(message.date)} ${safeName(message.subject, '(sans objet)')}.eml`)
    const key = `${message.app}/mail/${message.entId}`
    // The attachments, and the Documents/ copies the body shows or links, travel inside the
    // .eml: their stored binaries end as the message does (and are not kept loose as well).
    const body = mailBody(message)
    const embedded = [...message.attachments.map(a => a.file), ...body.inline.map(d => d.file), ...body.linked.map(d => d.file)].reduce((n, file) => n + this.account(file), 0)
    const ops: Op[] = [this.fileOp({ key, app: message.app, entId: message.entId, share: null, dir, name, content: { type: 'eml', message }, size: null, contentType: 'message/rfc822', created: message.date, modified: message.date, items: 1 + embedded })]
    for (const missing of message.attachments.filter(a => !a.file)) {
      ops.push({ kind: 'fail', key: `${key}/attachment/${missing.entId}`, app: message.app, entId: missing.entId, label: `${join([...dir, name])}: ${missing.name}`, share: null, reason: 'the attachment is missing from the archive; the message was imported without it' })
    }
    for (const image of body.missing) {
      ops.push({ kind: 'fail', key: `${key}/image/${image.documentId}`, app: message.app, entId: image.documentId, label: `${join([...dir, name])}: ${documentName(image)}`, share: null, reason: 'the image shown in the message is missing from the archive; the message was imported with a note in its place' })
    }
    for (const link of body.missingLinks) {
      ops.push({ kind: 'fail', key: `${key}/document/${link.documentId}`, app: message.app, entId: link.documentId, label: `${join([...dir, name])}: ${documentName(link)}`, share: null, reason: 'the document linked from the message is missing from the archive; the message was imported without the link' })
    }
    return ops
  }

  // ---- anything else: kept as it was ----

  private raw(record: RawRecord): Op[] {
    const share = shareOf(record.shares, record.name, record.collection)
    if (record.file) {
      const pending = this.pendingRaw
      if (pending && pending.path === record.file.path) {
        pending.op.items = (pending.op.items ?? 0) + 1
        return []
      }
      if (this.rawFiles.has(record.file.path)) {
        return [{ kind: 'fail', key: `${record.app}/raw-again/${record.file.path}/${record.entId ?? record.name}`, app: record.app, entId: record.entId ?? record.file.path, label: record.name, share: null, reason: `this record comes from ${record.file.path}, already kept as a file for records read before it`, items: 1 }]
      }
      this.rawFiles.add(record.file.path)
      const rel = record.file.path.split('/').slice(1)
      const dir = [this.label, ...rel.slice(0, -1).map(s => safeName(s, 'Dossier'))]
      const original = safeName(rel[rel.length - 1] ?? record.name, 'Données')
      const wanted = record.reason === 'unknown-file' || /\.[A-Za-z0-9]{1,8}$/.test(original) ? original : `${original}.json`
      const name = this.claimIn(dir, wanted)
      const op = this.fileOp({ key: `${record.app}/raw/${record.file.path}`, app: record.app, entId: record.entId ?? record.file.path, share, dir, name, content: { type: 'archive', file: record.file }, size: record.file.size, contentType: name.endsWith('.json') ? 'application/json' : null, created: null, modified: record.file.modified, items: 1 })
      if (record.reason === 'record-too-deep') op.keptAs = `the record nests too deep to be converted; it is kept as is in ${join([...dir, name])}`
      if (record.reason === 'malformed-json') op.keptAs = `the record is not valid JSON; it is kept as is in ${join([...dir, name])}`
      // The rows of a table come one after another: the file is planned once they are counted.
      if (record.collection !== null) {
        this.pendingRaw = { op, path: record.file.path }
        return []
      }
      return [op]
    }
    const dir = [this.label]
    const name = this.claimIn(dir, withExtension(safeName(record.name, 'Données'), '.json'))
    const key = `${record.app}/raw/${record.collection ?? ''}/${record.entId ?? record.name}`
    if (record.data === null) return [{ kind: 'fail', key, app: record.app, entId: record.entId ?? record.name, label: join([...dir, name]), share: null, reason: `nothing readable was found for this record (${record.reason})`, items: 1 }]
    const text = JSON.stringify(record.data, null, 2)
    return [this.fileOp({ key, app: record.app, entId: record.entId ?? record.name, share, dir, name, content: { type: 'text', text }, size: textBytes(text), contentType: 'application/json', created: null, modified: null, items: 1 })]
  }

  /** A stored binary no operation wrote (referenced by nothing imported, or by nothing at all) is kept loose. */
  private binary(binary: StoredBinary): Op[] {
    if (this.accountedFiles.has(binary.file.path)) return []
    const dir = [this.label, 'Documents']
    const name = this.claimIn(dir, safeName(withoutDocumentId(baseName(binary.file.path)), 'Fichier'), baseName(binary.file.path))
    return [this.fileOp({ key: `${binary.app}/binary/${binary.file.path}`, app: binary.app, entId: binary.documentId ?? binary.file.path, share: null, dir, name, content: { type: 'archive', file: binary.file }, size: binary.file.size, contentType: null, created: null, modified: binary.file.modified, items: this.account(binary.file) || 1 })]
  }
}

/** A workspace file the index lists without its content: it fails, and is named in the report as the ENT named it. */
function missingContent(node: DocumentNode, parent: string[]): FailOp {
  const key = `${node.app}/file/${node.entId}`
  return { kind: 'fail', key, app: node.app, entId: node.entId, label: join([...parent, safeName(node.name, 'Fichier')]), share: null, reason: 'the file is listed in the ENT index but its content is missing from the archive', items: 1 }
}

/** Bytes of the archive files under an app's folder: the quota check's estimate for that app. */
export function appFolderBytes(archive: EntArchive, location: AppLocation): number {
  if (!location.folder) return 0
  const view = archive.folder(location.folder)
  if (!view) return 0
  let bytes = 0
  for (const f of view.files) bytes += f.file.size
  const factor = location.known ? archive.reader(location.app)?.sizeFactor ?? 1 : 1
  return factor === 1 ? bytes : Math.ceil(bytes * factor)
}
