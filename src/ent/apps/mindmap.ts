/** Carte mentale (format notes §7): one file per map, named after `name`, the map as XML in `map`. */
import { CollectionSpec, readMongoApp, richText, str, titleOf } from './common'
import { AppReader } from './reader'

const specs: CollectionSpec[] = [
  {
    collection: 'mindmap',
    prefix: null,
    order: 0,
    convert: async (context, record, entId) => [
      richText(context, record, entId, {
        collection: 'mindmap',
        title: titleOf(record, null, ['name', 'title']),
        html: str(record.description) ?? '',
        mindmapXml: str(record.map),
        attachments: await context.attachments(record, `mind map ${entId}`)
      })
    ]
  }
]

export const mindmapReader: AppReader = {
  app: 'mindmap',
  folderNames: ['Carte mentale', 'Mindmap'],
  sniffRecord: record => typeof record.map === 'string' && record.map.includes('<map'),
  read: context => readMongoApp(context, specs)
}
