import { periodLabel } from './period'

describe('timeline event dates in notes', () => {
  it('shows only what the ENT stated: a year, a month, a day (Paris calendar)', () => {
    const start = new Date('2024-03-13T23:00:00.000Z')
    expect(periodLabel({ start, end: null, precision: 'year' })).toBe('2024')
    expect(periodLabel({ start, end: null, precision: 'month' })).toBe('mars 2024')
    expect(periodLabel({ start, end: null, precision: 'day' })).toBe('14 mars 2024')
  })

  it('shows a range only when the end reads differently from the start', () => {
    const start = new Date('1789-03-21T10:15:00.000Z')
    expect(periodLabel({ start, end: new Date('1789-11-02T10:15:00.000Z'), precision: 'year' })).toBe('1789')
    expect(periodLabel({ start, end: new Date('1789-11-02T10:15:00.000Z'), precision: 'month' })).toBe('mars 1789 – novembre 1789')
  })

  it('writes the first day of a month "1er", as French does', () => {
    // Midnight in Paris on 1 September is still 31 August in UTC.
    const start = new Date('2024-08-31T22:00:00.000Z')
    expect(periodLabel({ start, end: null, precision: 'day' })).toBe('1er septembre 2024')
    expect(periodLabel({ start, end: new Date('2024-09-11T10:00:00.000Z'), precision: 'day' })).toBe('1er septembre 2024 – 11 septembre 2024')
  })
})
