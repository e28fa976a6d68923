import { startStack, type RunningStack, type StackInstance } from '../../../dev-stack'
import { call, pick } from '../../../dev-stack/testing/http'
import type { OutboxMail } from '../../../dev-stack/mail/outbox'
import type { JobDoc } from '../../../dev-stack/jobs/system'
import { emptyImportRecord, IMPORTS_DOCTYPE } from '../../../src/import/records'
import { appWithServices } from './app-with-services'
import fr from '../../../locales/fr.json'

jest.setTimeout(120_000)

/**
 * The app's notification services as a Cozy runs them: installed with their built files, the
 * manifest's `services` became triggers; an import record ending or an export finishing
 * wakes them through those triggers, and the notification reaches the mail outbox. Nothing
 * calls the services' code from here.
 */
describe('notification services through their triggers', () => {
  let stack: RunningStack
  let alice: StackInstance
  let token: string
  const log: string[] = []

  beforeAll(async () => {
    stack = await startStack({ log: line => log.push(line) })
    alice = stack.instances[0]
    await alice.installApp(await appWithServices())
    token = alice.tokenFor('mes-donnees')
  })
  afterAll(async () => {
    await stack?.stop()
  })

  async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
    const end = Date.now() + timeoutMs
    for (;;) {
      const v = await fn()
      if (v !== undefined) return v
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log.join('\n')}`)
      await new Promise(r => setTimeout(r, 100))
    }
  }

  const mailsAfter = (count: number): OutboxMail[] => stack.outbox.list(alice.domain).slice(count)
  const serviceJobs = async (name: string): Promise<JobDoc[]> => (await alice.instance.jobs.jobsOf({ worker: 'service' })).filter(j => (j.message as { name?: string }).name === name)
  const settled = async (name: string, count: number): Promise<JobDoc[]> =>
    until(`${count} ${name} jobs`, async () => {
      const jobs = await serviceJobs(name)
      return jobs.length >= count && jobs.every(j => j.state === 'done' || j.state === 'errored') ? jobs : undefined
    })

  async function putRecord(id: string, fields: Record<string, unknown>): Promise<void> {
    const current = await alice.instance.dbs.get(IMPORTS_DOCTYPE, id)
    const r = await call(alice.url, 'PUT', `/data/${IMPORTS_DOCTYPE}/${id}`, { token, body: { ...current, ...fields } })
    expect(r.status).toBe(200)
  }

  it('installs one trigger of worker "service" per service of the manifest', async () => {
    const triggers = (await alice.instance.jobs.allTriggers()).filter(t => t.worker === 'service')
    expect(triggers.map(t => [t.type, t.arguments, t.message]).sort()).toEqual([
      ['@event', 'io.cozy.exports:UPDATED', { slug: 'mes-donnees', name: 'export-notification' }],
      ['@event', 'io.cozy.mesdonnees.imports:UPDATED:done,failed:state', { slug: 'mes-donnees', name: 'import-notification' }]
    ])
  })

  it('mails "import finished" once when the record is updated to done, and not while it runs', async () => {
    const created = await call(alice.url, 'POST', `/data/${IMPORTS_DOCTYPE}/`, {
      token,
      body: { ...emptyImportRecord(new Date()), state: 'running', archive: { fileId: 'f', name: 'mes-donnees.zip', size: 1, exportId: null, exportedAt: null } }
    })
    expect(created.status).toBe(201)
    const id = String(pick(created.json, 'id'))
    const before = stack.outbox.list(alice.domain).length
    await putRecord(id, { progress: { bytesDone: 10, bytesPlanned: 20, itemsDone: 1, itemsPlanned: 3 } })
    await putRecord(id, { state: 'done', apps: [{ app: 'workspace', imported: 3, skipped: 1, notSelected: 0, failed: 0 }], finishedAt: new Date().toISOString() })

    const [mail] = await until('the import mail', () => (mailsAfter(before).length ? mailsAfter(before) : undefined))
    expect(mail.subject).toBe(fr.importNotification.doneTitle)
    expect(mail.template).toBe('notification')
    expect(mail.text).toContain('mes-donnees.zip\u202f: 3 éléments importés')
    expect(mail.html).toContain(`${alice.appUrl('mes-donnees').replace(/\/$/, '')}/#/ent-import/history/${id}`)
    const [job] = await settled('import-notification', 1)
    expect(job).toMatchObject({ state: 'done', trigger_id: expect.any(String), event: { verb: 'UPDATED', doc: { _id: id, state: 'done' } } })
    // The service wrote notifiedAt: that update wakes it again (state is still "done"), and it sends nothing more.
    expect((await alice.instance.dbs.get(IMPORTS_DOCTYPE, id)).notifiedAt).toEqual(expect.any(String))
    const jobs = await settled('import-notification', 2)
    expect(jobs.every(j => j.state === 'done')).toBe(true)
    expect(log).toContain('[service mes-donnees/import-notification] debug: import-notification: already-notified')
    expect(mailsAfter(before)).toHaveLength(1)
    // the record's progress update (still running) woke nothing
    expect(jobs.every(j => (j.event?.doc as { state?: string }).state === 'done')).toBe(true)
  })

  it('mails "import failed" when the record fails', async () => {
    const created = await call(alice.url, 'POST', `/data/${IMPORTS_DOCTYPE}/`, { token, body: { ...emptyImportRecord(new Date()), state: 'running', archive: { fileId: 'g', name: 'cassé.zip', size: 1, exportId: null, exportedAt: null } } })
    const id = String(pick(created.json, 'id'))
    const before = stack.outbox.list(alice.domain).length
    await putRecord(id, { state: 'failed', error: 'the archive is damaged' })
    const [mail] = await until('the failure mail', () => (mailsAfter(before).length ? mailsAfter(before) : undefined))
    expect(mail.subject).toBe(fr.importNotification.failedTitle)
    expect(mail.text).toContain('cassé.zip')
  })

  it('mails "export ready" when the stack finishes an export', async () => {
    const before = stack.outbox.list(alice.domain).length
    const r = await call(alice.url, 'POST', '/move/exports', { token: alice.cliToken, body: { data: { type: 'io.cozy.exports', attributes: {} } } })
    expect(r.status).toBe(201)
    const mail = await until('the export notification', () => mailsAfter(before).find(m => m.template === 'notification'))
    expect(mail.subject).toBe(fr.exportNotification.readyTitle)
    expect(mail.html).toContain(`${alice.appUrl('mes-donnees').replace(/\/$/, '')}/#/export`)
    const [job] = await settled('export-notification', 1)
    expect(job.state).toBe('done')
    expect(log).toContain('[service mes-donnees/export-notification] debug: export-notification: sent-ready')
  })
})
