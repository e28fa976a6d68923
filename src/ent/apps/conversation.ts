/**
 * Messagerie (conversation, SQL; format notes §7): folders, messages, the exporting user's
 * view of each message (folder, trashed, unread), attachments and their binaries under
 * `Attachments/<name>_<attachmentId><ext>`, and the workspace documents the bodies show or link,
 * copied to `Documents/<name>_<id><ext>`. Recipients are ENT ids; `displayNames` gives names.
 *
 * Read from edificeio/entcore (conversation module):
 * - backend/.../service/impl/ConversationRepositoryEvents.java: the tables exported for the
 *   user; deleteUsers/deleteGroups, which take a removed recipient out of `to`/`cc`, append its
 *   name to `toName`/`ccName` and drop its `displayNames` entry (a removed sender: `from`
 *   emptied, its name in `fromName`). So `toName`/`ccName` are not parallel to `to`/`cc`.
 * - backend/.../service/impl/Neo4jConversationService.java (addDisplayNames): each entry is
 *   `id$displayName$name$groupDisplayName`, a blank field written as one space.
 * - backend/.../util/DecodedDisplayName.java: an entry is a group's when its third field is set.
 * - backend/.../util/MessageUtil.java (computeUsersAndGroupsDisplayNames): the Bcc list is shown
 *   to the sender only; another reader sees at most himself in it.
 * - backend/src/main/resources/sql/001-conversation-schema.sql, 010-conversation-thread.sql
 *   (`thread_id` is the id of the thread's first message), 013-conversation-cci.sql.
 * - common SqlRepositoryEvents.exportTables → AbstractRepositoryEvents.exportDocumentsDependancies
 *   (now in edificeio/edifice-entcore-libs): documents the rows point to go to `Documents/`.
 */
import { parseEntDate } from '../dates'
import { EntItem, EntPerson, MailAttachment, MailFolder, MailMessage } from '../models'
import { baseName } from '../paths'
import { idOf, Json, num, readSqlApp, str } from './common'
import { AppContext, AppReader, FolderFile } from './reader'

const isBinary = (rel: string): boolean => rel.startsWith('Attachments/') || rel.startsWith('Documents/')

/** JSON columns come as strings (`'["id1","id2"]'`) or arrays. */
function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value)
      return Array.isArray(parsed) ? parsed : []
    } catch {
      return []
    }
  }
  return typeof value === 'string' && value.length > 0 ? [value] : []
}

/** A decoded `displayNames` entry: a user's display name, or a group's (its own display name, else its ENT name). */
export interface DisplayName {
  id: string
  name: string
  group: boolean
}

export function decodeDisplayName(entry: unknown): DisplayName | null {
  if (typeof entry !== 'string') return null
  const parts = entry.split('$').map(p => p.trim())
  // The ENT skips entries that are not four fields; older ones may lack the trailing group fields.
  if (parts.length < 2 || parts.length > 4 || !parts[0]) return null
  const [id, displayName, groupName = '', groupDisplayName = ''] = parts
  if (groupName) {
    // A group's own display name, unless it is an i18n key the ENT words from the group's name.
    const own = groupDisplayName && !/^group\.\w+$/.test(groupDisplayName) ? groupDisplayName : null
    return { id, name: own ?? groupName, group: true }
  }
  return displayName ? { id, name: displayName, group: false } : null
}

/**
 * Names kept for recipients removed since. A name equal to a present recipient's is left out:
 * a column that does list present recipients would otherwise show them twice.
 */
function removedNames(value: unknown, present: EntPerson[]): string[] {
  const kept = new Set(present.map(p => p.name).filter((n): n is string => !!n))
  return list(value)
    .filter((n): n is string => typeof n === 'string')
    .map(n => n.trim())
    .filter(n => n.length > 0 && !kept.has(n))
}

/** What the tables read before `messages` tell about each message. */
interface ConversationIndex {
  /** The exporting user's view of each message (folder, trashed, unread). */
  mine: Map<string, Json>
  attachments: Map<string, Json>
  messageAttachments: Map<string, string[]>
  /** Attachment binaries by their lower-cased id. */
  binaries: Map<string, FolderFile>
}

function indexBinaries(context: AppContext): Map<string, FolderFile> {
  const binaries = new Map<string, FolderFile>()
  for (const file of context.folder.files) {
    if (!file.rel.startsWith('Attachments/')) continue
    const name = baseName(file.rel)
    const m = /_([^_]+?)(\.[^.]*)?$/.exec(name)
    if (m) binaries.set(m[1].toLowerCase(), file)
  }
  return binaries
}

/** Every id of the column, in order, once; names from the message's own entries, else from the archive. */
function recipients(context: AppContext, ids: unknown, names: Map<string, DisplayName>): EntPerson[] {
  const seen = new Set<string>()
  const out: EntPerson[] = []
  for (const value of list(ids)) {
    const id = idOf(value)
    if (!id || seen.has(id)) continue
    seen.add(id)
    const person = context.person(id, names.get(id)?.name)
    if (person) out.push(person)
  }
  return out
}

function messageFiles(context: AppContext, index: ConversationIndex, id: string): MailAttachment[] {
  return (index.messageAttachments.get(id) ?? []).map(attachmentId => {
    const meta = index.attachments.get(attachmentId) ?? {}
    const binary = index.binaries.get(attachmentId.toLowerCase())
    if (binary) context.reference(binary.rel)
    else context.warn('missing-binary', `conversation: attachment ${attachmentId} of message ${id} is not under Attachments/.`, `${context.folder.name}/Attachments`)
    return {
      entId: attachmentId,
      name: str(meta.filename) ?? str(meta.name) ?? attachmentId,
      contentType: str(meta.contentType),
      size: num(meta.size),
      file: binary?.file ?? null
    }
  })
}

async function mailOf(context: AppContext, index: ConversationIndex, id: string, row: Json): Promise<MailMessage> {
  const names = new Map<string, DisplayName>()
  for (const entry of list(row.displayNames)) {
    const decoded = decodeDisplayName(entry)
    if (decoded && !names.has(decoded.id)) names.set(decoded.id, decoded)
  }
  const view = index.mine.get(id)
  const files = messageFiles(context, index, id)
  const fromId = idOf(row.from)
  const from = fromId ? context.person(fromId, names.get(fromId)?.name ?? row.fromName) : null
  const to = recipients(context, row.to, names)
  const cc = recipients(context, row.cc, names)
  // What the ENT shows a reader who did not send the message: himself at most.
  const seesBcc = !context.userId || from?.entId === context.userId
  const bcc = recipients(context, row.cci, names).filter(p => seesBcc || p.entId === context.userId)
  return {
    type: 'mail',
    app: context.app,
    entId: id,
    subject: str(row.subject) ?? '',
    html: str(row.body) ?? '',
    from,
    to,
    cc,
    bcc,
    date: parseEntDate(typeof row.date === 'string' && /^\d+$/.test(row.date) ? Number(row.date) : row.date),
    state: str(row.state),
    folderId: view ? idOf(view.folder_id) : null,
    trashed: view?.trashed === true,
    unread: view?.unread === true,
    parentId: idOf(row.parent_id),
    threadId: idOf(row.thread_id),
    attachments: files,
    removed: {
      from: from ? null : str(row.fromName)?.trim() || null,
      to: removedNames(row.toName, to),
      cc: removedNames(row.ccName, cc),
      bcc: seesBcc ? removedNames(row.cciName, bcc) : []
    },
    documents: await context.attachments(row.body, `message ${id}`),
    raw: row
  }
}

type SqlTables = Parameters<typeof readSqlApp>[2]

/** The tables that index what messages refer to (read first, as the export orders them). */
function indexTables(context: AppContext, index: ConversationIndex): SqlTables {
  return [
    {
      table: 'usermessages',
      read: async rows => {
        for await (const row of rows) {
          const id = idOf(row.message_id)
          if (id && (!context.userId || row.user_id === context.userId || !index.mine.has(id))) index.mine.set(id, row)
        }
      }
    },
    {
      table: 'attachments',
      read: async rows => {
        for await (const row of rows) {
          const id = idOf(row.id)
          if (id) index.attachments.set(id, row)
        }
      }
    },
    {
      table: 'usermessagesattachments',
      read: async rows => {
        for await (const row of rows) {
          const messageId = idOf(row.message_id)
          const attachmentId = idOf(row.attachment_id)
          if (!messageId || !attachmentId) continue
          const ids = index.messageAttachments.get(messageId) ?? []
          if (!ids.includes(attachmentId)) ids.push(attachmentId)
          index.messageAttachments.set(messageId, ids)
        }
      }
    }
  ]
}

async function* readConversation(context: AppContext): AsyncIterable<EntItem> {
  const index: ConversationIndex = { mine: new Map(), attachments: new Map(), messageAttachments: new Map(), binaries: indexBinaries(context) }
  yield* readSqlApp(
    context,
    'conversation',
    [
      ...indexTables(context, index),
      {
        table: 'folders',
        read: async function* (rows) {
          for await (const row of rows) {
            const id = idOf(row.id)
            if (!id) continue
            const folder: MailFolder = { type: 'mail-folder', app: context.app, entId: id, name: str(row.name) ?? id, parentId: idOf(row.parent_id), trashed: row.trashed === true, raw: row }
            yield folder
          }
        }
      },
      {
        table: 'messages',
        read: async function* (rows) {
          for await (const row of rows) {
            const id = idOf(row.id)
            if (id) yield await mailOf(context, index, id, row)
          }
        }
      }
    ],
    isBinary
  )
  yield* context.binaries('Attachments/')
  yield* context.binaries('Documents/')
}

export const conversationReader: AppReader = {
  app: 'conversation',
  labelKey: 'conversation',
  cozyFolder: 'Messagerie',
  // Mails carry their attachments base64-encoded (4/3) inside the .eml.
  sizeFactor: 1.4,
  needs: ['workspace-documents'],
  folderNames: ['Messagerie', 'Messaging'],
  sniff: folder => folder.files.some(f => f.rel.startsWith('conversation.')),
  isBinary,
  read: readConversation
}
