import { createSharing, sharingRules } from './create-sharing'
import { jsonApiDoc, mockStackClient } from '../../stack-client/testing/mock-stack-client'

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
})

describe('createSharing through SharingCollection.create', () => {
  it('sends the rules, the members apart by access and a closed sharing, and returns the id', async () => {
    const { client, calls } = mockStackClient({ 'POST /sharings/': jsonApiDoc('io.cozy.sharings', 'sh1', { description: 'Tout' }) })
    const id = await createSharing(client, {
      description: 'Tout',
      document: folder,
      documents: [file],
      readWrite: [{ id: 'g1', doctype: 'io.cozy.contacts.groups' }],
      readOnly: [{ id: 'c1', doctype: 'io.cozy.contacts' }]
    })
    expect(id).toBe('sh1')
    expect(JSON.parse(JSON.stringify(calls[0].body))).toEqual({
      data: {
        type: 'io.cozy.sharings',
        attributes: { description: 'Tout', rules: sharingRules([folder, file]), open_sharing: false },
        relationships: {
          recipients: { data: [{ id: 'g1', type: 'io.cozy.contacts.groups' }] },
          read_only_recipients: { data: [{ id: 'c1', type: 'io.cozy.contacts' }] }
        }
      }
    })
  })

  it('leaves out an empty side and keeps the route\'s translated errors', async () => {
    const { client, calls } = mockStackClient({ 'POST /sharings/': { status: 500, detail: 'The contact has no email address' } })
    await expect(createSharing(client, { description: 'x', document: file, readWrite: [], readOnly: [{ id: 'c1', doctype: 'io.cozy.contacts' }] })).rejects.toMatchObject({
      status: 500,
      translationKey: 'shareAgain.errors.noEmail'
    })
    expect((calls[0].body as { data: { relationships: unknown } }).data.relationships).toEqual({ read_only_recipients: { data: [{ id: 'c1', type: 'io.cozy.contacts' }] } })
  })
})
