/**
 * Agenda → one `.ics` file per calendar (RFC 5545, written by the `ics` package), beside the
 * io.cozy.calendar.events documents, so the calendar opens in any calendar application.
 *
 * The event JSON is the one OPEN-ENT-NG/calendar stores and CalendarRepositoryEvents exports:
 * `startMoment`/`endMoment` as `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` (ical/ICalHandler MOMENT_FORMAT),
 * `created`/`modified` as Mongo dates, and `description` written by the rich editor, so HTML.
 * DESCRIPTION must be plain text (RFC 5545 §3.8.1.5): the HTML becomes text with its line
 * breaks, and goes, sanitised, in X-ALT-DESC;FMTTYPE=text/html for the clients that show it.
 */
import { createEvents, type DateArray, type EventAttributes } from 'ics'
import sanitizeHtml from 'sanitize-html'
import type { CalendarEventModel } from '../ent/node'
import { sanitizeEntHtml } from './html'

/** The compact form kept per event until the calendar's file is written. */
export type IcsEvent = EventAttributes

function utcArray(date: Date): DateArray {
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes()]
}

function dayArray(date: Date): DateArray {
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()]
}

const HTML_HINT = /<\/?[a-z][a-z0-9]*(?:\s[^>]*)?\/?>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i
const LINE_BREAK = /<br\s*\/?>/gi
const BLOCK_EDGE = /<\/?(?:p|div|h[1-6]|ul|ol|table|tr|blockquote|pre|section|article|header|footer|hr)\b[^>]*>/gi
const LIST_ITEM = /<li\b[^>]*>/gi

/** Whether an ENT description is HTML (the rich editor's) rather than plain text (older events). */
export function isHtml(text: string): boolean {
  return HTML_HINT.test(text)
}

/**
 * Plain text of an HTML fragment: `<br>` and block edges become line breaks (a paragraph is a
 * line, an empty one a blank line), list items start with "- ", tags go (with the content of scripts and styles), entities are decoded, spaces
 * collapse as a browser would, and runs of blank lines shrink to one.
 */
export function htmlToPlainText(html: string): string {
  const marked = html
    .replace(/\uE000/g, '')
    .replace(/[ \t\r\n\f]+/g, ' ')
    .replace(LINE_BREAK, '\n')
    .replace(LIST_ITEM, '\uE000- ')
    .replace(BLOCK_EDGE, '\uE000')
    // Back-to-back block edges (`</p><p>`) are one line break; `<br>` each count.
    .replace(/\uE000(?: ?\uE000)*/g, '\n')
  // sanitize-html decodes every entity while parsing and escapes only &, < and > again.
  const text = sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {} }).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
  return text
    .split('\n')
    .map(line => line.replace(/ {2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** The plain text for DESCRIPTION and, when the ENT gave HTML, the HTML for X-ALT-DESC. */
export function descriptionParts(description: string | null): { text: string | undefined; html: string | undefined } {
  if (!description || description.trim() === '') return { text: undefined, html: undefined }
  if (!isHtml(description)) return { text: description, html: undefined }
  const text = htmlToPlainText(description)
  const html = sanitizeEntHtml(description).trim()
  return { text: text || undefined, html: html || undefined }
}

/** TEXT escaping (RFC 5545 §3.3.11) the `ics` package leaves out of X-ALT-DESC (it turns line breaks into \n itself). */
function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,')
}

/** The ics attributes of an event, or null when it has no start date (reported, not written). */
export function icsEvent(event: CalendarEventModel): IcsEvent | null {
  if (!event.start) return null
  const end = event.end && event.end.getTime() > event.start.getTime() ? event.end : null
  const description = descriptionParts(event.description)
  const base = {
    uid: `${event.entId}@ent.invalid`,
    title: event.title,
    description: description.text,
    htmlContent: description.html ? escapeText(description.html) : undefined,
    location: event.location ?? undefined,
    // Milliseconds, which the package writes in UTC with their seconds (a date array would lose them).
    created: event.created ? event.created.getTime() : undefined,
    lastModified: event.modified ? event.modified.getTime() : undefined,
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
