/**
 * Agenda → one `.ics` file per calendar (RFC 5545, written by the `ics` package), beside the
 * io.cozy.calendar.events documents, so the calendar opens in any calendar application.
 */
import { createEvents, type DateArray, type EventAttributes } from 'ics'
import type { CalendarEventModel } from '../ent/node'

/** The compact form kept per event until the calendar's file is written. */
export type IcsEvent = EventAttributes

function utcArray(date: Date): DateArray {
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes()]
}

function dayArray(date: Date): DateArray {
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]
}

/** The ics attributes of an event, or null when it has no start date (reported, not written). */
export function icsEvent(event: CalendarEventModel): IcsEvent | null {
  if (!event.start) return null
  const end = event.end && event.end.getTime() > event.start.getTime() ? event.end : null
  const base = {
    uid: `${event.entId}@ent.invalid`,
    title: event.title,
    description: event.description ?? undefined,
    location: event.location ?? undefined,
    created: event.created ? utcArray(event.created) : undefined,
    lastModified: event.modified ? utcArray(event.modified) : undefined,
    productId: 'mes-donnees/ent-import',
    // DTSTAMP from the event itself, not the clock: the same archive gives the same file.
    timestamp: (event.modified ?? event.created ?? event.start).getTime()
  }
  if (event.allDay) {
    const endDay = end ? dayArray(end) : dayArray(new Date(event.start.getTime() + 86_400_000))
    return { ...base, start: dayArray(event.start), end: endDay }
  }
  return {
    ...base,
    start: utcArray(event.start),
    startInputType: 'utc',
    startOutputType: 'utc',
    ...(end ? { end: utcArray(end), endInputType: 'utc' as const, endOutputType: 'utc' as const } : { duration: { hours: 1 } })
  }
}

/** The text of a calendar's `.ics` file. */
export function calendarIcs(title: string, events: IcsEvent[]): string {
  const { error, value } = createEvents(events, { productId: 'mes-donnees/ent-import', calName: title })
  if (error || value === undefined) throw error ?? new Error('ics: no output')
  return value
}
