import { DocumentPaths } from './document-paths'

describe('DocumentPaths', () => {
  it('gives back each document path, the last one for a repeated id, and nothing for an unknown id', () => {
    const paths = new DocumentPaths()
    const dir = ['Espace documentaire', 'Dossier']
    paths.set('3c6e1e62-9ea9-4e4f-972f-58c41b83cb76', dir, 'a.txt')
    paths.set('not-a-uuid', ['Espace documentaire'], 'b.txt')
    paths.set('3c6e1e62-9ea9-4e4f-972f-58c41b83cb77', dir, 'c.txt')
    // The caller's array may change afterwards: the path was copied.
    dir.push('changed')
    paths.set('3c6e1e62-9ea9-4e4f-972f-58c41b83cb77', ['Espace documentaire', 'Autre'], 'c (2).txt')
    expect(paths.get('3c6e1e62-9ea9-4e4f-972f-58c41b83cb76')).toEqual(['Espace documentaire', 'Dossier', 'a.txt'])
    expect(paths.get('not-a-uuid')).toEqual(['Espace documentaire', 'b.txt'])
    expect(paths.get('3c6e1e62-9ea9-4e4f-972f-58c41b83cb77')).toEqual(['Espace documentaire', 'Autre', 'c (2).txt'])
    expect(paths.get('3c6e1e62-9ea9-4e4f-972f-58c41b83cb78')).toBeUndefined()
  })
})
