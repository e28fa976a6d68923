import { formatDate, formatDateTime } from './dates'

describe('dates as French writes them', () => {
  const paris = { timeZone: 'Europe/Paris' } as const

  it('writes the first day of a month "1er", with and without the time', () => {
    const first = new Date('2026-12-01T09:30:00Z')
    expect(formatDate(first, 'fr', { ...paris, day: 'numeric', month: 'long', year: 'numeric' })).toBe('1er décembre 2026')
    expect(formatDate(first, 'fr', { ...paris, dateStyle: 'long', timeStyle: 'short' })).toBe('1er décembre 2026 à 10:30')
  })

  it('leaves the other days, the 10th, 11th, 21st and 31st, as numbers', () => {
    const day = (iso: string): string => formatDate(new Date(iso), 'fr', { ...paris, day: 'numeric', month: 'long' })
    expect(day('2026-12-02T12:00:00Z')).toBe('2 décembre')
    expect(day('2026-12-10T12:00:00Z')).toBe('10 décembre')
    expect(day('2026-12-11T12:00:00Z')).toBe('11 décembre')
    expect(day('2026-12-21T12:00:00Z')).toBe('21 décembre')
    expect(day('2026-12-31T12:00:00Z')).toBe('31 décembre')
  })

  it('takes the day of the time zone asked, not of UTC', () => {
    // 23:30 UTC on 30 November is already 1 December in Paris.
    expect(formatDate(new Date('2026-11-30T23:30:00Z'), 'fr', { ...paris, day: 'numeric', month: 'long' })).toBe('1er décembre')
  })

  it('keeps English as it is', () => {
    expect(formatDate(new Date('2026-12-01T09:30:00Z'), 'en', { ...paris, dateStyle: 'long' })).toBe('1 December 2026')
  })

  it('gives nothing for no date or a bad one', () => {
    expect(formatDateTime(undefined, 'fr')).toBeUndefined()
    expect(formatDateTime('not a date', 'fr')).toBeUndefined()
    expect(formatDateTime('2026-03-01T08:00:00Z', 'fr')).toMatch(/^1er mars 2026 à \d\d:\d\d$/)
  })
})
