import { copyMaxBytes, stopAt } from './time-budget'

describe('when the konnector stops starting new work', () => {
  it('stops 20 s before COZY_TIME_LIMIT', () => {
    expect(stopAt(300, 1_000_000)).toBe(1_000_000 + 280_000)
    expect(stopAt(30, 0)).toBe(10_000)
  })

  it('keeps a third of a short limit for work', () => {
    expect(stopAt(12, 0)).toBe(4_000)
  })

  it('falls back on the stack default when the variable is missing or wrong', () => {
    expect(stopAt(Number(undefined), 0)).toBe(280_000)
    expect(stopAt(-5, 0)).toBe(280_000)
  })
})

describe('whether the konnector copies the archive first', () => {
  it('copies up to 512 MiB when the job has its usual five minutes', () => {
    expect(copyMaxBytes(280_000)).toBe(512 * 1024 * 1024)
  })

  it('reads by Range requests when a copy would eat the short budget (COZY_TIME_LIMIT=30: 10 s)', () => {
    expect(copyMaxBytes(10_000)).toBe(125_000_000)
    expect(copyMaxBytes(-1)).toBe(0)
  })
})
