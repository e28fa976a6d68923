import { MIN_PART_SIZE } from '../../stack-client'

const GIB = 1024 ** 3

/**
 * The part sizes offered. 0 lets the stack choose (at least 1 GiB, more for a big Cozy:
 * √(used / 1 GiB) GiB); smaller values would be replaced by the stack anyway.
 */
export const PART_SIZE_CHOICES = [0, MIN_PART_SIZE, 2 * GIB, 5 * GIB, 10 * GIB] as const

/** What the stack will pick when left to choose (model/move/export.go `minimalPartsSize`). */
export function automaticPartSize(usedBytes: number): number {
  const computed = Math.sqrt(Math.max(usedBytes, 0) / GIB) * GIB
  return Math.max(MIN_PART_SIZE, computed)
}

/** Sizes the way Cozy shows them to users: binary multiples, French "o" units. */
export function formatBytes(bytes: number, lang: string): string {
  const units = lang === 'fr' ? ['o', 'Ko', 'Mo', 'Go', 'To'] : ['B', 'KB', 'MB', 'GB', 'TB']
  let value = Math.max(bytes, 0)
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  const digits = unit === 0 || value >= 10 || Number.isInteger(value) ? 0 : 1
  const number = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0
  }).format(value)
  return `${number}\u00a0${units[unit]}`
}

/** The first of a month reads « 1er » in French (src/app/dates.ts). */
export { formatDateTime } from '../../app/dates'

/**
 * Who the stack's mails come from: worker/mails/mail.go sends them from "noreply@" and the
 * instance's domain without its port, unless the server or the instance's context configures
 * another address, which no API shows to a webapp.
 */
export function noReplySender(stackUri: string): string {
  try {
    return `noreply@${new URL(stackUri).hostname}`
  } catch {
    return 'noreply'
  }
}
