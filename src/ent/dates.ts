/**
 * Every date form the ENT exports (format notes §5.3):
 * - Mongo extended JSON `{"$date": <epoch ms>}`, `{"$date": "<ISO-8601>"}`, `{"$date": {"$numberLong": "…"}}`;
 * - the workspace's `"yyyy-MM-dd HH:mm.ss.SSS"`, naive server time (Europe/Paris);
 * - naive SQL timestamps `"yyyy-MM-ddTHH:mm:ss.SSS"` (taken as Europe/Paris, like the sample);
 * - ISO strings with a zone, epoch numbers, and calendar notification `"DD/MM/YYYY HH:mm"`.
 * Unparseable values give null, never an Invalid Date.
 */

/** UTC instant of the last Sunday of `month` (0-based) at 01:00 UTC: the EU DST switch. */
function lastSundayOneUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0))
  const day = lastDay.getUTCDate() - lastDay.getUTCDay()
  return Date.UTC(year, month, day, 1)
}

const summerTime = new Map<number, [number, number]>()

/** Converts a wall-clock time in Europe/Paris (CET/CEST, EU rules) to a Date. */
export function parisWallClock(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): Date {
  const asUtc = Date.UTC(year, month, day, hour, minute, second, ms)
  let switches = summerTime.get(year)
  if (!switches) {
    switches = [lastSundayOneUtc(year, 2), lastSundayOneUtc(year, 9)]
    summerTime.set(year, switches)
  }
  const [start, end] = switches
  // Try summer time first (UTC+2); fall back to winter time (UTC+1).
  const summer = asUtc - 2 * 3600_000
  if (summer >= start && summer < end) return new Date(summer)
  return new Date(asUtc - 3600_000)
}

const WORKSPACE_FORM = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})\.(\d{2})(?:\.(\d{1,3}))?$/
const NAIVE_ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/
const FRENCH_FORM = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/

function fromParts(y: string, mo: string, d: string, h: string, mi: string, s?: string, frac?: string): Date | null {
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0
  const [month, day, hour, minute, second] = [Number(mo), Number(d), Number(h), Number(mi), s ? Number(s) : 0]
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null
  const date = parisWallClock(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), s ? Number(s) : 0, ms)
  return Number.isNaN(date.getTime()) ? null : date
}

/** Digits at `at`…`at + count` as a number, or -1 when one is not a digit. */
function digits(value: string, at: number, count: number): number {
  let n = 0
  for (let i = at; i < at + count; i++) {
    const c = value.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    n = n * 10 + c
  }
  return n
}

function fromString(text: string): Date | null {
  const value = text.trim()
  // Fast paths for the two forms met tens of thousands of times (workspace index, Mongo).
  if (value.length === 23 && value[10] === ' ' && value[13] === ':' && value[16] === '.' && value[19] === '.') {
    const parts = [digits(value, 0, 4), digits(value, 5, 2), digits(value, 8, 2), digits(value, 11, 2), digits(value, 14, 2), digits(value, 17, 2), digits(value, 20, 3)]
    if (parts.every(p => p >= 0) && value[4] === '-' && value[7] === '-') {
      const [y, mo, d, h, mi, s, ms] = parts
      if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null
      return parisWallClock(y, mo - 1, d, h, mi, s, ms)
    }
  }
  if (value.length >= 20 && value[10] === 'T' && value.endsWith('Z')) {
    const time = Date.parse(value)
    return Number.isNaN(time) ? null : new Date(time)
  }
  let m = WORKSPACE_FORM.exec(value)
  if (m) return fromParts(m[1], m[2], m[3], m[4], m[5], m[6], m[7])
  m = NAIVE_ISO.exec(value)
  if (m) return fromParts(m[1], m[2], m[3], m[4], m[5], m[6], m[7])
  m = FRENCH_FORM.exec(value)
  if (m) return fromParts(m[3], m[2], m[1], m[4], m[5])
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return fromParts(value.slice(0, 4), value.slice(5, 7), value.slice(8, 10), '00', '00')
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const time = Date.parse(value)
    return Number.isNaN(time) ? null : new Date(time)
  }
  if (/^\d{10,}$/.test(value)) return fromNumber(Number(value))
  return null
}

function fromNumber(value: number): Date | null {
  if (!Number.isFinite(value)) return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

/** Parses any ENT date value; null when absent or not a date. */
export function parseEntDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return fromNumber(value)
  if (typeof value === 'string') return fromString(value)
  if (typeof value === 'object' && '$date' in value) {
    const inner = (value as { $date: unknown }).$date
    if (inner && typeof inner === 'object' && '$numberLong' in inner) return fromNumber(Number((inner as { $numberLong: unknown }).$numberLong))
    return parseEntDate(inner)
  }
  return null
}
