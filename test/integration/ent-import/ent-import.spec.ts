/**
 * The Import from my ENT and Share again pages' stack calls, through the local stand-in for
 * cozy-stack, with the real import engine run by the stand-in's konnector worker: the archive
 * is put in the Drive, previewed through HTTP Range requests (the "choose one already in my
 * Drive" path), imported from the import record the page creates, followed to its report,
 * resumed, and its ENT shares re-created as Cozy sharings.
 *
 * The browser's own XMLHttpRequest upload is exercised by the browser test; here the archive
 * goes in through the same `POST /files/:dir-id` route with fetch.
 */
import { promises as fs } from 'fs'
import path from 'path'
import CozyClient from 'cozy-client'
import { startStack, type RunningStack, type StackInstance } from '../../../dev-stack'
import { stackApiOf, type StackApi } from '../../../src/stack-client'
import { REAL_SAMPLE } from '../../fixtures/real-sample'
import { temporaryDirectory } from '../../fixtures/paths'
import { writeEntArchive } from '../../fixtures/ent-archive'
import { previewDriveFile } from '../../../src/pages/ent-import/preview/open-preview'
import { defaultSelection } from '../../../src/pages/ent-import/preview/items'
import { createAndRunImport, runImport } from '../../../src/pages/ent-import/import-actions'
import { UPLOAD_FOLDER_PATH } from '../../../src/pages/ent-import/upload-folder'
import { storedCopyOf } from '../../../src/pages/ent-import/stored-copy'
import { groupByRecipient, isReadOnly } from '../../../src/pages/share-again/recipients'
import { saveMapping, shareWithRecipient } from '../../../src/pages/share-again/share-actions'
import { createContact } from '../../../src/pages/share-again/contacts'
import { ensureDirectory, readDriveZips, statById } from '../../../src/pages/ent-import/drive-files'
import { isKonnectorInstalled } from '../../../src/pages/ent-import/konnector'
import { readImportRecord, readImportRecords } from '../../../src/pages/ent-import/import-docs'
import { buildJobQuery, buildPendingSharesQuery } from '../../../src/queries'
import { toPendingShare } from '../../../src/stack-client/ent-imports'
import type { CouchDoc } from '../../../src/stack-client/couch-docs'

const readPendingShares = async (client: CozyClient) => ((await client.queryAll(buildPendingSharesQuery().definition())) as CouchDoc[]).map(toPendingShare)
import type { DriveFile } from '../../../src/stack-client/files-upload'
import { appWithServices } from '../services/app-with-services'
import type { OutboxMail } from '../../../dev-stack/mail/outbox'
import type { ImportRecord } from '../../../src/import/records'
// The konnector bundled as `npm run build` makes it: the stand-in runs it in a jail where the
// repository's sources are not visible (dev-stack/jobs/konnector-jail.ts).
import { konnectorDir } from '../import/helpers'

jest.setTimeout(180_000)

/** Mails matching `match`, once at least one came and the services had time to run again. */
async function waitForMails(stack: RunningStack, match: (m: OutboxMail) => boolean): Promise<OutboxMail[]> {
  const end = Date.now() + 60_000
  while (!stack.outbox.list().some(match)) {
    if (Date.now() > end) throw new Error('no notification mail')
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  const jobs = stack.instances[0].instance.jobs
  while ((await jobs.jobsOf({ worker: 'service', states: ['queued', 'running'] })).length > 0) await new Promise(resolve => setTimeout(resolve, 100))
  return stack.outbox.list().filter(match)
}

async function putInDrive(api: StackApi, client: CozyClient, instance: StackInstance, file: string, name: string): Promise<DriveFile> {
  const folder = await ensureDirectory(client, UPLOAD_FOLDER_PATH)
  const bytes = await fs.readFile(file)
  const response = await fetch(`${instance.url}files/${folder.id}?Type=file&Name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${instance.tokenFor('mes-donnees')}`, 'Content-Type': 'application/zip' },
    body: new Uint8Array(bytes)
  })
  expect(response.status).toBe(201)
  const found = (await readDriveZips(client)).find(f => f.name === name)
  if (!found) throw new Error(`${name} is not among the Drive's zips`)
  return found
}

async function waitForEnd(client: CozyClient, importId: string): Promise<ImportRecord & { _id: string }> {
  const states: string[] = []
  for (;;) {
    const record = await readImportRecord(client, importId)
    if (states[states.length - 1] !== record.state) states.push(record.state)
    if (record.state === 'done' || record.state === 'failed') return record
    await new Promise(resolve => setTimeout(resolve, 250))
  }
}

describe('Import from my ENT through the stand-in', () => {
  let stack: RunningStack
  let instance: StackInstance
  let api: StackApi
  let client: CozyClient
  const tmp = temporaryDirectory()

  beforeAll(async () => {
    stack = await startStack({ instances: 1 })
    instance = stack.instances[0]
    await instance.installApp(await appWithServices())
    client = new CozyClient({ uri: instance.url.replace(/\/$/, ''), token: instance.tokenFor('mes-donnees'), schema: {} })
    api = stackApiOf(client)
  })
  afterAll(async () => {
    await stack?.stop()
    tmp.remove()
  })

  it('finds the zip already in the Drive by its MD5 instead of storing it twice', async () => {
    const bytes = await fs.readFile(REAL_SAMPLE)
    const stored = await putInDrive(api, client, instance, REAL_SAMPLE, 'déjà là.zip')
    expect((await storedCopyOf(client, new Blob([new Uint8Array(bytes)])))?.id).toBe(stored.id)
    // same size, one byte different: not the same archive
    const other = new Uint8Array(bytes)
    other[1000] ^= 0xff
    expect(await storedCopyOf(client, new Blob([other]))).toBeNull()
  })

  it('explains the missing konnector, then imports the genuine sample once installed, and resumes to "already there"', async () => {
    const zip = await putInDrive(api, client, instance, REAL_SAMPLE, 'real-export-sample.zip')
    const result = await previewDriveFile(api.files.downloadUrl(zip.id), zip.size ?? 0, api.files.authorization(), zip.name)
    if (!result.ok) throw new Error(`preview failed: ${result.code}`)
    const preview = result.preview
    const named = await result.userName
    expect(named.name).toBe('Bernard Junior')
    expect(preview.items.map(i => i.id).sort()).toEqual(['actualites', 'blog', 'scrapbook', 'workspace'])
    // Range requests only: the end of the file with the directory, the Manifest and small
    // records, each read in windows of at least 4 KiB (src/ent/zip/web-platform.ts): a fixed
    // amount, however large the archive (the genuine sample is 0.7 MB).
    expect(named.bytesRead).toBeLessThan(128 * 1024)

    const destination = await ensureDirectory(client, '/Mes données ENT')
    const request = { fileId: zip.id, fileName: zip.name, fileSize: zip.size ?? 0, preview, selected: defaultSelection(preview), destination: { id: destination.id, path: '/Mes données ENT' } }
    const missing = await createAndRunImport(api, client, request)
    expect(missing.kind).toBe('konnector-missing')
    const queued = await readImportRecord(client, missing.importId)
    expect(queued).toMatchObject({ state: 'queued', selection: expect.arrayContaining(['workspace', 'blog', 'scrapbook', 'actualites']), includeTrash: false })

    await instance.installKonnector(await konnectorDir())
    expect(await isKonnectorInstalled(client)).toBe(true)
    const started = await runImport(api, client, queued)
    expect(started).toEqual({ kind: 'started', importId: missing.importId })
    const done = await waitForEnd(client, missing.importId)
    expect(done.error).toBeNull()
    expect(done.state).toBe('done')
    const workspace = done.apps.find(a => a.app === 'workspace')
    expect(workspace?.imported).toBeGreaterThanOrEqual(8)
    expect(done.apps.map(a => a.app).sort()).toEqual(['actualites', 'blog', 'scrapbook', 'workspace'])
    expect(done.importFolder?.path).toMatch(/^\/Mes données ENT\//)
    expect(await statById(client, done.importFolder?.id ?? '')).toMatchObject({ type: 'directory' })
    expect((await readImportRecords(client)).map(r => r._id)).toContain(missing.importId)

    // The app's import-notification service, woken by its trigger when the konnector set the
    // record to done: one notification per end, mailed (the stand-in mails content_html).
    const notices = await waitForMails(stack, m => m.subject === 'Votre import ENT est terminé' && m.text.includes(done._id))
    expect(notices).toHaveLength(1)
    expect(notices[0].html).toContain(`#/ent-import/history/${done._id}`)
    expect(notices[0].text).toContain(`#/ent-import/history/${done._id}`)
    expect((await instance.instance.dbs.get('io.cozy.mesdonnees.imports', done._id)).notifiedAt).toEqual(expect.any(String))

    // Starting the same import again (what "resume" does) writes nothing twice.
    const filesBefore = (await instance.instance.dbs.list('io.cozy.files')).length
    const job = await api.entImports.start({ fileId: zip.id, selection: done.selection ?? [], includeTrash: false, folderToSave: destination.id, importId: done._id })
    const jobState = async () => ((await client.query(buildJobQuery(job.id).definition(), buildJobQuery(job.id).options)) as { data: { state: string } }).data.state
    for (let state: string = job.state; state === 'queued' || state === 'running'; state = await jobState()) {
      await new Promise(resolve => setTimeout(resolve, 250))
    }
    const again = await waitForEnd(client, missing.importId)
    expect(again.state).toBe('done')
    expect((await instance.instance.dbs.list('io.cozy.files')).length).toBe(filesBefore)
  })

  it('imports a generated archive with shares and re-creates them as Cozy sharings', async () => {
    const file = path.join(tmp.dir, 'shares.zip')
    await writeEntArchive(file, { apps: ['workspace', 'blog', 'forum'], workspaceFiles: 12, exportMs: 1775058999000 })
    const zip = await putInDrive(api, client, instance, file, 'archive-avec-partages.zip')
    const result = await previewDriveFile(api.files.downloadUrl(zip.id), zip.size ?? 0, api.files.authorization(), zip.name)
    if (!result.ok) throw new Error(`preview failed: ${result.code}`)
    const destination = await ensureDirectory(client, '/Mes données ENT')
    const outcome = await createAndRunImport(api, client, { fileId: zip.id, fileName: zip.name, fileSize: zip.size ?? 0, preview: result.preview, selected: defaultSelection(result.preview), destination: { id: destination.id, path: '/Mes données ENT' } })
    expect(outcome.kind).toBe('started')
    const done = await waitForEnd(client, outcome.importId)
    expect(done.state).toBe('done')
    expect(done.pendingShares).toBeGreaterThan(0)

    let shares = (await readPendingShares(client)).filter(s => s.importId === outcome.importId)
    expect(shares.length).toBe(done.pendingShares)
    const groups = groupByRecipient(shares)
    expect(groups.length).toBeGreaterThan(0)
    const target = groups.find(g => g.pending.some(item => item.share.cozy.doctype === 'io.cozy.files')) ?? groups[0]
    const contact = await createContact(client, 'Camille Martin', 'camille.martin@example.org')
    shares = await saveMapping(client, shares, target.key, [{ id: contact.id, doctype: contact.doctype, name: contact.name }])
    const mapped = groupByRecipient(shares).find(g => g.key === target.key)
    if (!mapped) throw new Error('recipient lost')
    expect(mapped.contacts.map(c => c.id)).toEqual([contact.id])

    const shared = await shareWithRecipient(client, shares, mapped)
    expect(shared.failures).toEqual({})
    expect(shared.created).toBe(mapped.pending.length)
    const reread = (await readPendingShares(client)).filter(s => s.importId === outcome.importId)
    const afterGroup = groupByRecipient(reread).find(g => g.key === target.key)
    expect(afterGroup?.pending).toEqual([])
    expect(afterGroup?.done.length).toBe(mapped.pending.length)
    // The stand-in mails the invitations, as the stack does: one per sharing, one sharing per access mode.
    const mails = stack.outbox.list().filter(m => m.to === 'camille.martin@example.org')
    expect(mails.length).toBe(shared.sharings)
    expect(shared.sharings).toBe(new Set(mapped.pending.map(item => isReadOnly(item.role))).size)
  })
})
