/**
 * How a timeline event's dates read in its note: only as precise as the ENT stated them (a
 * year, a month, a day), in French like the rest of the notes, on the Paris calendar the ENT's
 * date pickers used.
 */
import type { RichTextPeriod } from '../ent/node'
import { formatDate } from '../app/dates'

const FORMATS: Record<RichTextPeriod['precision'], Intl.DateTimeFormatOptions> = {
  year: { year: 'numeric', timeZone: 'Europe/Paris' },
  month: { year: 'numeric', month: 'long', timeZone: 'Europe/Paris' },
  day: { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Europe/Paris' }
}

export function periodLabel(period: RichTextPeriod): string {
  const format = (date: Date): string => formatDate(date, 'fr', FORMATS[period.precision])
  const start = format(period.start)
  const end = period.end ? format(period.end) : null
  return end && end !== start ? `${start} – ${end}` : start
}
