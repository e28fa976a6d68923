/**
 * Issue 14: `inspect` and `import` agree on hostile archives (generated here, never stored:
 * test/fixtures/depth-cases.ts). For each case both commands run as users run them (child
 * processes, peak memory and time measured): a refused archive makes both exit 2 with the same
 * code; an accepted one gives the same items, the same ones failed. The small cases are then
 * imported for real into the stand-in; a folder chain past MAX_FOLDER_DEPTH lands flattened.
 */
import { execFile } from 'child_process'
import { readFileSync, writeFileSync } from 'fs'
import path from 'path'
import { ImportError, runImport } from '../../../src/import/engine'
import { MAX_FOLDER_DEPTH } from '../../../src/import/plan'
import { HOSTILE_CASES, TOP, type HostileCase } from '../../fixtures/depth-cases'
import { temporaryDirectory } from '../../fixtures/paths'
import { writeZipFile } from '../../fixtures/zip-writer'
import { snapshotTree, startImportStack, type ImportStack } from './helpers'

jest.setTimeout(240_000)

const CLI = path.resolve(__dirname, '../../../bin/mes-donnees.js')
// 250 MiB again: the 100,000-folder chain's dry run had reached 255-296 MiB, mostly garbage that
// V8 let grow to up to 4 x the live heap; with that growth bounded by the command line
// (src/import/heap.ts) and the workspace ids in a compact table it peaks at 191-199 MiB (225-246
// without the bound; measured 2026-12-03, load 10). The bound still fails a case whose memory
// grows with its depth or count.
const MAX_RSS_BYTES = 250 * 1024 * 1024
const MAX_MS = 60_000

interface Run {
  code: number
  stdout: string
  stderr: string
  rssBytes: number
  ms: number
}

describe('inspect and import agree on hostile archives', () => {
  const tmp = temporaryDirectory('ent-depth-')
  const preload = path.join(tmp.dir, 'rss.js')
  let env: ImportStack

  beforeAll(async () => {
    // The child writes its peak resident memory where the test reads it, whatever its exit.
    // VmHWM, not resourceUsage().maxRSS: Linux carries ru_maxrss across exec, so a child forked
    // from a large Jest worker would report the worker's size; VmHWM starts again with the
    // new program's address space.
    writeFileSync(
      preload,
      [
        "const fs = require('fs')",
        'function peak() {',
        "  const hwm = /VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))",
        '  return hwm ? Number(hwm[1]) * 1024 : process.resourceUsage().maxRSS * 1024',
        '}',
        "process.on('exit', () => fs.writeFileSync(process.env.MES_DONNEES_RSS_OUT, String(peak())))",
        ''
      ].join('\n')
    )
    env = await startImportStack({}, undefined, false)
  })
  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  let runs = 0
  function run(args: string[]): Promise<Run> {
    const rssOut = path.join(tmp.dir, `rss-${runs++}`)
    const started = Date.now()
    return new Promise(resolve => {
      execFile(process.execPath, ['-r', preload, CLI, ...args], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, COZY_TOKEN: '', MES_DONNEES_RSS_OUT: rssOut } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr, rssBytes: Number(readFileSync(rssOut, 'utf8')), ms: Date.now() - started })
      })
    })
  }

  function expectBounded(result: Run): void {
    expect(result.rssBytes).toBeLessThan(MAX_RSS_BYTES)
    expect(result.ms).toBeLessThan(MAX_MS)
  }

  const archives = new Map<string, string>()
  async function archiveOf(c: HostileCase): Promise<string> {
    const found = archives.get(c.name)
    if (found) return found
    const file = path.join(tmp.dir, `case-${archives.size}.zip`)
    await c.write(file)
    archives.set(c.name, file)
    return file
  }

  it.each(HOSTILE_CASES.map(c => [c.name, c] as const))('%s: both commands conclude the same', async (_name, c) => {
    const file = await archiveOf(c)
    const inspect = await run(['inspect', file, '--json'])
    expectBounded(inspect)
    expect(inspect.stderr).not.toContain('Maximum call stack')
    const dry = await run(['import', file, '--dry-run', '--json'])
    expectBounded(dry)
    expect(dry.stderr).not.toContain('Maximum call stack')
    const expected = c.expected
    if ('refused' in expected) {
      expect([inspect.code, JSON.parse(inspect.stdout).error.code]).toEqual([2, expected.refused])
      expect(inspect.stderr).toBe(`mes-donnees inspect: ${file}: ${expected.refused}: ${JSON.parse(inspect.stdout).error.message}\n`)
      expect([dry.code, JSON.parse(dry.stdout).error.code]).toEqual([2, expected.refused])
      return
    }
    expect([inspect.code, inspect.stderr]).toEqual([0, ''])
    const description = JSON.parse(inspect.stdout) as { apps: Array<{ app: string; items: number }>; warnings: Array<{ code: string }> }
    // Apps with something to import are exactly the expected ones, with the same counts.
    expect(description.apps.filter(a => a.items > 0).map(a => [a.app, a.items])).toEqual(expected.apps.map(a => [a.app, a.items]))
    expect(description.warnings.map(w => w.code)).toEqual(expect.arrayContaining(expected.warnings))
    expect(dry.code).toBe(0)
    const report = JSON.parse(dry.stdout) as { apps: Array<{ app: string; items: number; imported: number; failed: number }>; errors: unknown[]; notices: Array<{ reason: string }> }
    expect(report.apps.map(a => [a.app, a.items, a.imported, a.failed])).toEqual(expected.apps.map(a => [a.app, a.items, a.items - a.failed, a.failed]))
    expect(report.errors).toHaveLength(expected.apps.reduce((n, a) => n + a.failed, 0))
    for (const notice of expected.notices ?? []) expect(report.notices.some(n => n.reason.includes(notice))).toBe(true)
  })

  // Writing 100,000 folders takes the stand-in far longer than a case may: that one is planned above, and a shorter chain is written below.
  const small = HOSTILE_CASES.filter(c => !c.name.startsWith('a chain of'))
  it.each(small.map((c, i) => [c.name, c, i] as const))('%s: the real import ends as planned', async (_name, c, i) => {
    const file = await archiveOf(c)
    const expected = c.expected
    const importing = runImport({ client: env.konnector, archive: { kind: 'file', path: file }, importId: `depth-${i}`, copy: true })
    if ('refused' in expected) {
      await expect(importing).rejects.toEqual(expect.objectContaining({ code: expected.refused }))
      await expect(importing).rejects.toBeInstanceOf(ImportError)
      return
    }
    const outcome = await importing
    expect(outcome.state).toBe('done')
    expect(outcome.report.apps.map(a => [a.app, a.items, a.imported, a.failed])).toEqual(expected.apps.map(a => [a.app, a.items, a.items - a.failed, a.failed]))
  })

  it(`imports a chain of ${MAX_FOLDER_DEPTH + 8} folders with the last 8 beside their parent at level ${MAX_FOLDER_DEPTH}, and says so`, async () => {
    const chain = MAX_FOLDER_DEPTH + 8
    const file = path.join(tmp.dir, 'chain.zip')
    const top = TOP.replace('1775058630583', '1775058632222')
    await writeZipFile(file, async zip => {
      await zip.file(`${top}/Manifest.json`, JSON.stringify({ 'org.entcore.workspace': { version: '6.14-SNAPSHOT', folder: 'Espace documentaire' } }))
      const records: Array<Record<string, unknown>> = []
      for (let k = 0; k < chain; k++) records.push({ _id: `f${k}`, name: `N${k}`, eType: 'folder', eParent: k > 0 ? `f${k - 1}` : null, owner: top.split('_')[1], shared: [], inheritedShares: [] })
      records.push({ _id: 'leaf', name: 'feuille.txt', eType: 'file', eParent: `f${chain - 1}`, owner: top.split('_')[1], shared: [], inheritedShares: [], metadata: { size: 5 }, localArchivePath: 'Documents personnels/feuille.txt' })
      await zip.file(`${top}/Espace documentaire/Espace documentaire`, JSON.stringify(records))
      await zip.file(`${top}/Espace documentaire/Documents personnels/feuille.txt`, 'feuil')
    })
    const outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: file }, importId: 'depth-chain' })
    expect(outcome.state).toBe('done')
    expect(outcome.report.apps[0]).toMatchObject({ app: 'workspace', items: chain + 1, imported: chain + 1, failed: 0 })
    const tree = await snapshotTree(env.admin, String(outcome.report.importFolder?.path))
    const dirs = tree.filter(e => e.type === 'directory').map(e => e.path)
    // Inside the import folder: "Espace documentaire", then N0… nested down to level MAX_FOLDER_DEPTH.
    const nested = Array.from({ length: MAX_FOLDER_DEPTH - 1 }, (_, k) => `N${k}`)
    const deepest = `/${['Espace documentaire', ...nested.slice(0, -1)].join('/')}`
    for (let k = MAX_FOLDER_DEPTH - 2; k < chain; k++) expect(dirs).toContain(`${deepest}/N${k}`)
    expect(Math.max(...dirs.map(d => d.split('/').length - 1))).toBe(MAX_FOLDER_DEPTH)
    expect(tree.filter(e => e.type === 'file').map(e => e.path)).toEqual([`${deepest}/N${chain - 1}/feuille.txt`])
    expect(outcome.report.notices).toHaveLength(chain - MAX_FOLDER_DEPTH + 1)
    expect(outcome.report.notices?.[0]).toEqual(expect.objectContaining({ app: 'workspace', reason: expect.stringContaining(`deeper than ${MAX_FOLDER_DEPTH} levels`) }))
  })
})
