/**
 * Time syntaxes of the stack's triggers (docs/jobs.md "Triggers"): Go durations for @in/@every,
 * ISO dates for @at, six-field cron expressions for @cron, and @hourly/@daily/@weekly/@monthly
 * (the stack picks a random slot inside the allowed window; the stand-in picks the window's start).
 */

/** time.ParseDuration for the units the stack accepts ("1h30m", "10m", "1.5h", "30s", "500ms"). */
export function parseDuration(text: string): number | null {
  const s = text.trim()
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(s)) return null
  let total = 0
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    const n = Number(m[1])
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000
  }
  return total
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

function parseField(field: string, min: number, max: number, names?: string[]): Set<number> | null {
  const out = new Set<number>()
  const value = (v: string): number => {
    const upper = v.toUpperCase()
    if (names && names.includes(upper)) return names.indexOf(upper) + (min === 1 ? 1 : 0)
    return Number(v)
  }
  for (const part of field.split(',')) {
    const [rangePart, stepPart] = part.split('/')
    const step = stepPart === undefined ? 1 : Number(stepPart)
    if (!Number.isInteger(step) || step <= 0) return null
    let lo: number
    let hi: number
    if (rangePart === '*' || rangePart === '?') {
      lo = min
      hi = max
    } else if (rangePart.includes('-')) {
      const [a, b] = rangePart.split('-')
      lo = value(a)
      hi = b === '' ? max : value(b)
    } else {
      lo = value(rangePart)
      hi = stepPart === undefined ? lo : max
    }
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < min || hi > max || lo > hi) return null
    for (let v = lo; v <= hi; v += step) out.add(v)
  }
  return out
}

export interface CronSpec {
  seconds: Set<number>
  minutes: Set<number>
  hours: Set<number>
  days: Set<number>
  months: Set<number>
  weekdays: Set<number>
}

/** A six-field cron expression (seconds first), in UTC. */
export function parseCron(expr: string): CronSpec | null {
  const f = expr.trim().split(/\s+/)
  if (f.length !== 6) return null
  const seconds = parseField(f[0], 0, 59)
  const minutes = parseField(f[1], 0, 59)
  const hours = parseField(f[2], 0, 23)
  const days = parseField(f[3], 1, 31)
  const months = parseField(f[4], 1, 12, MONTHS)
  const weekdays = parseField(f[5], 0, 6, DAYS)
  if (!seconds || !minutes || !hours || !days || !months || !weekdays) return null
  return { seconds, minutes, hours, days, months, weekdays }
}

/** The first time strictly after `from` that matches the cron spec (within ~5 years), or null. */
export function nextCron(spec: CronSpec, from: Date): Date | null {
  const start = new Date(Math.floor(from.getTime() / 1000) * 1000 + 1000)
  const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()))
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b)
  const hours = sorted(spec.hours)
  const minutes = sorted(spec.minutes)
  const seconds = sorted(spec.seconds)
  for (let d = 0; d < 366 * 5; d++) {
    const t = new Date(day.getTime() + d * 86_400_000)
    if (!spec.months.has(t.getUTCMonth() + 1) || !spec.days.has(t.getUTCDate()) || !spec.weekdays.has(t.getUTCDay())) continue
    for (const h of hours) {
      for (const m of minutes) {
        for (const s of seconds) {
          const candidate = new Date(t.getTime() + ((h * 60 + m) * 60 + s) * 1000)
          if (candidate >= start) return candidate
        }
      }
    }
  }
  return null
}

/** @hourly/@daily/@weekly/@monthly as a cron spec (window restrictions are accepted and use the first hour). */
export function periodicToCron(type: string, args: string): CronSpec | null {
  const between = args.match(/between (\d{1,2})(am|pm) and/)
  const after = args.match(/after (\d{1,2})(am|pm)/)
  const toHour = (h: string, ap: string) => (Number(h) % 12) + (ap === 'pm' ? 12 : 0)
  const hour = between ? toHour(between[1], between[2]) : after ? toHour(after[1], after[2]) : 0
  switch (type) {
    case '@hourly':
      return parseCron('0 0 * * * *')
    case '@daily':
      return parseCron(`0 0 ${hour} * * *`)
    case '@weekly': {
      const on = args.match(/on ([a-z,-]+)/i)
      let dow = '1'
      if (on) {
        const w = on[1].toLowerCase()
        dow = w === 'weekday' ? '1-5' : w === 'weekend' ? '0,6' : w.slice(0, 3).toUpperCase()
      }
      return parseCron(`0 0 ${hour} * * ${dow}`)
    }
    case '@monthly': {
      const on = args.match(/on the (\d{1,2})/)
      return parseCron(`0 0 ${hour} ${on ? on[1] : '1'} * *`)
    }
    default:
      return null
  }
}
