import { startStack, type RunningStack } from '../index'
import { call, pick } from '../testing/http'
import { writeKonnector, writeWebapp } from '../testing/fixtures'

// starting stacks (PouchDB, servers) takes a while on a loaded 2-core CI machine
jest.setTimeout(30_000)

let stack: RunningStack
let base: string
let cli: string
let contactId: string
let noMailId: string
let folderId: string

beforeAll(async () => {
  stack = await startStack()
  base = stack.instances[0].url
  cli = stack.instances[0].cliToken
  await stack.instances[0].installApp(
    await writeWebapp({
      slug: 'sharer',
      permissions: { files: { type: 'io.cozy.files' }, contacts: { type: 'io.cozy.contacts', verbs: ['GET'] } }
    })
  )
  await stack.instances[0].installApp(await writeWebapp({ slug: 'partial', permissions: { files: { type: 'io.cozy.files', verbs: ['GET', 'POST', 'PUT', 'PATCH'] } } }))
  await stack.instances[0].installKonnector(await writeKonnector({ slug: 'quiet', permissions: {} }, ''))
  contactId = String(pick((await call(base, 'POST', '/data/io.cozy.contacts/', { token: cli, body: { fullname: 'Camille', email: [{ address: 'camille@example.org', primary: true }] } })).json, 'id'))
  noMailId = String(pick((await call(base, 'POST', '/data/io.cozy.contacts/', { token: cli, body: { fullname: 'Sans mail' } })).json, 'id'))
  folderId = String(pick((await call(base, 'POST', '/files/?Type=directory&Name=Partage', { token: cli })).json, 'data', 'id'))
})
afterAll(() => stack.stop())

const sharingBody = (recipients: string[]) => ({
  data: {
    type: 'io.cozy.sharings',
    attributes: { description: 'Classe de CM2', rules: [{ title: 'Partage', doctype: 'io.cozy.files', values: [folderId], add: 'sync', update: 'sync', remove: 'sync' }] },
    relationships: { recipients: { data: recipients.map(id => ({ id, type: 'io.cozy.contacts' })) } }
  }
})

describe('/sharings', () => {
  it('creates a sharing with its members, mails the invitation and lists it by doctype', async () => {
    const r = await call(base, 'POST', '/sharings/', { token: stack.instances[0].tokenFor('sharer'), body: sharingBody([contactId]) })
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({
      data: {
        type: 'io.cozy.sharings',
        attributes: {
          description: 'Classe de CM2',
          app_slug: 'sharer',
          owner: true,
          members: [{ status: 'owner' }, { status: 'pending', name: 'Camille', email: 'camille@example.org' }]
        }
      }
    })
    const mail = stack.outbox.list(stack.instances[0].domain).find(m => m.to === 'camille@example.org')
    expect(mail?.template).toBe('sharing_request')
    const list = await call(base, 'GET', '/sharings/doctype/io.cozy.files', { token: stack.instances[0].tokenFor('sharer') })
    expect(pick(list.json, 'data', 0, 'id')).toBe(pick(r.json, 'data', 'id'))
    const one = await call(base, 'GET', `/sharings/${String(pick(r.json, 'data', 'id'))}`, { token: stack.instances[0].tokenFor('sharer') })
    expect(pick(one.json, 'data', 'attributes', 'description')).toBe('Classe de CM2')
    expect((await call(base, 'GET', '/sharings/doctype/io.cozy.files', { token: stack.instances[0].tokenFor('quiet') })).status).toBe(403)
  })

  it('refuses a contact without email (500, as CreateSharing returns the AddContact error unwrapped), no recipients (400), partial permissions (403), a konnector (403), bad JSON:API (400)', async () => {
    // web/sharings/sharings.go CreateSharing, web/errors/errors.go ErrorHandler
    const noMail = await call(base, 'POST', '/sharings/', { token: stack.instances[0].tokenFor('sharer'), body: sharingBody([noMailId]) })
    expect(noMail.status).toBe(500)
    expect(pick(noMail.json, 'errors', 0)).toMatchObject({ title: 'Unqualified error', detail: 'The contact has no email address' })
    const none = await call(base, 'POST', '/sharings/', { token: stack.instances[0].tokenFor('sharer'), body: sharingBody([]) })
    expect(none.status).toBe(400)
    // the stack requires every verb on the shared documents (RuleInSubset with ALL)
    const partial = await call(base, 'POST', '/sharings/', { token: stack.instances[0].tokenFor('partial'), body: sharingBody([contactId]) })
    expect(partial.status).toBe(403)
    const konnector = await call(base, 'POST', '/sharings/', { token: stack.instances[0].tokenFor('quiet'), body: sharingBody([contactId]) })
    expect(konnector.status).toBe(403)
    const bad = await call(base, 'POST', '/sharings/', { token: stack.instances[0].tokenFor('sharer'), raw: '[]' })
    expect(bad.status).toBe(400)
    expect(pick(bad.json, 'errors', 0, 'detail')).toBe('JSON input is malformed or is missing mandatory fields')
  })
})

describe('/sharings with several rules', () => {
  it('makes one sharing, and one invitation per member, for several files and folders; refuses two ids in one files rule or the root (model/sharing/rule.go ValidateRules)', async () => {
    const other = String(pick((await call(base, 'POST', '/files/?Type=directory&Name=Sortie', { token: cli })).json, 'data', 'id'))
    const file = String(pick((await call(base, 'POST', '/files/?Type=file&Name=cahier.txt', { token: cli, raw: 'cahier', headers: { 'Content-Type': 'text/plain' } })).json, 'data', 'id'))
    const lucie = String(pick((await call(base, 'POST', '/data/io.cozy.contacts/', { token: cli, body: { fullname: 'Lucie', email: [{ address: 'lucie@example.org', primary: true }] } })).json, 'id'))
    const rules = [
      { title: 'Partage', doctype: 'io.cozy.files', values: [folderId], add: 'sync', update: 'sync', remove: 'sync' },
      { title: 'Sortie', doctype: 'io.cozy.files', values: [other], add: 'sync', update: 'sync', remove: 'sync' },
      { title: 'cahier.txt', doctype: 'io.cozy.files', values: [file], update: 'SYNC', remove: 'sync' }
    ]
    const body = (list: unknown[]) => ({ data: { type: 'io.cozy.sharings', attributes: { description: 'Tout pour Lucie', rules: list }, relationships: { read_only_recipients: { data: [{ id: lucie, type: 'io.cozy.contacts' }] } } } })
    const r = await call(base, 'POST', '/sharings/', { token: stack.instances[0].tokenFor('sharer'), body: body(rules) })
    expect(r.status).toBe(201)
    expect((pick(r.json, 'data', 'attributes', 'rules') as Array<Record<string, unknown>>).map(rule => [rule.values, rule.add, rule.update])).toEqual([
      [[folderId], 'sync', 'sync'],
      [[other], 'sync', 'sync'],
      [[file], 'none', 'SYNC']
    ])
    expect(stack.outbox.list(stack.instances[0].domain).filter(m => m.to === 'lucie@example.org')).toHaveLength(1)
    const two = await call(base, 'POST', '/sharings/', { token: stack.instances[0].tokenFor('sharer'), body: body([{ ...rules[0], values: [folderId, other] }]) })
    expect(two.status).toBe(400)
    expect(pick(two.json, 'errors', 0, 'detail')).toBe('A rule is invalid')
    const root = await call(base, 'POST', '/sharings/', { token: stack.instances[0].tokenFor('sharer'), body: body([{ ...rules[0], values: ['io.cozy.files.root-dir'] }]) })
    expect(root.status).toBe(400)
    const behaviour = await call(base, 'POST', '/sharings/', { token: stack.instances[0].tokenFor('sharer'), body: body([{ ...rules[0], remove: 'later' }]) })
    expect(behaviour.status).toBe(400)
    expect(stack.outbox.list(stack.instances[0].domain).filter(m => m.to === 'lucie@example.org')).toHaveLength(1)
  })
})

describe('/sharings with a group of contacts', () => {
  it('takes every contact of the group, those without an address too (model/sharing/group.go AddGroup)', async () => {
    const groupId = String(pick((await call(base, 'POST', '/data/io.cozy.contacts.groups/', { token: cli, body: { name: 'CM2 B' } })).json, 'id'))
    const inGroup = { groups: { data: [{ id: groupId, type: 'io.cozy.contacts.groups' }] } }
    await call(base, 'POST', '/data/io.cozy.contacts/', { token: cli, body: { fullname: 'Léa', email: [{ address: 'lea@example.org', primary: true }], relationships: inGroup } })
    await call(base, 'POST', '/data/io.cozy.contacts/', { token: cli, body: { fullname: 'Tom', relationships: inGroup } })
    const body = sharingBody([])
    body.data.relationships.recipients.data = [{ id: groupId, type: 'io.cozy.contacts.groups' }]
    const r = await call(base, 'POST', '/sharings/', { token: stack.instances[0].tokenFor('sharer'), body })
    expect(r.status).toBe(201)
    expect(pick(r.json, 'data', 'attributes', 'groups')).toEqual([{ id: groupId, name: 'CM2 B', addedBy: 0, read_only: false }])
    const members = (pick(r.json, 'data', 'attributes', 'members') as Array<Record<string, unknown>>).slice(1)
    expect(members.map(m => [m.name, m.status, m.only_in_groups]).sort()).toEqual([
      ['Léa', 'pending', true],
      ['Tom', 'mail-not-sent', true]
    ])
  })
})

describe('/settings', () => {
  it('answers instance and capabilities, and refuses an app without the settings permission', async () => {
    const inst = await call(base, 'GET', '/settings/instance', { token: cli })
    expect(inst.json).toMatchObject({ data: { type: 'io.cozy.settings', id: 'io.cozy.settings.instance', attributes: { locale: 'fr', email: 'alice@cozy.localhost' } } })
    expect((await call(base, 'GET', '/settings/instance', { token: stack.instances[0].tokenFor('sharer') })).status).toBe(403)
    const caps = await call(base, 'GET', '/settings/capabilities', { token: stack.instances[0].tokenFor('sharer') })
    expect(pick(caps.json, 'data', 'attributes', 'can_auth_with_password')).toBe(true)
    // a token with POST on io.cozy.files may read the disk usage (CanWriteToAnyDirectory), a konnector without the permission may not
    expect((await call(base, 'GET', '/settings/disk-usage', { token: stack.instances[0].tokenFor('sharer') })).status).toBe(200)
    expect((await call(base, 'GET', '/settings/disk-usage', { token: stack.instances[0].tokenFor('quiet') })).status).toBe(403)
    const usage = await call(base, 'GET', '/settings/disk-usage', { token: cli })
    expect(pick(usage.json, 'data', 'attributes', 'quota')).toBeUndefined()
    const put = await call(base, 'PUT', '/settings/instance', { token: cli, body: { data: { type: 'io.cozy.settings', attributes: { locale: 'en' } } } })
    expect(pick(put.json, 'data', 'attributes', 'locale')).toBe('en')
    expect((await call(base, 'PUT', '/settings/instance', { token: stack.instances[0].tokenFor('sharer'), body: { data: { attributes: { locale: 'fr' } } } })).status).toBe(403)
    const apps = await call(base, 'GET', '/apps/', { token: cli })
    expect((pick(apps.json, 'data') as unknown[]).map(a => pick(a, 'attributes', 'slug')).sort()).toEqual(['partial', 'sharer'])
    expect((await call(base, 'GET', '/apps/', { token: stack.instances[0].tokenFor('sharer') })).status).toBe(403)
  })
})
