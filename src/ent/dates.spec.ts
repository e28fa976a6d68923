import { parisWallClock, parseEntDate } from './dates'

describe('parseEntDate', () => {
  it.each([
    [{ $date: 1686130047480 }, '2023-06-07T09:27:27.480Z'],
    [{ $date: '2026-04-01T15:44:27.036Z' }, '2026-04-01T15:44:27.036Z'],
    [{ $date: { $numberLong: '1686130047480' } }, '2023-06-07T09:27:27.480Z'],
    // Workspace form, Paris summer time (UTC+2) and winter time (UTC+1).
    ['2026-04-01 17:44.24.044', '2026-04-01T15:44:24.044Z'],
    ['2023-01-01 01:01.01.001', '2023-01-01T00:01:01.001Z'],
    // Naive SQL timestamps, taken as Paris time like the sample's.
    ['2026-04-01T17:50:13.259', '2026-04-01T15:50:13.259Z'],
    ['2026-12-24T08:00:00', '2026-12-24T07:00:00.000Z'],
    ['2026-04-02T15:00:00.000Z', '2026-04-02T15:00:00.000Z'],
    ['2026-04-02T17:00:00+02:00', '2026-04-02T15:00:00.000Z'],
    ['02/04/2026 17:00', '2026-04-02T15:00:00.000Z'],
    [1775058000000, '2026-04-01T15:40:00.000Z']
  ])('%j → %s', (value, iso) => {
    expect(parseEntDate(value)?.toISOString()).toBe(iso)
  })

  it.each([null, undefined, '', 'demain', { $date: 'n/a' }, {}, Number.NaN, '2026-13-45 99:99.99.999', '2026-04-01T25:00:00'])('gives null for %j', value => {
    expect(parseEntDate(value)).toBeNull()
  })

  it('switches between CET and CEST on the EU dates', () => {
    // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
    expect(parisWallClock(2026, 2, 29, 1, 30, 0, 0).toISOString()).toBe('2026-03-29T00:30:00.000Z')
    expect(parisWallClock(2026, 2, 29, 3, 30, 0, 0).toISOString()).toBe('2026-03-29T01:30:00.000Z')
    expect(parisWallClock(2026, 9, 25, 4, 0, 0, 0).toISOString()).toBe('2026-10-25T03:00:00.000Z')
  })
})
