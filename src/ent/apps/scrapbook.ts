/**
 * Cahier multimédia (scrapbook; format notes §7, known from the real sample only): one file per
 * scrapbook named after its title, pages embedded, each page a stack of positioned layers
 * whose `media` is text (HTML) or an image (`/workspace/document/<id>`).
 */
import { EntItem } from '../models'
import { CollectionSpec, group, idOf, Json, readMongoApp, richText, str, titleOf } from './common'
import { AppReader } from './reader'
import { mediaHtml } from './website'

function layersHtml(page: Json): string {
  const layers = Array.isArray(page.layers) ? (page.layers as Json[]) : []
  return [...layers]
    .filter(l => l && typeof l === 'object')
    .sort((a, b) => (Number(a.y) || 0) - (Number(b.y) || 0) || (Number(a.x) || 0) - (Number(b.x) || 0))
    .map(l => mediaHtml(l.media))
    .filter(html => html.length > 0)
    .join('\n')
}

const specs: CollectionSpec[] = [
  {
    collection: 'scrapbook',
    prefix: null,
    order: 0,
    async convert(context, record, entId) {
      const items: EntItem[] = [
        group(context, record, entId, {
          collection: 'scrapbook',
          title: titleOf(record, null),
          description: str(record.subTitle),
          attachments: await context.attachments({ icon: record.icon }, `scrapbook ${entId}`)
        })
      ]
      const pages = Array.isArray(record.pages) ? (record.pages as unknown[]) : []
      for (const [index, value] of pages.entries()) {
        if (!value || typeof value !== 'object') continue
        const page = value as Json
        const pageId = idOf(page._id) ?? `${entId}#${index}`
        items.push(
          richText(context, page, pageId, {
            collection: 'scrapbook.pages',
            title: str(page.title) ?? `Page ${index + 1}`,
            html: layersHtml(page),
            groupId: entId,
            position: index,
            author: context.person(page.author),
            shareable: {},
            attachments: await context.attachments(page, `scrapbook page ${pageId}`)
          })
        )
      }
      return items
    }
  }
]

export const scrapbookReader: AppReader = {
  app: 'scrapbook',
  labelKey: 'scrapbook',
  cozyFolder: 'Cahier multimédia',
  needs: ['workspace-documents'],
  folderNames: ['Cahier multimedia', 'Multimedia notebook'],
  sniffRecord: record => Array.isArray(record.pages) && ('subTitle' in record || (record.pages as Json[]).some(p => p && typeof p === 'object' && 'layers' in p)),
  read: context => readMongoApp(context, specs)
}
