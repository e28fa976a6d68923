import { RateLimiter } from './rate-limit'

describe('RateLimiter', () => {
  it('allows the limit per window, then refuses until the window ends', () => {
    const limiter = new RateLimiter(2, 60_000)
    expect([limiter.allow('a', 0), limiter.allow('a', 1), limiter.allow('a', 2)]).toEqual([true, true, false])
    expect(limiter.allow('b', 3)).toBe(true)
    expect(limiter.retryAfter('a', 30_000)).toBe(30)
    expect(limiter.allow('a', 60_000)).toBe(true)
  })

  it('keeps its table bounded, refusing new clients only while it is full of live windows', () => {
    const limiter = new RateLimiter(5, 1000, 2)
    expect(limiter.allow('a', 0)).toBe(true)
    expect(limiter.allow('b', 0)).toBe(true)
    expect(limiter.allow('c', 10)).toBe(false)
    expect(limiter.allow('c', 1000)).toBe(true)
  })
})
