import { spawnSync } from 'child_process'
import { promises as fs } from 'fs'
import path from 'path'
import { temporaryDirectory } from '../../test/fixtures/paths'
import { fileSizeLimit, FREE_SPACE_MARGIN, parseFileSizeLimit, probeTempDir, tempDirFor } from './temp-dir'

const REPO = path.resolve(__dirname, '../..')

/** Runs a script under tsx in a child with RLIMIT_FSIZE set by prlimit (util-linux). */
function underFileSizeLimit(bytes: number, script: string): string {
  const tsx = require.resolve('tsx/cli')
  const run = spawnSync('prlimit', [`--fsize=${bytes}`, process.execPath, tsx, '-e', script], { cwd: REPO, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`child failed (${run.status}): ${run.stderr}`)
  return run.stdout
}

describe('the file-size limit', () => {
  it('reads the soft limit prlimit gave a process from its /proc/self/limits', () => {
    const limits = underFileSizeLimit(4096, "process.stdout.write(require('fs').readFileSync('/proc/self/limits', 'utf8'))")
    expect(limits).toMatch(/^Max file size/m)
    expect(parseFileSizeLimit(limits)).toBe(4096)
  })

  it('knows unlimited and an unreadable text', () => {
    expect(parseFileSizeLimit('Limit  Soft Limit  Hard Limit  Units\nMax file size  unlimited  unlimited  bytes\n')).toBe(Infinity)
    expect(parseFileSizeLimit('Max cpu time  unlimited  unlimited  seconds\n')).toBeNull()
  })

  it('is this process’s own limit', async () => {
    expect(await fileSizeLimit()).toBe(parseFileSizeLimit(await fs.readFile('/proc/self/limits', 'utf8')))
  })
})

describe('finding a temporary folder', () => {
  const tmp = temporaryDirectory('temp-dir-')
  afterAll(() => tmp.remove())

  it('proves a folder writable by creating a file, and leaves nothing behind', async () => {
    const dir = path.join(tmp.dir, 'empty')
    await fs.mkdir(dir)
    const temp = await probeTempDir(dir)
    expect(temp?.dir).toBe(dir)
    const stats = await fs.statfs(dir)
    expect(temp?.freeBytes).toBe(stats.bavail * stats.bsize)
    expect(await fs.readdir(dir)).toEqual([])
  })

  it('refuses a folder that does not exist, a file, and a folder where nothing can be created', async () => {
    const file = path.join(tmp.dir, 'a-file')
    await fs.writeFile(file, 'x')
    expect(await probeTempDir(path.join(tmp.dir, 'missing'))).toBeNull()
    expect(await probeTempDir(file)).toBeNull()
    // Even root cannot create a file in procfs.
    expect(await probeTempDir('/proc')).toBeNull()
  })

  it('takes the first candidate that holds the copy, with room to spare', async () => {
    const temp = await probeTempDir(tmp.dir)
    if (!temp) throw new Error('the test folder is not writable')
    expect((await tempDirFor(1024, ['/proc', path.join(tmp.dir, 'missing'), tmp.dir]))?.dir).toBe(tmp.dir)
    expect(await tempDirFor(temp.freeBytes - FREE_SPACE_MARGIN + 1, [tmp.dir])).toBeNull()
    expect(await tempDirFor(1024, ['/proc'])).toBeNull()
  })

  it('refuses a copy larger than the process may write', () => {
    const script = [
      "const { tempDirFor } = require('./src/import/temp-dir')",
      `const dir = ${JSON.stringify(tmp.dir)}`,
      'void Promise.all([tempDirFor(4096, [dir]), tempDirFor(4097, [dir])]).then(([fits, tooLarge]) => {',
      '  process.stdout.write(JSON.stringify({ fits: fits && fits.dir, limit: fits && fits.fileSizeLimit, tooLarge }))',
      '})'
    ].join('\n')
    expect(JSON.parse(underFileSizeLimit(4096, script))).toEqual({ fits: tmp.dir, limit: 4096, tooLarge: null })
  })
})
