import { appLabel, exportDateName, MAX_NAME_BYTES, NameRegistry, safeName, truncateUtf8, utf8Bytes, withExtension, withoutDocumentId } from './names'

describe('names of what the import creates', () => {
  it('keeps ENT names but removes what the VFS refuses', () => {
    expect(safeName('Cours: chapitre 1?.pdf', 'x')).toBe('Cours: chapitre 1?.pdf')
    expect(safeName('a/b\\c', 'x')).toBe('a b c')
    expect(safeName('line\nbreak\r\u0000end', 'x')).toBe('line break end')
    expect(safeName('  ..  ', 'fallback')).toBe('fallback')
    expect(safeName('', 'Sans titre')).toBe('Sans titre')
    expect(safeName('.hidden', 'x')).toBe('_hidden')
    expect(safeName('e\u0301te\u0301', 'x')).toBe('été')
  })

  it('shortens long names to 240 UTF-8 bytes, keeps their extension and never splits a character', () => {
    const name = safeName(`${'a'.repeat(300)}.docx`, 'x')
    expect(utf8Bytes(name)).toBeLessThanOrEqual(MAX_NAME_BYTES)
    expect(name.endsWith('.docx')).toBe(true)
    // 100 emoji are 400 bytes but 200 UTF-16 units: the cap counts bytes
    const emoji = safeName(`${'😀'.repeat(100)}.txt`, 'x')
    expect(utf8Bytes(emoji)).toBeLessThanOrEqual(MAX_NAME_BYTES)
    expect(emoji).toBe(`${'😀'.repeat(59)}.txt`)
    // a letter and its combining accent stay together; a family emoji is one character
    expect(truncateUtf8('e\u0301e\u0301', 4)).toBe('e\u0301')
    expect(truncateUtf8('👨‍👩‍👧x', 10)).toBe('')
    expect(truncateUtf8('ab👨‍👩‍👧', 30)).toBe('ab👨‍👩‍👧')
  })

  it('says when two different ENT names became the same name, and numbers within 255 bytes', () => {
    const names = new NameRegistry()
    expect(names.claimWithClash('A', 'Café.png', 'Caf\u00e9.png')).toEqual({ name: 'Café.png', clash: null })
    expect(names.claimWithClash('A', 'Café.png', 'Cafe\u0301.png')).toEqual({ name: 'Café (2).png', clash: 'Caf\u00e9.png' })
    expect(names.claimWithClash('A', 'Billet', 'Billet').clash).toBeNull()
    expect(names.claimWithClash('A', 'Billet', 'Billet')).toEqual({ name: 'Billet (2)', clash: null })
    const long = `${'é'.repeat(120)}.pdf`
    names.claim('B', long)
    expect(utf8Bytes(names.claim('B', long))).toBeLessThanOrEqual(255)
  })

  it('hands out unique names per folder, in order, ignoring case', () => {
    const names = new NameRegistry()
    expect(names.claim('A', 'photo.jpg')).toBe('photo.jpg')
    expect(names.claim('A', 'Photo.jpg')).toBe('Photo (2).jpg')
    expect(names.claim('A', 'photo.jpg')).toBe('photo (3).jpg')
    expect(names.claim('B', 'photo.jpg')).toBe('photo.jpg')
    expect(names.claim('A', 'Billet')).toBe('Billet')
    expect(names.claim('A', 'Billet')).toBe('Billet (2)')
  })

  it('drops the document id the ENT appends to Documents/ copies', () => {
    expect(withoutDocumentId('small_26a7968e-f0d7-44c0-b141-b0d655d958e4.jpeg')).toBe('small.jpeg')
    expect(withoutDocumentId('Capture d’écran_52e58710-33cf-4d10-bae4-6d8ab22592a5')).toBe('Capture d’écran')
    expect(withoutDocumentId('plain_name.txt')).toBe('plain_name.txt')
  })

  it('names app folders in French and unknown ones after the archive folder', () => {
    expect(appLabel('scrapbook', 'Cahier multimedia')).toBe('Cahier multimédia')
    expect(appLabel('unknown', 'Nouvelle appli')).toBe('Nouvelle appli')
    expect(withExtension('Agenda', '.ics')).toBe('Agenda.ics')
    expect(withExtension('map.MM', '.mm')).toBe('map.MM')
    expect(exportDateName(new Date('2026-04-01T15:50:30.583Z'), new Date(0))).toBe('2026-04-01')
  })
})
