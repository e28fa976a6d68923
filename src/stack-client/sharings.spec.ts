import { sharingBody, sharingRules } from './sharings'

const folder = { doctype: 'io.cozy.files' as const, id: 'd1', type: 'directory' as const, title: 'Classe' }
const file = { doctype: 'io.cozy.files' as const, id: 'f1', type: 'file' as const, title: 'cahier.pdf' }
const event = { doctype: 'io.cozy.calendar.events' as const, id: 'e1', type: 'event' as const, title: 'Sortie' }

describe('sharing rules', () => {
  it('revokes a one-file sharing when the file goes, as cozy-client does', () => {
    expect(sharingRules(file)).toEqual([{ title: 'cahier.pdf', doctype: 'io.cozy.files', values: ['f1'], update: 'sync', remove: 'revoke' }])
  })

  it('gives each document its own rule, folders first, then files, and never lets one removal revoke the others', () => {
    expect(sharingRules([event, file, folder])).toEqual([
      { title: 'Classe', doctype: 'io.cozy.files', values: ['d1'], add: 'sync', update: 'sync', remove: 'sync' },
      { title: 'cahier.pdf', doctype: 'io.cozy.files', values: ['f1'], update: 'sync', remove: 'sync' },
      { title: 'Sortie', doctype: 'io.cozy.calendar.events', values: ['e1'], update: 'sync', remove: 'sync' }
    ])
  })

  it('puts read-only members apart and takes `document` and `documents` together', () => {
    const body = sharingBody({ description: 'Tout', document: folder, documents: [file], readWrite: [], readOnly: [{ id: 'c1', doctype: 'io.cozy.contacts' }] }) as { data: { attributes: { rules: unknown[] }; relationships: unknown } }
    expect(body.data.attributes.rules).toHaveLength(2)
    expect(body.data.relationships).toEqual({ read_only_recipients: { data: [{ id: 'c1', type: 'io.cozy.contacts' }] } })
  })
})
