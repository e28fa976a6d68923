/**
 * Exercices (exercizer, SQL; format notes §7): folders become groups, subjects rich texts;
 * grains and subject documents stay with their subject in `raw`. Stored files sit under
 * `<fileId>/<fileId>`. Shares are not in the export.
 *
 * Read from OPEN-ENT-NG/exercizer ExercizerRepositoryEvents (the subject query exports `sub.*`)
 * and sql/001-exercizer.sql (`subject.is_deleted BOOL`): a subject the user deleted stays in the
 * table with `is_deleted` true, the app's trash. Such subjects carry the state `DELETED`, which
 * the planner treats like the workspace trash (imported only when the trash is ticked).
 */
import { EntItem } from '../models'
import { group, idOf, Json, readSqlApp, richText, str } from './common'
import { AppContext, AppReader } from './reader'

const isBinary = (rel: string): boolean => rel.includes('/')

/** A BOOL column as the SQL exporter writes it (JSON true), or Postgres' text form from older dumps. */
export function isDeleted(value: unknown): boolean {
  return value === true || value === 't' || value === 'true'
}

async function* readExercizer(context: AppContext): AsyncIterable<EntItem> {
  const grains = new Map<string, Json[]>()
  const documents = new Map<string, Json[]>()
  const collect = (into: Map<string, Json[]>) =>
    async (rows: AsyncIterable<Json>): Promise<void> => {
      for await (const row of rows) {
        const subjectId = idOf(row.subject_id)
        if (!subjectId) continue
        const list = into.get(subjectId) ?? []
        list.push(row)
        into.set(subjectId, list)
      }
    }
  yield* readSqlApp(
    context,
    'exercizer',
    [
      { table: 'grain', read: collect(grains) },
      { table: 'subject_document', read: collect(documents) },
      {
        table: 'folder',
        read: async function* (rows) {
          for await (const row of rows) {
            const id = idOf(row.id)
            if (id) yield group(context, row, id, { collection: 'exercizer.folder', title: str(row.label) ?? '', parentId: idOf(row.parent_folder_id) })
          }
        }
      },
      {
        table: 'subject',
        read: async function* (rows) {
          for await (const row of rows) {
            const id = idOf(row.id)
            if (!id) continue
            const raw = { ...row, grains: grains.get(id) ?? [], documents: documents.get(id) ?? [] }
            for (const doc of raw.documents) {
              const docId = idOf(doc.doc_id)
              if (docId) context.reference(`${docId}/${docId}`)
            }
            yield richText(context, raw, id, {
              collection: 'exercizer.subject',
              title: str(row.title) ?? '',
              html: str(row.description) ?? '',
              groupId: idOf(row.folder_id),
              author: context.person(row.owner, row.owner_username),
              state: isDeleted(row.is_deleted) ? 'DELETED' : null,
              attachments: await context.attachments(raw, `subject ${id}`)
            })
          }
        }
      }
    ],
    isBinary
  )
  yield* context.binaries('Documents/')
  for (const binary of context.binaries('')) if (!binary.file.path.includes('/Documents/') && isBinary(binary.file.path.slice(context.folder.name.length + 1))) yield binary
}

export const exercizerReader: AppReader = {
  app: 'exercizer',
  folderNames: ['Exercices', 'Exercizer'],
  sniff: folder => folder.files.some(f => f.rel.startsWith('exercizer.')),
  isBinary,
  read: readExercizer
}
