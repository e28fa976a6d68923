/**
 * Actualités (news, SQL; format notes §7): `actualites.thread` (threads become groups),
 * `actualites.info` (news items become rich texts), `actualites.info_revision` (kept with
 * their news item in `raw.revisions`). Shares and comments are not in the export.
 */
import { EntItem } from '../models'
import { group, idOf, Json, readSqlApp, richText, str } from './common'
import { AppContext, AppReader } from './reader'

const STATUS: Record<string, string> = { '0': 'TRASH', '1': 'DRAFT', '2': 'PENDING', '3': 'PUBLISHED' }

async function* readActualites(context: AppContext): AsyncIterable<EntItem> {
  const revisions = new Map<string, Json[]>()
  yield* readSqlApp(context, 'actualites', [
    {
      table: 'info_revision',
      read: async rows => {
        for await (const row of rows) {
          const infoId = idOf(row.info_id)
          if (!infoId) continue
          const list = revisions.get(infoId) ?? []
          list.push(row)
          revisions.set(infoId, list)
        }
      }
    },
    {
      table: 'thread',
      read: async function* (rows) {
        for await (const row of rows) {
          const id = idOf(row.id)
          if (!id) continue
          yield group(context, row, id, { collection: 'actualites.thread', title: str(row.title) ?? '', attachments: await context.attachments(row, `thread ${id}`) })
        }
      }
    },
    {
      table: 'info',
      read: async function* (rows) {
        for await (const row of rows) {
          const id = idOf(row.id)
          if (!id) continue
          const raw = { ...row, revisions: revisions.get(id) ?? [] }
          const item = richText(context, raw, id, {
            collection: 'actualites.info',
            title: str(row.title) ?? '',
            groupId: idOf(row.thread_id),
            state: STATUS[String(row.status)] ?? (row.status === null || row.status === undefined ? null : String(row.status)),
            attachments: await context.attachments(raw, `news item ${id}`)
          })
          yield item
        }
      }
    }
  ])
  yield* context.binaries()
}

export const actualitesReader: AppReader = {
  app: 'actualites',
  labelKey: 'actualites',
  cozyFolder: 'Actualités',
  needs: ['workspace-documents'],
  folderNames: ['Actualites', 'News'],
  sniff: folder => folder.files.some(f => f.rel.startsWith('actualites.')),
  read: readActualites
}
