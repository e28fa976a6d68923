/** Frise chronologique (format notes §7): `timeline_<headline>` timelines and `event_<headline>` events. */
import { CollectionSpec, group, hasPrefixedFiles, idOf, readMongoApp, richText, str, titleOf } from './common'
import { AppReader } from './reader'

const specs: CollectionSpec[] = [
  {
    collection: 'timelinegenerator',
    prefix: 'timeline_',
    order: 0,
    convert: async (context, record, entId) => [
      group(context, record, entId, {
        collection: 'timelinegenerator',
        title: titleOf(record, 'timeline_', ['headline', 'title']),
        description: str(record.text),
        attachments: await context.attachments(record, `timeline ${entId}`)
      })
    ]
  },
  {
    collection: 'timelinegeneratorevent',
    prefix: 'event_',
    order: 1,
    convert: async (context, record, entId) => [
      richText(context, record, entId, {
        collection: 'timelinegeneratorevent',
        title: titleOf(record, 'event_', ['headline', 'title']),
        html: str(record.text) ?? '',
        groupId: idOf(record.timeline),
        shareable: {},
        attachments: await context.attachments(record, `timeline event ${entId}`)
      })
    ]
  }
]

export const timelinegeneratorReader: AppReader = {
  app: 'timelinegenerator',
  folderNames: ['Frise chronologique', 'Timeline generator'],
  sniff: folder => hasPrefixedFiles(folder.files, ['timeline_', 'event_']),
  read: context => readMongoApp(context, specs)
}
