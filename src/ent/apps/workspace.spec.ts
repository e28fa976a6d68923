import { categoryOf, cleanName, deduplicatedName } from './workspace'

describe('workspace naming (format notes §6)', () => {
  it('inserts _<n> before the first dot for repeated names, or appends it', () => {
    expect(deduplicatedName('photo.2023.jpg', 0)).toBe('photo.2023.jpg')
    expect(deduplicatedName('photo.2023.jpg', 1)).toBe('photo_1.2023.jpg')
    expect(deduplicatedName('photo.2023.jpg', 2)).toBe('photo_2.2023.jpg')
    expect(deduplicatedName('LISEZMOI', 1)).toBe('LISEZMOI_1')
  })

  it('cleans names: path separators become _, then trimmed', () => {
    expect(cleanName('  a/b\\c  ')).toBe('a_b_c')
  })

  it('sorts records into the exporter categories', () => {
    expect(categoryOf({ deleted: true, trasher: 'me' }, 'me')).toBe('trash')
    expect(categoryOf({ protected: true }, 'me')).toBe('app-documents')
    expect(categoryOf({ isShared: true }, 'me')).toBe('shared')
    expect(categoryOf({}, 'me')).toBe('personal')
  })
})
