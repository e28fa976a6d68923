import { nextCron, parseCron, parseDuration, periodicToCron } from './schedule'

describe('trigger schedules (docs/jobs.md "Triggers")', () => {
  it('parses Go durations and refuses anything else', () => {
    expect(parseDuration('10m')).toBe(600_000)
    expect(parseDuration('1h30m')).toBe(5_400_000)
    expect(parseDuration('1.5h')).toBe(5_400_000)
    expect(parseDuration('250ms')).toBe(250)
    expect(parseDuration('10 minutes')).toBeNull()
    expect(parseDuration('')).toBeNull()
  })

  it('computes the next time of six-field cron specs in UTC', () => {
    const from = new Date('2026-11-21T22:00:00Z') // a Saturday
    expect(nextCron(parseCron('0 0 3 * * 1')!, from)?.toISOString()).toBe('2026-11-23T03:00:00.000Z')
    expect(nextCron(parseCron('0 */15 * * * *')!, from)?.toISOString()).toBe('2026-11-21T22:15:00.000Z')
    expect(nextCron(parseCron('30 0 0 1 JAN *')!, from)?.toISOString()).toBe('2027-01-01T00:00:30.000Z')
    expect(nextCron(parseCron('0 0 9 * * MON-FRI')!, from)?.toISOString()).toBe('2026-11-23T09:00:00.000Z')
  })

  it('refuses malformed cron specs', () => {
    expect(parseCron('0 0 3 * *')).toBeNull()
    expect(parseCron('61 0 0 * * *')).toBeNull()
    expect(parseCron('0 0 0 * * 8')).toBeNull()
    expect(parseCron('a b c d e f')).toBeNull()
  })

  it('turns @daily/@weekly/@monthly windows into cron specs', () => {
    const from = new Date('2026-11-21T22:00:00Z')
    expect(nextCron(periodicToCron('@daily', 'between 8am and 6pm')!, from)?.toISOString()).toBe('2026-11-22T08:00:00.000Z')
    expect(nextCron(periodicToCron('@weekly', 'on monday')!, from)?.toISOString()).toBe('2026-11-23T00:00:00.000Z')
    expect(nextCron(periodicToCron('@monthly', 'on the 5')!, from)?.toISOString()).toBe('2026-12-05T00:00:00.000Z')
  })
})
