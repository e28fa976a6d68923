import { formatBytes, formatDuration, uploadSpeed } from './format'

describe('format', () => {
  it('writes sizes with French and English units', () => {
    expect(formatBytes(721213, 'fr')).toBe('721 Ko')
    expect(formatBytes(1_500_000, 'fr')).toBe('1,5 Mo')
    expect(formatBytes(1_500_000, 'en')).toBe('1.5 MB')
    expect(formatBytes(12, 'en')).toBe('12 B')
  })

  it('writes durations', () => {
    expect(formatDuration(45, 'fr')).toBe('45 s')
    expect(formatDuration(125, 'fr')).toBe('2 min 05 s')
    expect(formatDuration(3780, 'en')).toBe('1 h 03 min')
  })

  it('measures the speed over the recent samples only', () => {
    expect(uploadSpeed([{ at: 0, loaded: 0 }])).toBeNull()
    const samples = [
      { at: 0, loaded: 0 },
      { at: 10_000, loaded: 1_000 },
      { at: 12_000, loaded: 3_000 },
      { at: 14_000, loaded: 5_000 }
    ]
    expect(uploadSpeed(samples)).toBe(1000)
  })
})
