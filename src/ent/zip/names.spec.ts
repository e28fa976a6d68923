import { unsafeNameReason } from './names'

describe('unsafeNameReason', () => {
  it('objects to every way out of the archive, with or without the quick test', () => {
    const cases: Array<[string, string | null]> = [
      ['', 'empty name'],
      ['a\0b', 'NUL character in name'],
      ['a\\b', 'backslash in name'],
      ['/a', 'absolute path'],
      ['/', 'absolute path'],
      ['C:a', 'absolute path'],
      ['..', '".." segment'],
      ['../a', '".." segment'],
      ['a/../b', '".." segment'],
      ['a/..', '".." segment'],
      ['a/../', '".." segment'],
      ['.', '"." segment'],
      ['./a', '"." segment'],
      ['a/./b', '"." segment'],
      ['a/.', '"." segment'],
      ['a//b', 'empty path segment'],
      ['a//', 'empty path segment'],
      ['a/', null],
      ['a/b', null],
      ['...', null],
      ['a/.b', null],
      ['a/..b', null],
      ['a/b./c', null],
      ['Dossier été/fichier (1).pdf', null]
    ]
    expect(cases.map(([name]) => [name, unsafeNameReason(name)])).toEqual(cases)
  })
})
