import { MAX_RECORD_DEPTH, nestsDeeperThan } from './json-depth'

function nested(depth: number): unknown {
  return JSON.parse(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`)
}

describe('nestsDeeperThan', () => {
  it('measures objects and arrays, each one level', () => {
    expect(nestsDeeperThan({ a: [1] }, 2)).toBe(false)
    expect(nestsDeeperThan({ a: [{}] }, 2)).toBe(true)
    expect(nestsDeeperThan('text', 0)).toBe(false)
  })

  it('tells a record 100,000 levels deep without overflowing the stack', () => {
    expect(nestsDeeperThan(nested(50_000))).toBe(true)
    expect(nestsDeeperThan(nested(MAX_RECORD_DEPTH / 2))).toBe(false)
  })
})
