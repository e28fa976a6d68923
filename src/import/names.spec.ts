import { appLabel, exportDateName, NameRegistry, safeName, withExtension, withoutDocumentId } from './names'

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

  it('shortens long names and keeps their extension', () => {
    const name = safeName(`${'a'.repeat(300)}.docx`, 'x')
    expect(name.length).toBeLessThanOrEqual(180)
    expect(name.endsWith('.docx')).toBe(true)
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
