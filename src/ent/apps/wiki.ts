/** Cours et Wiki (format notes §7): one file per wiki (no prefix) with its pages embedded. */
import { EntItem, RichText } from '../models'
import { CollectionSpec, group, idOf, Json, num, readMongoApp, richText, str, titleOf } from './common'
import { AppReader } from './reader'

const specs: CollectionSpec[] = [
  {
    collection: 'wiki',
    prefix: null,
    order: 0,
    async convert(context, record, entId) {
      const items: EntItem[] = [group(context, record, entId, { collection: 'wiki', title: titleOf(record, null), attachments: await context.attachments({ thumbnail: record.thumbnail }, `wiki ${entId}`) })]
      const pages = Array.isArray(record.pages) ? (record.pages as unknown[]) : []
      for (const [index, value] of pages.entries()) {
        if (!value || typeof value !== 'object') continue
        const page = value as Json
        const pageId = idOf(page._id) ?? `${entId}#${index}`
        const item: RichText = richText(context, page, pageId, {
          collection: 'wiki.pages',
          title: str(page.title) ?? '',
          groupId: entId,
          position: num(page.position) ?? index,
          author: context.person(page.author, page.authorName),
          state: page.isVisible === false ? 'HIDDEN' : null,
          shareable: {},
          attachments: await context.attachments(page, `wiki page ${pageId}`)
        })
        items.push(item)
      }
      return items
    }
  }
]

export const wikiReader: AppReader = {
  app: 'wiki',
  folderNames: ['Cours et Wiki', 'Lecture and Wiki', 'Wiki'],
  sniffRecord: record =>
    Array.isArray(record.pages) && !('subTitle' in record) && !('landingPage' in record) && (record.pages as Json[]).every(p => p && typeof p === 'object' && !('layers' in p) && !('rows' in p)),
  read: context => readMongoApp(context, specs)
}
