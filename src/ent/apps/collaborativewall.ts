/** Mur collaboratif (format notes §7): `wall_<name>` walls and `note_<id>` notes (with `idwall`). */
import { CollectionSpec, group, hasPrefixedFiles, idOf, num, readMongoApp, richText, str, titleOf } from './common'
import { AppReader } from './reader'

/** A note has no title: its first words stand in. */
function noteTitle(html: string | null): string {
  const text = (html ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim()
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}

const specs: CollectionSpec[] = [
  {
    collection: 'collaborativewall',
    prefix: 'wall_',
    order: 0,
    convert: async (context, record, entId) => [
      group(context, record, entId, { collection: 'collaborativewall', title: titleOf(record, 'wall_', ['name', 'title']), attachments: await context.attachments(record, `wall ${entId}`) })
    ]
  },
  {
    collection: 'collaborativewall.notes',
    prefix: 'note_',
    order: 1,
    convert: async (context, record, entId) => [
      richText(context, record, entId, {
        collection: 'collaborativewall.notes',
        title: noteTitle(str(record.content)),
        groupId: idOf(record.idwall),
        position: num(record.y),
        shareable: {},
        attachments: await context.attachments(record, `note ${entId}`)
      })
    ]
  }
]

export const collaborativewallReader: AppReader = {
  app: 'collaborativewall',
  folderNames: ['Mur Collaboratif', 'Collaborative wall'],
  sniff: folder => hasPrefixedFiles(folder.files, ['wall_', 'note_']),
  read: context => readMongoApp(context, specs)
}
