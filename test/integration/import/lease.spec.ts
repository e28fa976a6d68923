/**
 * A run whose import another run took over stops writing: the engine in-process, its record
 * taken over (the command line forcing it) while it works; the first run ends with IMPORT_HELD
 * at its next record write, the second ends done, and the import folder holds exactly what one
 * uninterrupted run leaves (no file twice, none lost).
 */
import path from 'path'
import { ALL_FIXTURE_APPS, writeEntArchive, type EntFixtureSummary } from '../../fixtures/ent-archive'
import { temporaryDirectory } from '../../fixtures/paths'
import { ImportError, runImport } from '../../../src/import/engine'
import { IMPORTS_DOCTYPE, type ImportRecord } from '../../../src/import/records'
import { StackClient } from '../../../src/import/stack/client'
import { snapshotTree, startImportStack, waitFor, type ImportStack } from './helpers'

jest.setTimeout(90_000)

describe('a run taken over while it works', () => {
  const tmp = temporaryDirectory('ent-import-lease-')
  let fixture: EntFixtureSummary
  let env: ImportStack

  beforeAll(async () => {
    fixture = await writeEntArchive(path.join(tmp.dir, 'lease.zip'), { apps: ALL_FIXTURE_APPS, workspaceFiles: 40, fileBytes: i => 10_000 + i * 97 })
    // Each request takes 20 ms, as over a network: the first run is still writing when the second starts.
    env = await startImportStack({ instances: 2, requestLatencyMs: 20 }, undefined, false)
  })

  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('stops writing, and the import ends with what one uninterrupted run leaves', async () => {
    const bob = env.stack.instances[1]
    const reference = await runImport({ client: new StackClient(bob.url, bob.cliToken), archive: { kind: 'file', path: fixture.path }, importId: 'lease' })
    expect(reference.state).toBe('done')
    const folder = String(reference.report.importFolder?.path)
    const expected = await snapshotTree(new StackClient(bob.url, bob.cliToken), folder)

    const lines: string[] = []
    const first = runImport({ client: env.konnector, archive: { kind: 'file', path: fixture.path }, importId: 'lease', concurrency: 1, log: line => lines.push(line) }).then(
      outcome => outcome,
      (err: unknown) => err
    )
    const writing = await waitFor('the first run to write', async () => {
      const doc = await env.admin.getDoc<ImportRecord & { _id: string }>(IMPORTS_DOCTYPE, 'lease')
      return doc && doc.state === 'running' && doc.progress.itemsDone > 5 ? doc : null
    }, 60_000, 20)
    expect(writing.lease).toMatchObject({ jobId: null })
    // Without force the second run leaves the import to the first: no job the stack could say ended, and a live lease.
    await expect(runImport({ client: env.konnector, archive: { kind: 'file', path: fixture.path }, importId: 'lease', jobId: 'job-second' })).rejects.toMatchObject({ code: 'IMPORT_HELD' })
    const second = await runImport({ client: env.konnector, archive: { kind: 'file', path: fixture.path }, importId: 'lease', jobId: 'job-second', force: true })
    expect(second.state).toBe('done')

    const ended = await first
    expect(ended).toBeInstanceOf(ImportError)
    expect((ended as ImportError).code).toBe('IMPORT_HELD')
    const record = await env.admin.getDoc<ImportRecord & { _id: string }>(IMPORTS_DOCTYPE, 'lease')
    expect(record).toMatchObject({ state: 'done', jobId: 'job-second', lease: null, errors: [] })
    expect(await snapshotTree(env.admin, folder)).toEqual(expected)
  })
})
