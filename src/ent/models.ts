/**
 * The common models every ENT application reader produces. The import engine (konnector and
 * `mes-donnees import`) and the browser preview consume only these; adding an ENT application
 * means adding one reader that yields them.
 *
 * Conventions for every model:
 * - `app` is the ENT application key (`workspace`, `blog`, `scrapbook`…), `entId` the id of the
 *   resource in the ENT (a Mongo `_id` string, or a SQL id turned into a string).
 * - Dates are `Date` objects, or `null` when absent or unparseable (see dates.ts).
 * - `raw` is the record as exported, so that nothing the models do not name is lost.
 * - Binaries are never held in memory: they are `ArchiveFile` references, streamed out with
 *   `EntArchive.openFile(file)` when (and if) the importer wants them.
 */

/** A file inside the archive, addressed relative to the export's top folder. */
export interface ArchiveFile {
  /** Path under `<exportId>/`, e.g. `Blog/Documents/small_26a7….jpeg` (NFC-normalised). */
  path: string
  /** Uncompressed size declared by the zip (reading never yields more). */
  size: number
  /** Last-modified time recorded by the zipper. */
  modified: Date
}

/** Who a share is for: one ENT user or one ENT group (opaque ids, no names in the archive). */
export type ShareKind = 'user' | 'group'

/** The role a recipient had on a resource, from the action tables of the format notes (§8). */
export type ShareRole = 'read' | 'contrib' | 'manager' | 'comment' | 'publish'

/**
 * One grant of one resource to one recipient, normalised from the ENT's `shared` and
 * `inheritedShares` arrays. The exporting user never appears as a recipient.
 */
export interface ShareGrant {
  app: string
  /** The shared resource's ENT id. */
  resourceId: string
  kind: ShareKind
  /** ENT user id or group id (groups may have legacy ids like `474-1429810567870`). */
  entId: string
  /** The strongest role among the recipient's actions. */
  role: ShareRole
  /** The raw action names as exported (`org-entcore-blog-controllers-BlogController|get`). */
  actions: string[]
  /** True when the grant comes only from a parent folder (workspace `inheritedShares`). */
  inherited: boolean
}

/** Owner or author of a resource: an ENT user id and, when the archive has it, a display name. */
export interface EntPerson {
  entId: string
  name: string | null
}

/** Workspace category a document sits in (translated folder names map to these). */
export type DocumentCategory = 'personal' | 'shared' | 'app-documents' | 'trash' | 'rack'

/**
 * A folder or file of the document tree (the workspace, "Espace documentaire", and the Rack).
 * Folders come before their children when the reader yields them.
 */
export interface DocumentNode {
  type: 'folder' | 'file'
  app: string
  entId: string
  name: string
  /** Parent folder's `entId`, or null at a category root (and for orphans, moved to the root). */
  parentId: string | null
  category: DocumentCategory
  owner: EntPerson | null
  /** True when the exporting user owns it; false for documents shared with them. */
  mine: boolean
  created: Date | null
  modified: Date | null
  /** Files: the binary in the archive, or null when it is missing (a warning says so). */
  file: ArchiveFile | null
  /** Files: declared size (metadata.size, or the zip entry size). */
  size: number | null
  contentType: string | null
  shares: ShareGrant[]
  raw: unknown
}

/** A file the app's JSON points to (`/workspace/document/<uuid>`), resolved to `Documents/`. */
export interface AttachmentRef {
  /** The workspace document id from the URL. */
  documentId: string
  /** The binary in the archive, or null when the exporter did not copy it (warned). */
  file: ArchiveFile | null
  /** Best known name: workspace index name, else the file name without `_<uuid>`. */
  name: string | null
  contentType: string | null
}

/**
 * A container that becomes a Cozy folder: a blog, a news thread, a wiki, a forum category,
 * a scrapbook, a wall, a timeline, a magneto folder/board/section, a website, an exercizer folder.
 */
export interface ContentGroup {
  type: 'group'
  app: string
  /** ENT collection or table, e.g. `blogs`, `actualites.thread`, `magneto.boards`. */
  collection: string
  entId: string
  /** Title without the export's collection prefix (`blog_`, `cat_`…). */
  title: string
  description: string | null
  /** Enclosing group (a magneto section's board, an exercizer sub-folder's folder), if any. */
  parentId: string | null
  owner: EntPerson | null
  mine: boolean
  created: Date | null
  modified: Date | null
  attachments: AttachmentRef[]
  shares: ShareGrant[]
  raw: unknown
}

/** One message inside a rich text that is a conversation (forum subject messages). */
export interface RichTextMessage {
  author: EntPerson | null
  created: Date | null
  html: string
}

/**
 * A piece of rich content that becomes a Cozy note: a blog post, a news item, a wiki page,
 * a forum subject, a scrapbook page, a wall note, a timeline event, a magneto card, a website
 * page, a pad, an exercizer subject, a mind map.
 */
export interface RichText {
  type: 'rich-text'
  app: string
  collection: string
  entId: string
  /** Title without the collection prefix. */
  title: string
  /** The HTML as exported (not sanitised: writers must sanitise). */
  html: string
  /** TipTap/ProseMirror JSON document when the ENT stored one (`jsonContent`). */
  prosemirror: unknown | null
  /** Plain text when the ENT stored one (`contentPlain`). */
  plainText: string | null
  /** The group it belongs to (blog of a post, thread of a news item…), if any. */
  groupId: string | null
  /** Ordering hint inside its group (wiki position, magneto card index…), when known. */
  position: number | null
  author: EntPerson | null
  mine: boolean
  created: Date | null
  modified: Date | null
  /** Publication state when the app has one (blog `PUBLISHED`, news status…). */
  state: string | null
  /** Forum subjects: the messages, in order (also rendered into `html`). */
  messages: RichTextMessage[]
  /** Mind maps: the FreeMind-like XML map (`map`). */
  mindmapXml: string | null
  /** Every `/workspace/document/<uuid>` this content uses, resolved to archive files. */
  attachments: AttachmentRef[]
  shares: ShareGrant[]
  raw: unknown
  /** Timeline events: the dates the content is about (shown in the note, and its date). */
  period?: RichTextPeriod
}

/**
 * The dates a timeline event covers, as precise as the ENT states them: an event entered as a
 * year only has an arbitrary month and day behind it, which must not be shown.
 */
export interface RichTextPeriod {
  start: Date
  end: Date | null
  precision: 'year' | 'month' | 'day'
}

/** An ENT calendar (Agenda): becomes a Cozy calendar and an `.ics` file. */
export interface CalendarModel {
  type: 'calendar'
  app: string
  entId: string
  title: string
  color: string | null
  owner: EntPerson | null
  mine: boolean
  isDefault: boolean
  /** External (subscribed) calendars: the ICS link. */
  icsLink: string | null
  created: Date | null
  modified: Date | null
  shares: ShareGrant[]
  raw: unknown
}

export interface CalendarEventModel {
  type: 'event'
  app: string
  entId: string
  /** Calendars it belongs to (the ENT stores an array, older data a single string). */
  calendarIds: string[]
  title: string
  description: string | null
  location: string | null
  allDay: boolean
  start: Date | null
  end: Date | null
  /** The ENT recurrence object (`recurrence`) when the event repeats, else null. */
  recurrence: unknown | null
  /** The first event of a recurring series, for occurrences. */
  parentId: string | null
  owner: EntPerson | null
  mine: boolean
  created: Date | null
  modified: Date | null
  attachments: AttachmentRef[]
  shares: ShareGrant[]
  raw: unknown
}

/** A Messagerie folder (SQL table conversation.folders). */
export interface MailFolder {
  type: 'mail-folder'
  app: string
  entId: string
  name: string
  parentId: string | null
  trashed: boolean
  raw: unknown
}

export interface MailAttachment {
  entId: string
  name: string
  contentType: string | null
  size: number | null
  /** The binary under `Attachments/`, or null when missing (warned). */
  file: ArchiveFile | null
}

/** A Messagerie message, assembled from the conversation SQL tables. */
export interface MailMessage {
  type: 'mail'
  app: string
  entId: string
  subject: string
  html: string
  from: EntPerson | null
  to: EntPerson[]
  cc: EntPerson[]
  bcc: EntPerson[]
  date: Date | null
  /** Standard state (`SENT`, `DRAFT`…). */
  state: string | null
  /** Folder of the exporting user (null: inbox/outbox by state). */
  folderId: string | null
  trashed: boolean
  unread: boolean
  parentId: string | null
  threadId: string | null
  attachments: MailAttachment[]
  /**
   * Recipients the ENT removed since (deleted users and groups): their ids are gone, only the
   * names it kept remain (`fromName` of an emptied `from`, `toName`, `ccName`, `cciName`).
   */
  removed: { from: string | null; to: string[]; cc: string[]; bcc: string[] }
  /** Workspace documents the body shows or links (`/workspace/document/<id>`), from `Documents/`. */
  documents: AttachmentRef[]
  raw: unknown
}

/**
 * Anything whose format is unknown or not mapped (homeworks, schoolbook, apps that do not
 * exist yet, unexpected files, records too large to parse): kept so the importer can store it
 * as a file and name it in the report.
 */
export interface RawRecord {
  type: 'raw'
  app: string
  /** Collection/table when known, else null. */
  collection: string | null
  entId: string | null
  /** A name for the record (title, file name). */
  name: string
  /** The archive file it comes from (stream it out to keep it). */
  file: ArchiveFile | null
  /** The parsed JSON when it was parsed, else null (too large, malformed, not JSON). */
  data: unknown | null
  /** Why it is raw: `unknown-app`, `unknown-file`, `record-too-large`, `malformed-json`, `unmapped`. */
  reason: string
  shares: ShareGrant[]
}

/**
 * A binary stored in an app's folder (`Documents/`, `Attachments/`, exercizer files), yielded
 * once per file so that files no resource references are not lost.
 */
export interface StoredBinary {
  type: 'binary'
  app: string
  file: ArchiveFile
  /** Workspace document id taken from the file name (`<name>_<uuid><ext>`), if any. */
  documentId: string | null
  /** Whether some resource of the app points to it. */
  referenced: boolean
}

/** What an app reader yields, one at a time, in an order where parents come first. */
export type EntItem =
  | DocumentNode
  | ContentGroup
  | RichText
  | CalendarModel
  | CalendarEventModel
  | MailFolder
  | MailMessage
  | RawRecord
  | StoredBinary

/** True for items that become a Cozy document or folder (what `resources` counts). */
export function isResource(item: EntItem): boolean {
  return item.type !== 'binary'
}

/** ENT id → display name, for every person the archive names (owners, authors, mail peers). */
export type NameDirectory = ReadonlyMap<string, string>
