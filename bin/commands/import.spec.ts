// `mes-donnees import` run as users run it: the real command line in a child process.
// (Imports into a stand-in, kills and resumes: test/integration/import/.)
import { execFile } from 'child_process'
import path from 'path'
import { REAL_SAMPLE } from '../../test/fixtures/real-sample'

const CLI = path.resolve(__dirname, '../mes-donnees.js')

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, [CLI, ...args], { timeout: 30_000, env: { ...process.env, COZY_TOKEN: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    })
  })
}

describe('mes-donnees import', () => {
  it('plans the genuine sample without a Cozy (--dry-run --json)', async () => {
    const { code, stdout } = await run(['import', REAL_SAMPLE, '--dry-run', '--json'])
    expect(code).toBe(0)
    const report = JSON.parse(stdout)
    expect(Object.keys(report)).toEqual(['state', 'importId', 'importFolder', 'apps', 'pendingShares', 'errors', 'notices'])
    expect(report.apps.map((a: { app: string; imported: number }) => [a.app, a.imported])).toEqual([
      ['workspace', 8],
      ['scrapbook', 6],
      ['actualites', 4],
      ['blog', 6]
    ])
    expect(report.errors).toEqual([])
  }, 30_000)

  it.each([
    [['import', REAL_SAMPLE], '--cozy and --token are required'],
    [['import', REAL_SAMPLE, '--dry-run', '--only', 'calendar'], 'EMPTY_SELECTION']
  ])('refuses %j with exit code 2', async (args, message) => {
    const { code, stderr } = await run(args)
    expect(code).toBe(2)
    expect(stderr).toContain(message)
  }, 30_000)
})
