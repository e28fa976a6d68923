/**
 * The konnector never wedges: run by the stand-in's konnector worker (jailed, as the stack runs
 * it) on a generated archive of every app, SIGKILLed at seeded random moments over several
 * jobs, it ends with exactly what an uninterrupted job leaves in a fresh instance: the same
 * names and sha256 of every file of the import tree, the same events and pending shares. Each
 * killed run's record is taken over by the next execution at once (its lease is not waited
 * for); a job that finds the import held by a live job fails with IMPORT_HELD without writing,
 * and a job that finds it done says so.
 */
import { createHash } from 'crypto'
import { promises as fs } from 'fs'
import path from 'path'
import { ALL_FIXTURE_APPS, writeEntArchive, type EntFixtureSummary } from '../../fixtures/ent-archive'
import { temporaryDirectory } from '../../fixtures/paths'
import { IMPORTS_DOCTYPE, PENDING_SHARES_DOCTYPE, type ImportRecord } from '../../../src/import/records'
import { StackClient } from '../../../src/import/stack/client'
import type { JobDoc } from '../../../dev-stack/jobs/system'
import { allDocs, startImportStack, uploadArchive, waitFor, type ImportStack } from './helpers'
import { prng as random } from '../../fixtures/prng'

jest.setTimeout(120_000)

const IMPORT_ID = 'kill'
const ROOT = '/Mes données ENT/2026-04-01'


const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, Math.max(0, ms)))

/** Every folder and file under the import folder: its path, and for files the sha256 of the bytes downloaded. */
async function treeWithHashes(client: StackClient, rootPath: string): Promise<string[]> {
  const root = await client.statByPath(rootPath)
  if (!root) return []
  const out: string[] = []
  const walk = async (id: string, at: string): Promise<void> => {
    for (const child of await client.listDir(id)) {
      const p = `${at}/${child.name}`
      if (child.type === 'directory') {
        out.push(`${p}/`)
        await walk(child._id, p)
        continue
      }
      const res = await fetch(client.downloadUrl(child._id), { headers: client.authHeaders() })
      out.push(`${p} ${createHash('sha256').update(new Uint8Array(await res.arrayBuffer())).digest('hex')}`)
    }
  }
  await walk(root._id, '')
  return out.sort()
}

interface Imported {
  tree: string[]
  events: unknown[]
  shares: unknown[]
}

async function importedState(instance: ImportStack['stack']['instances'][number]): Promise<Imported> {
  const admin = new StackClient(instance.url, instance.cliToken)
  const events = await allDocs(instance.url, instance.cliToken, 'io.cozy.calendar.events')
  const shares = (await allDocs(instance.url, instance.cliToken, PENDING_SHARES_DOCTYPE)).map(s => {
    const { createdAt: _c, updatedAt: _u, cozy, ...rest } = s as Record<string, unknown> & { cozy: Record<string, unknown> }
    return { ...rest, cozy: { ...cozy, id: undefined } }
  })
  return { tree: await treeWithHashes(admin, ROOT), events, shares }
}

async function recordOf(client: StackClient): Promise<(ImportRecord & { _id: string }) | null> {
  return client.getDoc<ImportRecord & { _id: string }>(IMPORTS_DOCTYPE, IMPORT_ID)
}

describe('the konnector killed at random moments over several jobs', () => {
  const tmp = temporaryDirectory('ent-import-kill-')
  const log: string[] = []
  let fixture: EntFixtureSummary
  let env: ImportStack
  let reference: Imported

  beforeAll(async () => {
    fixture = await writeEntArchive(path.join(tmp.dir, 'kill.zip'), { apps: ALL_FIXTURE_APPS, workspaceFiles: 40, fileBytes: i => 20_000 + i * 131 })
    env = await startImportStack({ instances: 2 }, log)
    // The reference: one job, never interrupted, in bob's fresh instance.
    const bob = env.stack.instances[1]
    const bobAdmin = new StackClient(bob.url, bob.cliToken)
    const archive = await uploadArchive(bobAdmin, fixture.path, 'io.cozy.files.root-dir')
    const job = await bobAdmin.queueJob('konnector', { konnector: 'ent-import', fileId: archive._id, importId: IMPORT_ID })
    const ended = await waitFor('the uninterrupted job to end', async () => {
      const doc = await bob.instance.jobs.getJob(job.id)
      return doc && (doc.state === 'done' || doc.state === 'errored') ? doc : null
    }, 60_000, 100)
    expect(ended.state).toBe('done')
    expect((await recordOf(bobAdmin))?.state).toBe('done')
    reference = await importedState(bob)
    expect(reference.tree.length).toBeGreaterThan(40)
  })

  afterAll(async () => {
    // KILL_LOG=<file>: the stand-in's log (konnector lines, kills, takeovers) to read a failure.
    if (process.env.KILL_LOG) await fs.writeFile(process.env.KILL_LOG, log.join('\n'))
    await env?.stop()
    tmp.remove()
  })

  it('ends with the same tree, bytes and documents as an uninterrupted job, each killed run taken over at once', async () => {
    const alice = env.stack.instances[0]
    const jobs = alice.instance.jobs
    const admin = env.admin
    const archive = await uploadArchive(admin, fixture.path, 'io.cozy.files.root-dir')
    const message = { konnector: 'ent-import', fileId: archive._id, importId: IMPORT_ID }
    const next = random(20261203)
    const queued: string[] = []
    const queue = async (): Promise<string> => {
      const { id } = await admin.queueJob('konnector', message)
      queued.push(id)
      return id
    }
    let jobId = await queue()
    let killedWhileWriting = 0
    let lastStart = 0
    for (let kill = 0; kill < 6; kill++) {
      // The job's next execution (a retry of the one killed), or a new job once it errored.
      const execution = await waitFor('an execution to kill', async () => {
        const running = jobs.executionOf(jobId)
        if (running && running.startedAt > lastStart) return running
        const job = await jobs.getJob(jobId)
        return job && (job.state === 'done' || job.state === 'errored') && !running ? 'ended' : null
      }, 30_000, 10)
      if (execution === 'ended') {
        if ((await recordOf(admin))?.state === 'done') break
        jobId = await queue()
        kill--
        continue
      }
      lastStart = execution.startedAt
      if (kill < 4) {
        // Most kills while this execution writes: at a random point of the first half of what is
        // left (progress, not time, so that it holds on a fast machine and a loaded one).
        const wrote = await waitFor('the execution to write', async () => {
          const doc = await recordOf(admin)
          if (doc && Date.parse(doc.updatedAt) >= execution.startedAt && doc.state === 'running') return doc
          return jobs.executionOf(jobId) ? null : 'ended'
        }, 30_000, 10)
        if (wrote !== 'ended') {
          const target = wrote.progress.itemsDone + next() * 0.5 * (wrote.progress.itemsPlanned - wrote.progress.itemsDone)
          await waitFor('the execution to get there', async () => ((await recordOf(admin))?.progress.itemsDone ?? 0) >= target || !jobs.executionOf(jobId), 30_000, 10)
          await sleep(next() * 300)
        }
      } else {
        // The others anywhere from the konnector's start (booting, reading the archive, writing).
        await sleep(execution.startedAt + 100 + next() * 3000 - Date.now())
      }
      const before = await recordOf(admin)
      if (!jobs.killExecution(jobId)) continue
      // Killed while writing: this execution had written the record already.
      if (before?.state !== 'running' || !before.lease || Date.parse(before.updatedAt) < execution.startedAt) continue
      killedWhileWriting++
      // The killed run's lease is not waited for: the next run writes well before it expires.
      const leftBy = before.lease
      const taken = await waitFor('the next run to take the import over', async () => {
        const doc = await recordOf(admin)
        if (doc && (doc.state === 'done' || (doc.lease && doc.lease.holder !== leftBy.holder))) return doc
        const job = await jobs.getJob(jobId)
        if (job && job.state === 'errored' && !jobs.executionOf(jobId)) jobId = await queue()
        return null
      }, 30_000, 20)
      expect(Date.now()).toBeLessThan(Date.parse(leftBy.expiresAt))
      if (taken.state === 'done') break
    }
    expect(killedWhileWriting).toBeGreaterThanOrEqual(3)

    // Let the import end, with a new job whenever the current one errored.
    const record = await waitFor('the import to end', async () => {
      const doc = await recordOf(admin)
      if (doc && (doc.state === 'done' || doc.state === 'failed')) return doc
      const job = await jobs.getJob(jobId)
      if (job && job.state === 'errored') jobId = await queue()
      return null
    }, 60_000, 100)
    expect(record.state).toBe('done')
    expect(record.errors).toEqual([])
    expect(record.lease).toBeNull()
    const ended = await waitFor('every job to end', async () => {
      const all = await Promise.all(queued.map(id => jobs.getJob(id)))
      return all.every(j => j && (j.state === 'done' || j.state === 'errored')) ? (all as JobDoc[]) : null
    }, 20_000, 100)
    // Killed jobs errored with the kill, never because another held the import.
    expect(ended.filter(j => j.state === 'errored').map(j => j.error)).toEqual(ended.filter(j => j.state === 'errored').map(() => 'signal: killed'))
    expect(ended[ended.length - 1].state).toBe('done')

    const state = await importedState(alice)
    expect(state.tree).toEqual(reference.tree)
    expect(state.events).toEqual(reference.events)
    expect(state.shares).toEqual(reference.shares)
  })

  it('a job started while another writes the import fails with IMPORT_HELD, and one started after the end says it was done', async () => {
    const alice = env.stack.instances[0]
    const jobs = alice.instance.jobs
    const admin = env.admin
    const done = await recordOf(admin)
    expect(done?.state).toBe('done')
    const archive = await admin.statById(String(done?.archive.fileId))
    const message = { konnector: 'ent-import', fileId: String(archive?._id), importId: IMPORT_ID }
    const endOf = (id: string) =>
      waitFor('the job to end', async () => {
        const job = await jobs.getJob(id)
        return job && (job.state === 'done' || job.state === 'errored') ? job : null
      }, 30_000, 50)

    const again = await admin.queueJob('konnector', message)
    expect((await endOf(again.id)).state).toBe('done')
    expect(log.some(line => line.includes(`import ${IMPORT_ID} was already done before this job; nothing written.`))).toBe(true)

    // A live job's lease on the record (a konnector job as the stack keeps it while it runs).
    const now = new Date().toISOString()
    const live = (await alice.instance.dbs.create('io.cozy.jobs', { domain: alice.domain, worker: 'konnector', message: message, state: 'running', queued_at: now, started_at: now, finished_at: '0001-01-01T00:00:00Z' })) as JobDoc
    const lease = { jobId: live._id, holder: 'another-process', expiresAt: new Date(Date.now() + 60_000).toISOString() }
    const held = (await alice.instance.dbs.put(IMPORTS_DOCTYPE, { ...(await alice.instance.dbs.get(IMPORTS_DOCTYPE, IMPORT_ID)), state: 'running', lease })) as { _rev: string }
    const rival = await admin.queueJob('konnector', message)
    const refused = await endOf(rival.id)
    expect(refused).toMatchObject({ state: 'errored', error: 'UNKNOWN_ERROR.IMPORT_HELD' })
    expect(((await alice.instance.dbs.get(IMPORTS_DOCTYPE, IMPORT_ID)) as { _rev: string })._rev).toBe(held._rev)

    // Once the stack says that job ended, the next job takes the import over at once.
    await alice.instance.dbs.put('io.cozy.jobs', { ...(await jobs.getJob(live._id)), state: 'errored', error: 'signal: killed' })
    const files = (await alice.instance.dbs.list('io.cozy.files')).length
    const successor = await admin.queueJob('konnector', message)
    expect((await endOf(successor.id)).state).toBe('done')
    const record = await recordOf(admin)
    expect(record).toMatchObject({ state: 'done', lease: null, jobId: successor.id })
    expect((await alice.instance.dbs.list('io.cozy.files')).length).toBe(files)
  })
})
