/**
 * Websites of Pages and Communautés (format notes §7): one file per website (no prefix),
 * pages embedded with rows of cells whose `media` is text, an image, a video or a link.
 */
import { EntItem } from '../models'
import { CollectionSpec, group, idOf, Json, num, richText, str, titleOf } from './common'

function escapeAttribute(text: string): string {
  return text.replace(/[&"<>]/g, c => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c] as string)
}

/** Renders a media block (`{type, source}` or `{type, src}`) as HTML. */
export function mediaHtml(media: unknown): string {
  if (!media || typeof media !== 'object') return ''
  const m = media as Json
  const source = str(m.source) ?? str(m.src) ?? ''
  switch (m.type) {
    case 'text':
      return source
    case 'image':
      return `<p><img src="${escapeAttribute(source)}" alt=""></p>`
    case 'video':
    case 'sound':
    case 'audio':
      return `<p><a href="${escapeAttribute(source)}">${escapeAttribute(source)}</a></p>`
    default:
      return source ? `<p><a href="${escapeAttribute(source)}">${escapeAttribute(source)}</a></p>` : ''
  }
}

function pageHtml(page: Json): string {
  const rows = Array.isArray(page.rows) ? (page.rows as Json[]) : []
  return rows
    .map(row => (Array.isArray(row?.cells) ? (row.cells as Json[]) : []).map(cell => mediaHtml(cell?.media)).join('\n'))
    .join('\n')
}

export function websiteSpecs(collection: string): CollectionSpec[] {
  return [
    {
      collection,
      prefix: null,
      order: 0,
      async convert(context, record, entId) {
        const items: EntItem[] = [group(context, record, entId, { collection, title: titleOf(record, null), attachments: await context.attachments({ icon: record.icon, thumbnail: record.thumbnail }, `website ${entId}`) })]
        const pages = Array.isArray(record.pages) ? (record.pages as unknown[]) : []
        for (const [index, value] of pages.entries()) {
          if (!value || typeof value !== 'object') continue
          const page = value as Json
          const pageId = idOf(page._id) ?? `${entId}#${index}`
          items.push(
            richText(context, page, pageId, {
              collection: `${collection}.pages`,
              title: str(page.title) ?? '',
              html: pageHtml(page),
              groupId: entId,
              position: num(page.index) ?? index,
              author: null,
              state: page.published === false ? 'UNPUBLISHED' : null,
              shareable: {},
              attachments: await context.attachments(page, `website page ${pageId}`)
            })
          )
        }
        return items
      }
    }
  ]
}

export function isWebsite(record: Json): boolean {
  return Array.isArray(record.pages) && ('landingPage' in record || 'referencedResources' in record || (record.pages as Json[]).some(p => p && typeof p === 'object' && 'rows' in p))
}
