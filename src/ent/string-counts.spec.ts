import { StringCounts } from './string-counts'

describe('StringCounts', () => {
  it('counts each key exactly, through many table growths, against a Map', () => {
    const counts = new StringCounts()
    const expected = new Map<string, number>()
    for (let i = 0; i < 60_000; i++) {
      // Sequential ids and names, repeats, case and Unicode forms that must stay apart.
      const key = [`${(i % 25_000).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`, `Fichier ${i % 7}.txt`, `fichier ${i % 7}.txt`, 'é', 'e\u0301', ''][i % 6]
      expect(counts.add(key)).toBe(expected.get(key) ?? 0)
      expected.set(key, (expected.get(key) ?? 0) + 1)
    }
    expect(counts.size).toBe(expected.size)
    for (const [key, n] of expected) expect(counts.get(key)).toBe(n)
    expect(counts.has('absent')).toBe(false)
    expect(counts.get('Fichier 7.txt')).toBe(0)
  })

  it('packs lower-case UUIDs, and keeps them apart from other spellings of the same id', () => {
    const counts = new StringCounts()
    const id = '3c6e1e62-9ea9-4e4f-972f-58c41b83cb76'
    expect(counts.add(id)).toBe(0)
    expect(counts.add(id.toUpperCase())).toBe(0)
    expect(counts.add(id.replace(/-/g, ''))).toBe(0)
    expect(counts.add('3c6e1e62-9ea9-4e4f-972f-58c41b83cb77')).toBe(0)
    expect(counts.add(id)).toBe(1)
    expect(counts.size).toBe(4)
  })

  it('keeps keys with lone surrogates apart (UTF-8 would make them one)', () => {
    const counts = new StringCounts()
    expect(counts.add('a\uD800')).toBe(0)
    expect(counts.add('a\uD801')).toBe(0)
    expect(counts.add('a\uD800')).toBe(1)
    expect(counts.has('a\uFFFD')).toBe(false)
    expect(counts.size).toBe(2)
  })

  it('fills more than one page of key bytes and finds every key again', () => {
    const counts = new StringCounts()
    const long = 'x'.repeat(300_000)
    for (let i = 0; i < 8; i++) counts.add(`${i}${long}`)
    for (let i = 0; i < 8; i++) expect(counts.get(`${i}${long}`)).toBe(1)
    expect(counts.get(`8${long}`)).toBe(0)
    expect(counts.size).toBe(8)
  })

  it('holds a number per key with set, through table growths and for keys kept in the plain Map', () => {
    const counts = new StringCounts()
    const expected = new Map<string, number>()
    const long = 'y'.repeat(2_000_000)
    for (let i = 0; i < 5_000; i++) {
      const key = i % 1_000 === 0 ? `${i}${long}` : `${(i % 3_000).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`
      counts.set(key, i + 1)
      expected.set(key, i + 1)
    }
    counts.add('a')
    counts.set('a', 7)
    expected.set('a', 7)
    expect(counts.size).toBe(expected.size)
    for (const [key, n] of expected) expect(counts.get(key)).toBe(n)
  })
})
