/**
 * An import stopped at any moment ends with exactly what an uninterrupted import gives:
 * - the command line killed (SIGKILL) at random points, then run again until done;
 * - the konnector under a short time limit, continuing over several jobs (scaled down from
 *   the COZY_TIME_LIMIT=30 on 300 MB, which `npm run bench` runs).
 * Both are compared with an uninterrupted import of the same archive into another instance:
 * same folders and files (names, sizes, MD5, dates, keys), same events, same pending shares.
 */
import { spawn } from 'child_process'
import path from 'path'
import { ALL_FIXTURE_APPS, writeEntArchive, type EntFixtureSummary } from '../../fixtures/ent-archive'
import { temporaryDirectory } from '../../fixtures/paths'
import { runImport } from '../../../src/import/engine'
import { IMPORTS_DOCTYPE, PENDING_SHARES_DOCTYPE, type ImportRecord } from '../../../src/import/records'
import { StackClient } from '../../../src/import/stack/client'
import { allDocs, REPO, snapshotTree, startImportStack, uploadArchive, waitFor, type ImportStack, type TreeEntry } from './helpers'

// Several 6-second konnector jobs, each starting a node process in the jail: on a loaded 2-core
// machine their start-up eats most of each budget, and the import needs more of them.
jest.setTimeout(240_000)

/** What must be identical between two imports of one archive (ids and times of creation differ). */
async function importedState(env: { admin: StackClient; url: string; cliToken: string }, folder: string): Promise<{ tree: TreeEntry[]; events: unknown[]; shares: unknown[] }> {
  const tree = await snapshotTree(env.admin, folder)
  const events = await allDocs(env.url, env.cliToken, 'io.cozy.calendar.events')
  const shares = (await allDocs(env.url, env.cliToken, PENDING_SHARES_DOCTYPE)).map(s => {
    const { createdAt: _c, updatedAt: _u, cozy, ...rest } = s as Record<string, unknown> & { cozy: Record<string, unknown> }
    return { ...rest, cozy: { ...cozy, id: undefined } }
  })
  return { tree, events, shares }
}

/** Deterministic "random" delays (mulberry32), so a failure can be replayed. */
function delays(seed: number, count: number, min: number, max: number): number[] {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return Array.from({ length: count }, () => Math.round(min + next() * (max - min)))
}

/**
 * Runs the command line; with `killWhen`, kills it (SIGKILL) once `killWhen` resolves, unless
 * it ended before.
 */
function runCli(args: string[], killWhen: Promise<void> | null): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin/mes-donnees.js'), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let ended = false
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr.resume()
    void killWhen?.then(() => {
      if (!ended) child.kill('SIGKILL')
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      ended = true
      resolve({ code, signal, stdout })
    })
  })
}

describe('resuming interrupted imports', () => {
  const tmp = temporaryDirectory('ent-import-resume-')
  let fixture: EntFixtureSummary
  let env: ImportStack
  let reference: Awaited<ReturnType<typeof importedState>>
  let referenceCounts: Array<[string, number]>
  const ROOT = '/Mes données ENT/2026-04-01'

  beforeAll(async () => {
    fixture = await writeEntArchive(path.join(tmp.dir, 'resume.zip'), { apps: ALL_FIXTURE_APPS, workspaceFiles: 120, fileBytes: i => 20_000 + i * 97 })
    env = await startImportStack({ instances: 2, konnectorTimeLimitSeconds: 6 })
    // The reference: one uninterrupted import into bob.
    const bob = env.stack.instances[1]
    const bobAdmin = new StackClient(bob.url, bob.cliToken)
    const outcome = await runImport({ client: bobAdmin, archive: { kind: 'file', path: fixture.path }, importId: 'resume' })
    expect(outcome.state).toBe('done')
    referenceCounts = outcome.report.apps.map(a => [a.app, a.imported])
    reference = await importedState({ admin: bobAdmin, url: bob.url, cliToken: bob.cliToken }, ROOT)
  })

  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('ends with the same documents and bytes after the command line is killed at random points', async () => {
    const alice = env.stack.instances[0]
    const args = ['import', fixture.path, '--cozy', alice.url, '--token', alice.tokenFor('ent-import'), '--import-id', 'resume', '--json']
    // Each run is killed a random time after it started writing (the record says "running").
    const kills = delays(20261121, 3, 50, 1200)
    let killed = 0
    let progress = -1
    for (const after of kills) {
      const startedAt = new Date().toISOString()
      const writing = waitFor('the run to start writing', async () => {
        const doc = await env.admin.getDoc<ImportRecord & { _id: string }>(IMPORTS_DOCTYPE, 'resume')
        return doc && doc.state === 'running' && doc.updatedAt > startedAt ? doc : null
      }, 30_000, 20)
      const run = await runCli(args, writing.then(() => new Promise(resolve => setTimeout(resolve, after))))
      if (run.signal === 'SIGKILL') killed++
      const doc = await env.admin.getDoc<ImportRecord & { _id: string }>(IMPORTS_DOCTYPE, 'resume')
      // Every run moves the import forward, whatever the moment it was killed.
      expect(doc?.progress.itemsDone ?? 0).toBeGreaterThanOrEqual(progress)
      progress = doc?.progress.itemsDone ?? 0
    }
    expect(killed).toBeGreaterThanOrEqual(2)
    const final = await runCli(args, null)
    expect(final.code).toBe(0)
    const report = JSON.parse(final.stdout) as { state: string; errors: unknown[]; apps: Array<{ imported: number; skipped: number }> }
    expect(report.state).toBe('done')
    expect(report.errors).toEqual([])
    const state = await importedState(env, ROOT)
    expect(state.tree).toEqual(reference.tree)
    expect(state.events).toEqual(reference.events)
    expect(state.shares).toEqual(reference.shares)
    const record = await env.admin.getDoc<ImportRecord & { _id: string }>(IMPORTS_DOCTYPE, 'resume')
    expect(record?.jobs).toBe(kills.length + 1)
    // Each operation counted once: imported by one run, or found already there by the next.
    expect(record?.apps.map(a => [a.app, a.imported + a.skipped])).toEqual(referenceCounts)
    expect(record?.apps.every(a => a.failed === 0)).toBe(true)
  })

  it('continues over several konnector jobs under a short time limit, with the same result', async () => {
    // A stack of its own whose requests each take 20 ms, as over a network: the import then
    // needs several times one job's budget (about 3.7 s at a 6 s limit) on any machine.
    const slow = await startImportStack({ instances: 1, konnectorTimeLimitSeconds: 6, requestLatencyMs: 20 })
    try {
      await continuesOverSeveralJobs(slow)
    } finally {
      await slow.stop()
    }
  })

  async function continuesOverSeveralJobs(slow: ImportStack): Promise<void> {
    const carol = slow.stack.instances[0]
    const carolAdmin = new StackClient(carol.url, carol.cliToken)
    const archive = await uploadArchive(carolAdmin, fixture.path, 'io.cozy.files.root-dir')
    await carolAdmin.queueJob('konnector', { konnector: 'ent-import', fileId: archive._id, importId: 'resume' })
    const record = await waitFor(
      'the import to finish over several jobs',
      async () => {
        const doc = await carolAdmin.getDoc<ImportRecord & { _id: string }>(IMPORTS_DOCTYPE, 'resume')
        return doc && (doc.state === 'done' || doc.state === 'failed') ? doc : null
      },
      120_000,
      250
    )
    expect(record.state).toBe('done')
    expect(record.jobs).toBeGreaterThanOrEqual(2)
    // The record says done just before the last konnector process exits and its job ends.
    const jobs = await waitFor(
      'every konnector job to end',
      async () => {
        const all = (await carol.instance.jobs.jobsOf({ worker: 'konnector' })).filter(j => (j.message as { importId?: string }).importId === 'resume')
        return all.some(j => j.state === 'queued' || j.state === 'running') ? null : all
      },
      20_000,
      100
    )
    expect(jobs.length).toBe(record.jobs)
    expect(jobs.every(j => j.state === 'done')).toBe(true)
    // Continuations came from @in triggers.
    expect(jobs.filter(j => j.trigger_id).length).toBe(record.jobs - 1)
    const state = await importedState({ admin: carolAdmin, url: carol.url, cliToken: carol.cliToken }, ROOT)
    expect(state.tree).toEqual(reference.tree)
    expect(state.events).toEqual(reference.events)
    expect(state.shares).toEqual(reference.shares)
  }
})
