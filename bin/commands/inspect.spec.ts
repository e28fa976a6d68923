// `mes-donnees inspect` run as users run it: the real command line in a child process.
import { execFile } from 'child_process'
import { writeFileSync } from 'fs'
import path from 'path'
import { REAL_SAMPLE } from '../../test/fixtures/real-sample'
import { temporaryDirectory } from '../../test/fixtures/paths'

const CLI = path.resolve(__dirname, '../mes-donnees.js')

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, [CLI, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    })
  })
}

describe('mes-donnees inspect', () => {
  const tmp = temporaryDirectory()
  afterAll(() => tmp.remove())

  it('prints the contract JSON for the genuine sample', async () => {
    const { code, stdout, stderr } = await run(['inspect', REAL_SAMPLE, '--json'])
    expect([code, stderr]).toEqual([0, ''])
    const description = JSON.parse(stdout)
    expect(Object.keys(description)).toEqual(['exportId', 'exportedAt', 'user', 'apps', 'warnings'])
    expect(description.user).toEqual({ id: '3c6e1e62-9ea9-4e4f-972f-58c41b83cb76', name: 'Bernard Junior' })
    expect(description.apps.map((a: Record<string, unknown>) => Object.keys(a))).toEqual(Array(4).fill(['app', 'folder', 'version', 'items', 'resources', 'documents', 'bytes', 'shares']))
    expect(description.apps.map((a: { app: string; items: number; resources: number }) => [a.app, a.items, a.resources])).toEqual([
      ['scrapbook', 6, 3],
      ['actualites', 4, 2],
      ['workspace', 8, 8],
      ['blog', 6, 3]
    ])
  }, 30_000)

  it('prints a table by default', async () => {
    const { code, stdout } = await run(['inspect', REAL_SAMPLE])
    expect(code).toBe(0)
    const lines = stdout.split('\n')
    expect(lines[0]).toBe('Export:    1775058630583_3c6e1e62-9ea9-4e4f-972f-58c41b83cb76')
    expect(lines[2]).toBe('User:      3c6e1e62-9ea9-4e4f-972f-58c41b83cb76 (Bernard Junior)')
    expect(lines[4].split(/\s+/)).toEqual(['app', 'folder', 'version', 'items', 'resources', 'documents', 'bytes', 'shares'])
    expect(lines[7].split(/\s{2,}/)).toEqual(['workspace', 'Espace documentaire', '6.14-SNAPSHOT', '8', '8', '8', '347.6 KiB', '0'])
    expect(stdout).toContain('No warnings.')
  }, 30_000)

  it('exits 2 with NO_ARCHIVE when there is no file, as the import does', async () => {
    const target = path.join(tmp.dir, 'absent.zip')
    const inspect = await run(['inspect', target])
    const dry = await run(['import', target, '--dry-run'])
    expect([inspect.code, dry.code]).toEqual([2, 2])
    expect(inspect.stderr).toMatch(new RegExp(`^mes-donnees inspect: ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: NO_ARCHIVE: `))
    expect(dry.stderr).toContain('NO_ARCHIVE: ')
  }, 30_000)

  it('exits 2 with one line naming the problem for an unreadable file', async () => {
    const target = path.join(tmp.dir, 'broken.zip')
    writeFileSync(target, 'PK\u0003\u0004 and then nothing useful')
    const { code, stdout, stderr } = await run(['inspect', target, '--json'])
    const message = 'The zip file is truncated: its end (the central directory) is missing, probably an incomplete download.'
    expect([code, JSON.parse(stdout)]).toEqual([2, { error: { code: 'ARCHIVE_CORRUPT', message } }])
    expect(stderr).toBe(`mes-donnees inspect: ${target}: ARCHIVE_CORRUPT: ${message}\n`)
  }, 30_000)
})
