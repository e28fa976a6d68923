/**
 * Agenda (format notes §7): `cal_<title>` calendars and `ev_<title>` events. `calendar` is an
 * array of calendar ids (older data: one string); `allday`, `recurrence`/`isRecurrent`.
 *
 * Read from OPEN-ENT-NG/calendar event/CalendarRepositoryEvents (calendars and their events,
 * titles prefixed) and ical/ICalHandler (`startMoment`/`endMoment` in UTC
 * `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, `allday`, `location`, `description`). The description is
 * kept as stored, HTML from the rich editor or older plain text: the writers choose its form.
 */
import { parseEntDate } from '../dates'
import { CalendarEventModel, CalendarModel } from '../models'
import { CollectionSpec, hasPrefixedFiles, idOf, ownerOf, readMongoApp, str, titleOf } from './common'
import { AppReader } from './reader'

const specs: CollectionSpec[] = [
  {
    collection: 'calendar',
    prefix: 'cal_',
    order: 0,
    async convert(context, record, entId) {
      const owner = ownerOf(context, record)
      const calendar: CalendarModel = {
        type: 'calendar',
        app: context.app,
        entId,
        title: titleOf(record, 'cal_'),
        color: str(record.color),
        owner,
        mine: context.mine(owner?.entId),
        isDefault: record.is_default === true,
        icsLink: str(record.icsLink),
        created: parseEntDate(record.created),
        modified: parseEntDate(record.modified),
        shares: context.shares(entId, record.shared),
        raw: record
      }
      return [calendar]
    }
  },
  {
    collection: 'calendarevent',
    prefix: 'ev_',
    order: 1,
    async convert(context, record, entId) {
      const owner = ownerOf(context, record)
      const calendars = Array.isArray(record.calendar) ? record.calendar.map(idOf).filter((id): id is string => !!id) : [idOf(record.calendar)].filter((id): id is string => !!id)
      const repeats = record.isRecurrent === true || (!!record.recurrence && typeof record.recurrence === 'object' && Object.keys(record.recurrence).length > 0 && record.isRecurrent !== false)
      const event: CalendarEventModel = {
        type: 'event',
        app: context.app,
        entId,
        calendarIds: calendars,
        title: titleOf(record, 'ev_'),
        description: str(record.description),
        location: str(record.location),
        allDay: record.allday === true || record.allDay === true,
        start: parseEntDate(record.startMoment),
        end: parseEntDate(record.endMoment),
        recurrence: repeats ? record.recurrence ?? null : null,
        parentId: idOf(record.parentId),
        owner,
        mine: context.mine(owner?.entId),
        created: parseEntDate(record.created),
        modified: parseEntDate(record.modified),
        attachments: await context.attachments(record, `event ${entId}`),
        shares: context.shares(entId, record.shared),
        raw: record
      }
      return [event]
    }
  }
]

export const calendarReader: AppReader = {
  app: 'calendar',
  folderNames: ['Agenda', 'Calendar'],
  sniff: folder => hasPrefixedFiles(folder.files, ['cal_', 'ev_']),
  read: context => readMongoApp(context, specs)
}
