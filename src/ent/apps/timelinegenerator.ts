/**
 * Frise chronologique (format notes §7): `timeline_<headline>` timelines and `event_<headline>`
 * events, as OPEN-ENT-NG/timeline-generator writes them
 * (src/main/java/net/atos/entng/timelinegenerator/TimelineGeneratorRepositoryEvents.java: one
 * file per record named after its prefixed headline, `/` turned into `-`, `_<_id>` added on a
 * repeat). The event fields are those its front end saves (src/main/resources/public/ts/model.ts,
 * Event.toJSON): `startDate` and `endDate` as moment's ISO strings, `endDate` empty when the
 * event has none, `dateFormat` `year`/`month`/`day` (behaviours.ts; missing means `day`),
 * `img` a `/workspace/document/<id>` picture, `video` an external address.
 */
import { parseEntDate } from '../dates'
import { EntItem, RichTextPeriod } from '../models'
import { CollectionSpec, group, hasPrefixedFiles, idOf, Json, readMongoApp, richText, str, titleOf } from './common'
import { imageHtml, linkHtml } from './note-media'
import { AppReader } from './reader'

const PRECISIONS = new Set<RichTextPeriod['precision']>(['year', 'month', 'day'])

/** Years a file date can carry (toISOString breaks past 9999; the ENT's pickers never go there). */
function usable(date: Date | null): Date | null {
  if (!date) return null
  const year = date.getUTCFullYear()
  return year >= 1 && year <= 9999 ? date : null
}

export function eventPeriod(record: Json): RichTextPeriod | null {
  const start = usable(parseEntDate(record.startDate))
  if (!start) return null
  const format = str(record.dateFormat) as RichTextPeriod['precision'] | null
  const end = usable(parseEntDate(record.endDate))
  return { start, end: end && end.getTime() >= start.getTime() ? end : null, precision: format && PRECISIONS.has(format) ? format : 'day' }
}

/** The event's text, then its picture or its video, as the ENT shows them together. */
export function eventHtml(record: Json): string {
  const img = str(record.img)
  const video = str(record.video)
  return [str(record.text) ?? '', img ? imageHtml(img) : '', video ? linkHtml(video) : ''].filter(part => part.length > 0).join('\n')
}

/** The timeline's own text and picture, when it has any (the folder alone cannot show them). */
function timelineHtml(record: Json): string {
  const text = str(record.text) ?? ''
  // The editor leaves `<p><br></p>` and the like behind when the text is cleared.
  const hasText = /<img\b/i.test(text) || text.replace(/<[^>]*>|&nbsp;|\s/g, '').length > 0
  const icon = str(record.icon)
  return [hasText ? text : '', icon ? imageHtml(icon) : ''].filter(part => part.length > 0).join('\n')
}

const specs: CollectionSpec[] = [
  {
    collection: 'timelinegenerator',
    prefix: 'timeline_',
    order: 0,
    async convert(context, record, entId) {
      const title = titleOf(record, 'timeline_', ['headline', 'title'])
      const attachments = await context.attachments(record, `timeline ${entId}`)
      const items: EntItem[] = [group(context, record, entId, { collection: 'timelinegenerator', title, description: str(record.text), attachments })]
      const html = timelineHtml(record)
      if (html) {
        items.push(richText(context, record, entId, { collection: 'timelinegenerator', title, html, groupId: entId, position: -1, shareable: {}, attachments }))
      }
      return items
    }
  },
  {
    collection: 'timelinegeneratorevent',
    prefix: 'event_',
    order: 1,
    convert: async (context, record, entId) => [
      richText(context, record, entId, {
        collection: 'timelinegeneratorevent',
        title: titleOf(record, 'event_', ['headline', 'title']),
        html: eventHtml(record),
        groupId: idOf(record.timeline),
        period: eventPeriod(record),
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
