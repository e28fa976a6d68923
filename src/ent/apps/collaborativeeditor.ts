/** Pad (collaborative editor; format notes §7): one record per pad, its HTML under `Pad_<epName>`. */
import { CollectionSpec, readMongoApp, richText, str, titleOf } from './common'
import { AppReader } from './reader'

function padHtml(record: Record<string, unknown>): string {
  for (const [key, value] of Object.entries(record)) {
    if (!key.startsWith('Pad_')) continue
    if (typeof value === 'string') return value
    if (value && typeof value === 'object' && typeof (value as { html?: unknown }).html === 'string') return (value as { html: string }).html
  }
  return ''
}

const specs: CollectionSpec[] = [
  {
    collection: 'collaborativeeditor',
    prefix: null,
    order: 0,
    convert: async (context, record, entId) => [
      richText(context, record, entId, {
        collection: 'collaborativeeditor',
        title: titleOf(record, null),
        html: padHtml(record) || (str(record.description) ?? ''),
        attachments: await context.attachments(record, `pad ${entId}`)
      })
    ]
  }
]

export const collaborativeeditorReader: AppReader = {
  app: 'collaborativeeditor',
  folderNames: ['Pad', 'Collaborative Pad', 'Collaborative Editor'],
  sniffRecord: record => typeof record.epName === 'string',
  read: context => readMongoApp(context, specs)
}
