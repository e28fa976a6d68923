/**
 * Messagerie (conversation, SQL; format notes §7): folders, messages, the exporting user's
 * view of each message (folder, trashed, unread), attachments and their binaries under
 * `Attachments/<name>_<attachmentId><ext>`. Recipients are ENT ids; `displayNames` gives names.
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

async function* readConversation(context: AppContext): AsyncIterable<EntItem> {
  const mine = new Map<string, Json>()
  const attachments = new Map<string, Json>()
  const messageAttachments = new Map<string, string[]>()
  const binaries = new Map<string, FolderFile>()
  for (const file of context.folder.files) {
    if (!file.rel.startsWith('Attachments/')) continue
    const name = baseName(file.rel)
    const m = /_([^_]+?)(\.[^.]*)?$/.exec(name)
    if (m) binaries.set(m[1].toLowerCase(), file)
  }

  const people = (ids: unknown, names: unknown): EntPerson[] => {
    const nameList = list(names)
    return list(ids)
      .map((id, i) => context.person(idOf(id), typeof nameList[i] === 'string' ? nameList[i] : undefined))
      .filter((p): p is EntPerson => !!p)
  }

  yield* readSqlApp(
    context,
    'conversation',
    [
      {
        table: 'usermessages',
        read: async rows => {
          for await (const row of rows) {
            const id = idOf(row.message_id)
            if (id && (!context.userId || row.user_id === context.userId || !mine.has(id))) mine.set(id, row)
          }
        }
      },
      {
        table: 'attachments',
        read: async rows => {
          for await (const row of rows) {
            const id = idOf(row.id)
            if (id) attachments.set(id, row)
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
            const ids = messageAttachments.get(messageId) ?? []
            if (!ids.includes(attachmentId)) ids.push(attachmentId)
            messageAttachments.set(messageId, ids)
          }
        }
      },
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
            if (!id) continue
            for (const entry of list(row.displayNames)) {
              if (typeof entry !== 'string') continue
              const [personId, name] = entry.split('$')
              if (personId && name) context.person(personId, name)
            }
            const view = mine.get(id)
            const files: MailAttachment[] = (messageAttachments.get(id) ?? []).map(attachmentId => {
              const meta = attachments.get(attachmentId) ?? {}
              const binary = binaries.get(attachmentId.toLowerCase())
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
            const message: MailMessage = {
              type: 'mail',
              app: context.app,
              entId: id,
              subject: str(row.subject) ?? '',
              html: str(row.body) ?? '',
              from: context.person(idOf(row.from), row.fromName),
              to: people(row.to, row.toName),
              cc: people(row.cc, row.ccName),
              bcc: people(row.cci, row.cciName),
              date: parseEntDate(typeof row.date === 'string' && /^\d+$/.test(row.date) ? Number(row.date) : row.date),
              state: str(row.state),
              folderId: view ? idOf(view.folder_id) : null,
              trashed: view?.trashed === true,
              unread: view?.unread === true,
              parentId: idOf(row.parent_id),
              threadId: idOf(row.thread_id),
              attachments: files,
              raw: row
            }
            yield message
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
  folderNames: ['Messagerie', 'Messaging'],
  sniff: folder => folder.files.some(f => f.rel.startsWith('conversation.')),
  isBinary,
  read: readConversation
}
