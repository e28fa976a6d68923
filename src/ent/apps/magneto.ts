/** Magneto (format notes §7): `folder_`, `board_`, `section_` (groups) and `card_` (rich texts) owned by the user. */
import { CollectionSpec, group, hasPrefixedFiles, idOf, Json, num, readMongoApp, richText, str, titleOf } from './common'
import { AppContext, AppReader } from './reader'

/** Magneto stores `ownerId`/`ownerName` rather than an `owner` object. */
function withOwner(record: Json): Json {
  return record.owner || !record.ownerId ? record : { ...record, owner: { userId: record.ownerId, displayName: record.ownerName } }
}

function groupSpec(collection: string, prefix: string, order: number, parentField: string): CollectionSpec {
  return {
    collection,
    prefix,
    order,
    convert: async (context: AppContext, record, entId) => [
      group(context, withOwner(record), entId, {
        collection,
        title: titleOf(record, prefix),
        parentId: idOf(record[parentField]),
        attachments: await context.attachments(record, `${collection} ${entId}`)
      })
    ]
  }
}

const specs: CollectionSpec[] = [
  groupSpec('magneto.folders', 'folder_', 0, 'parentId'),
  groupSpec('magneto.boards', 'board_', 1, 'folderId'),
  groupSpec('magneto.sections', 'section_', 2, 'boardId'),
  {
    collection: 'magneto.cards',
    prefix: 'card_',
    order: 3,
    convert: async (context, record, entId) => [
      richText(context, withOwner(record), entId, {
        collection: 'magneto.cards',
        title: titleOf(record, 'card_'),
        html: str(record.description) ?? str(record.content) ?? '',
        groupId: idOf(record.boardId),
        position: num(record.index),
        shareable: record,
        attachments: await context.attachments(record, `card ${entId}`)
      })
    ]
  }
]

export const magnetoReader: AppReader = {
  app: 'magneto',
  labelKey: 'magneto',
  cozyFolder: 'Magneto',
  needs: ['workspace-documents'],
  folderNames: ['Magneto'],
  sniff: folder => hasPrefixedFiles(folder.files, ['board_', 'card_', 'section_']),
  read: context => readMongoApp(context, specs)
}
