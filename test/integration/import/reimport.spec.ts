/**
 * The same export imported again: under another import id it goes into the first import's
 * folder and finds every item there (nothing written twice); a copy gets a folder of its own;
 * the command line stops before writing and says where the first import went, unless --copy.
 */
import { execFile } from 'child_process'
import path from 'path'
import { runImport } from '../../../src/import/engine'
import { IMPORTS_DOCTYPE, PENDING_SHARES_DOCTYPE } from '../../../src/import/records'
import { EVENTS_DOCTYPE } from '../../../src/import/executor'
import { ALL_FIXTURE_APPS, writeEntArchive } from '../../fixtures/ent-archive'
import { REAL_SAMPLE } from '../../fixtures/real-sample'
import { temporaryDirectory } from '../../fixtures/paths'
import { allDocs, snapshotTree, startImportStack, type ImportStack } from './helpers'

jest.setTimeout(120_000)

const CLI = path.resolve(__dirname, '../../../bin/mes-donnees.js')

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    })
  })
}

describe('importing the same export again', () => {
  const tmp = temporaryDirectory('ent-reimport-')
  let env: ImportStack

  beforeAll(async () => {
    env = await startImportStack({}, undefined, false)
  })

  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('finds every item already there under another import id, and writes a copy only when asked', async () => {
    const archive = (await writeEntArchive(path.join(tmp.dir, 'all.zip'), { apps: ALL_FIXTURE_APPS, exportMs: 1775058639999 })).path
    const first = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'first' })
    expect(first.state).toBe('done')
    const folder = String(first.report.importFolder?.path)
    const before = await snapshotTree(env.admin, folder)
    const events = (await allDocs(env.url, env.cliToken, EVENTS_DOCTYPE)).length
    const shares = (await allDocs(env.url, env.cliToken, PENDING_SHARES_DOCTYPE)).length

    const second = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'second' })
    expect(second.state).toBe('done')
    expect(second.report.importFolder?.path).toBe(folder)
    for (const line of second.report.apps) {
      expect([line.app, line.imported, line.failed]).toEqual([line.app, 0, first.report.apps.find(a => a.app === line.app)?.failed])
      expect(line.skipped + line.notSelected + line.failed).toBe(line.items)
    }
    expect(await snapshotTree(env.admin, folder)).toEqual(before)
    expect((await allDocs(env.url, env.cliToken, EVENTS_DOCTYPE)).length).toBe(events)
    expect((await allDocs(env.url, env.cliToken, PENDING_SHARES_DOCTYPE)).length).toBe(shares)

    const copy = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'copy', copy: true })
    expect(copy.report.importFolder?.path).toBe(`${folder} (2)`)
    expect(copy.report.apps.reduce((n, a) => n + a.skipped, 0)).toBe(0)
    expect(copy.report.apps.reduce((n, a) => n + a.imported, 0)).toBe(first.report.apps.reduce((n, a) => n + a.imported, 0))
    expect((await allDocs(env.url, env.cliToken, EVENTS_DOCTYPE)).length).toBe(2 * events)
  })

  it('the command line says the archive was imported before, and imports a copy with --copy', async () => {
    const args = ['import', REAL_SAMPLE, '--cozy', env.url, '--token', env.cliToken, '--into', '/Reprise']
    const first = await cli([...args, '--json'])
    expect(first.code).toBe(0)
    const folder = JSON.parse(first.stdout).importFolder.path
    const again = await cli(args)
    expect(again.code).toBe(4)
    expect(again.stderr).toContain(`This archive was already imported on `)
    expect(again.stderr).toContain(`into ${folder}`)
    expect(again.stderr).toContain('--copy')
    const json = await cli([...args, '--json'])
    expect(json.code).toBe(4)
    expect(JSON.parse(json.stdout)).toMatchObject({ state: 'failed', error: { code: 'ALREADY_IMPORTED' } })
    const records = (await allDocs(env.url, env.cliToken, IMPORTS_DOCTYPE)).filter(r => (r as { destination?: { path?: string } }).destination?.path === '/Reprise')
    expect(records).toHaveLength(1)
    const copy = await cli([...args, '--copy', '--json'])
    expect(copy.code).toBe(0)
    expect(JSON.parse(copy.stdout).importFolder.path).toBe(`${folder} (2)`)
    // resuming a finished import by its id writes nothing and says so
    const importId = String(JSON.parse(first.stdout).importId)
    const resumed = await cli([...args, '--import-id', importId])
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toContain(`import ${importId} was already done: nothing written`)
    const resumedJson = await cli([...args, '--import-id', importId, '--json'])
    expect(JSON.parse(resumedJson.stdout)).toMatchObject({ state: 'done', alreadyDone: true, importId })
  })
})
