import { startStack, type RunningStack, type StackInstance } from '../../../dev-stack'
import { call, pick } from '../../../dev-stack/testing/http'
import { writeKonnector } from '../../../dev-stack/testing/fixtures'
import { StackError, type StackApi } from '../../../src/stack-client'
import { KONNECTOR_NOT_INSTALLED } from '../../../src/stack-client/jobs'
import { runImportNotification } from '../../../src/targets/services/run-import-notification'
import { emptyImportRecord, IMPORTS_DOCTYPE } from '../../../src/import/records'
import { appClient, appStackApi, installMesDonnees } from './stack-helpers'
import { buildContactGroupsQuery, buildContactsQuery, buildJobQuery } from '../../../src/queries'
import { contactChoices } from '../../../src/pages/share-again/contacts'
import { createSharing } from '../../../src/pages/share-again/create-sharing'
import { ensureDirectory, readDriveZips, statById, statByPath } from '../../../src/pages/ent-import/drive-files'
import { isKonnectorInstalled } from '../../../src/pages/ent-import/konnector'
import { readImportRecord, recordJob } from '../../../src/pages/ent-import/import-docs'
import fr from '../../../locales/fr.json'

jest.setTimeout(60_000)

/**
 * The app with its real manifest against the stand-in's answers where it follows the stack
 * (issue 13): what reaches the user is what a real Cozy would give.
 */
describe('the app as the stack answers it', () => {
  let stack: RunningStack
  let alice: StackInstance
  let api: StackApi

  beforeAll(async () => {
    stack = await startStack()
    alice = stack.instances[0]
    await installMesDonnees(alice)
    api = appStackApi(alice)
  })
  afterAll(async () => {
    await stack?.stop()
  })

  const create = async (doctype: string, doc: Record<string, unknown>) => String(pick((await call(alice.url, 'POST', `/data/${doctype}/`, { token: alice.cliToken, body: doc })).json, 'id'))

  it('mails the import notification, with its HTML part and its link (model/notification/center buildMailMessage)', async () => {
    const record = { ...emptyImportRecord(new Date()), state: 'done', archive: { fileId: 'f', name: 'mes-donnees.zip', size: 1, exportId: null, exportedAt: null }, apps: [{ app: 'workspace', imported: 3, skipped: 0, failed: 0 }] }
    const id = await create(IMPORTS_DOCTYPE, record)
    const doc = await alice.instance.dbs.get(IMPORTS_DOCTYPE, id)
    const before = stack.outbox.list(alice.domain).length
    expect(await runImportNotification({ COZY_URL: alice.url, COZY_CREDENTIALS: alice.tokenFor('mes-donnees'), COZY_LOCALE: 'fr', COZY_COUCH_DOC: JSON.stringify(doc) })).toBe('sent')
    const mails = stack.outbox.list(alice.domain).slice(before)
    expect(mails).toHaveLength(1)
    expect(mails[0].subject).toBe(fr.importNotification.doneTitle)
    expect(mails[0].html).toContain(`#/ent-import/history/${id}`)
    expect(mails[0].text).toContain('mes-donnees.zip\u202f: 3 éléments importés')
  })

  it('offers the groups of contacts and shares an imported calendar event with one', async () => {
    const groupId = await create('io.cozy.contacts.groups', { name: 'CM2 B' })
    await create('io.cozy.contacts', { fullname: 'Léa', email: [{ address: 'lea@example.org', primary: true }], relationships: { groups: { data: [{ id: groupId, type: 'io.cozy.contacts.groups' }] } } })
    const client = appClient(alice)
    type Doc = Record<string, unknown> & { _id: string }
    const people = (await client.queryAll(buildContactsQuery().definition())) as Doc[]
    const groups = (await client.queryAll(buildContactGroupsQuery().definition())) as Doc[]
    const contacts = contactChoices(people, groups)
    expect(contacts.find(c => c.id === groupId)).toMatchObject({ doctype: 'io.cozy.contacts.groups', name: 'CM2 B' })
    const eventId = await create('io.cozy.calendar.events', { summary: 'Sortie au musée', start: '2026-05-12T09:00:00Z' })
    // creating a sharing needs every verb on the doctype (web/sharings/sharings.go checkCreatePermissions)
    const sharingId = await createSharing(client, {
      description: 'Sortie au musée',
      document: { doctype: 'io.cozy.calendar.events', id: eventId, type: 'event', title: 'Sortie au musée' },
      readWrite: [],
      readOnly: [{ id: groupId, doctype: 'io.cozy.contacts.groups' }]
    })
    expect(stack.outbox.list(alice.domain).some(m => m.to === 'lea@example.org' && m.links.some(l => l.includes(sharingId)))).toBe(true)
  })

  it('names the missing address when the stack refuses a contact without one', async () => {
    const contactId = await create('io.cozy.contacts', { fullname: 'Sans adresse' })
    const client = appClient(alice)
    const folder = await ensureDirectory(client, '/Partage sans adresse')
    const err = await createSharing(client, { description: 'x', document: { doctype: 'io.cozy.files', id: folder.id, type: 'directory', title: 'x' }, readWrite: [{ id: contactId, doctype: 'io.cozy.contacts' }], readOnly: [] }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StackError)
    expect(err).toMatchObject({ translationKey: 'shareAgain.errors.noEmail' })
  })

  it('finds in the Drive a zip a Windows browser uploaded as application/x-zip-compressed', async () => {
    const r = await call(alice.url, 'POST', '/files/io.cozy.files.root-dir?Type=file&Name=export-windows.zip', { token: alice.cliToken, raw: 'PK\u0005\u0006', headers: { 'Content-Type': 'application/x-zip-compressed' } })
    expect(pick(r.json, 'data', 'attributes', 'class')).toBe('application')
    const zips = await readDriveZips(appClient(alice))
    expect(zips.map(z => z.name)).toContain('export-windows.zip')
    expect(zips.find(z => z.name === 'export-windows.zip')?.path).toBe('/export-windows.zip')
  })

  it('errors the job of a konnector that is not installed, and says so past the hourly limit of konnector jobs', async () => {
    const importId = await create(IMPORTS_DOCTYPE, { ...emptyImportRecord(new Date()), archive: { fileId: 'f', name: 'a.zip', size: 1, exportId: null, exportedAt: null } })
    const start = () => api.entImports.start({ fileId: 'f', selection: ['workspace'], includeTrash: false, importId })
    const job = await start()
    // the record names the job, so the page can read its error when no engine ever runs
    const client = appClient(alice)
    expect(await recordJob(client, importId, job.id)).toBe(true)
    expect((await readImportRecord(client, importId)).jobId).toBe(job.id)
    let state = job
    while (state.state === 'queued' || state.state === 'running') {
      await new Promise(resolve => setTimeout(resolve, 50))
      // JobCollection.get, as the import page reads the job (GET /jobs/:id)
      const { definition, options } = buildJobQuery(job.id)
      state = ((await client.query(definition(), options)) as { data: typeof job }).data
    }
    expect(state).toMatchObject({ state: 'errored', error: KONNECTOR_NOT_INSTALLED })
    for (let i = 2; i <= 100; i++) await start()
    const err = await start().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StackError)
    expect(err).toMatchObject({ status: 400, translationKey: 'entImport.errors.rateLimited' })
  })

  it('reads and makes the Drive folders through FileCollection, with the translated errors', async () => {
    const client = appClient(alice)
    expect(await statByPath(client, '/Pas là')).toBeNull()
    const made = await ensureDirectory(client, '/Mes données ENT/À importer/Classe')
    expect(made).toMatchObject({ type: 'directory', name: 'Classe', path: '/Mes données ENT/À importer/Classe' })
    // Existing levels are found, not made twice.
    expect((await ensureDirectory(client, '/Mes données ENT/À importer/Classe')).id).toBe(made.id)
    expect(await statByPath(client, '/Mes données ENT/À importer')).toMatchObject({ type: 'directory', id: made.dirId })
    expect(await statById(client, made.id)).toMatchObject({ path: '/Mes données ENT/À importer/Classe' })
    await expect(statById(client, 'nope')).rejects.toMatchObject({ status: 404, translationKey: 'stackErrors.notFound' })
    // A level that is a file (which has no path): FileCollection asks for "undefined/sous", the
    // stack answers 400, and getDirectoryOrCreate rethrows the bare JSON:API errors array.
    await call(alice.url, 'POST', `/files/${made.id}?Type=file&Name=notes.txt`, { token: alice.cliToken, raw: 'x', headers: { 'Content-Type': 'text/plain' } })
    const err = await ensureDirectory(client, '/Mes données ENT/À importer/Classe/notes.txt/sous').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StackError)
    expect(err).toMatchObject({ status: 400, translationKey: 'stackErrors.badRequest' })
  })

  it('checks the konnector by slug through KonnectorCollection (404 before any permission, as web/apps/apps.go)', async () => {
    const client = appClient(alice)
    expect(await isKonnectorInstalled(client)).toBe(false)
    await alice.installKonnector(await writeKonnector({ slug: 'ent-import', permissions: {} }, 'process.exit(0)'))
    expect(await isKonnectorInstalled(client)).toBe(true)
  })
})
