/** Sizes, speeds, durations and dates in the user's language. */

import { formatDateTime } from '../../app/dates'

const UNITS: Record<string, string[]> = {
  fr: ['o', 'Ko', 'Mo', 'Go', 'To'],
  en: ['B', 'KB', 'MB', 'GB', 'TB']
}

export function formatBytes(bytes: number, lang: string): string {
  const units = UNITS[lang] ?? UNITS.en
  let value = Math.max(0, bytes)
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  return `${value.toLocaleString(lang, { maximumFractionDigits: digits })} ${units[unit]}`
}

/** "2 min 05 s", "45 s", "1 h 03 min". */
export function formatDuration(seconds: number, lang: string): string {
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = s % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  if (h > 0) return lang === 'fr' ? `${h} h ${pad(m)} min` : `${h} h ${pad(m)} min`
  if (m > 0) return `${m} min ${pad(rest)} s`
  return `${rest} s`
}

export function formatDate(date: Date | string | null, lang: string): string {
  return formatDateTime(date, lang) ?? ''
}

/** Speed and time left from samples of (time, bytes) taken during an upload. */
export interface RateSample {
  at: number
  loaded: number
}

/** Bytes per second over the last few seconds of samples (null until there is enough to say). */
export function uploadSpeed(samples: RateSample[], windowMs = 5000): number | null {
  if (samples.length < 2) return null
  const last = samples[samples.length - 1]
  const first = samples.find(s => last.at - s.at <= windowMs) ?? samples[0]
  const elapsed = last.at - first.at
  if (elapsed <= 0 || last.loaded <= first.loaded) return null
  return ((last.loaded - first.loaded) * 1000) / elapsed
}
