import { spawn } from 'child_process'
import { promises as fs } from 'fs'
import os from 'os'
import path from 'path'
import readline from 'readline'
import { startStack } from '../index'
import { call, pick } from '../testing/http'
import { EMULATED_TMPDIR, FILE_SIZE_LIMIT, JAIL_KONNECTOR_DIR, jailUnavailable, launchKonnector, OPEN_FILES_LIMIT, selectRunner, type KonnectorRunner } from './konnector-jail'

jest.setTimeout(60_000)

const REPO = path.resolve(__dirname, '../..')

// Where user namespaces are refused only the emulation can run; CI=true requires the jail.
const whereJailStarts = jailUnavailable() === null || process.env.CI === 'true' ? describe : describe.skip

/** A konnector that reports what it can see and do, as one `info` line of the stdout protocol. */
const PROBE = `
const fs = require('fs')
const os = require('os')
const path = require('path')
const attempt = f => { try { f(); return 'ok' } catch (e) { return e.code } }
const soft = (limits, name) => limits.split('\\n').find(l => l.startsWith(name)).slice(name.length).trim().split(/\\s+/)[0]
const limits = fs.readFileSync('/proc/self/limits', 'utf8')
const handles = []
let openFiles = 'ok'
try { for (let i = 0; i < 1000; i++) handles.push(fs.openSync(__filename, 'r')) } catch (e) { openFiles = e.code }
handles.forEach(h => fs.closeSync(h))
const report = {
  env: process.env,
  dir: __dirname,
  tmpExists: fs.existsSync('/tmp'),
  tmpdir: os.tmpdir(),
  writeRoot: attempt(() => fs.writeFileSync('/probe', 'x')),
  mkdirTmp: attempt(() => fs.mkdirSync('/tmp')),
  writeHome: attempt(() => fs.writeFileSync(path.join(process.env.HOME, 'probe'), 'x')),
  writeTmpdir: attempt(() => fs.mkdtempSync(path.join(os.tmpdir(), 'k-'))),
  seesRepo: fs.existsSync(${JSON.stringify(REPO)}),
  root: fs.readdirSync('/').sort(),
  fileSize: soft(limits, 'Max file size'),
  openFilesLimit: soft(limits, 'Max open files'),
  openFiles,
  fds: fs.readdirSync('/proc/self/fd').map(fd => { try { return fs.readlinkSync('/proc/self/fd/' + fd) } catch (e) { return e.code } })
}
console.log(JSON.stringify({ type: 'info', message: JSON.stringify(report) }))
`

interface Report {
  env: Record<string, string>
  dir: string
  tmpExists: boolean
  tmpdir: string
  writeRoot: string
  mkdirTmp: string
  writeHome: string
  writeTmpdir: string
  seesRepo: boolean
  root: string[]
  fileSize: string
  openFilesLimit: string
  openFiles: string
  fds: string[]
}

const COZY_ENV = { COZY_URL: 'http://127.0.0.1:9/', COZY_CREDENTIALS: 'token', COZY_FIELDS: '{}', COZY_JOB_ID: 'job-1' }

let konnectorDir: string

beforeAll(async () => {
  konnectorDir = await fs.mkdtemp(path.join(os.tmpdir(), 'konnector-jail-'))
  await fs.writeFile(path.join(konnectorDir, 'index.js'), PROBE)
  await fs.writeFile(path.join(konnectorDir, 'manifest.konnector'), JSON.stringify({ slug: 'probe', name: 'Probe', type: 'konnector', language: 'node', permissions: {} }))
})
afterAll(() => fs.rm(konnectorDir, { recursive: true, force: true }))

async function run(runner: KonnectorRunner): Promise<Report> {
  const launch = launchKonnector(runner, konnectorDir, path.join(konnectorDir, 'index.js'), { ...COZY_ENV, PATH: '/usr/bin', SECRET: 'host' })
  const child = spawn(launch.command, launch.args, { cwd: launch.cwd, env: launch.env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const lines: string[] = []
  readline.createInterface({ input: child.stdout }).on('line', line => lines.push(line))
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  if (code !== 0) throw new Error(`the probe exited with ${code}: ${stderr}`)
  return JSON.parse((JSON.parse(lines[0]) as { message: string }).message) as Report
}

whereJailStarts('the jailed konnector runner', () => {
  let report: Report
  beforeAll(async () => {
    report = await run('jail')
  })

  it('has no /tmp and a read-only root, its own folder read-only too', () => {
    expect(report.tmpExists).toBe(false)
    expect(report.writeRoot).toBe('EROFS')
    expect(report.mkdirTmp).toBe('EROFS')
    expect(report.writeHome).toBe('EROFS')
    expect(report.writeTmpdir).toBe('ENOENT')
    expect(report.root).toEqual(expect.not.arrayContaining(['tmp', 'home', 'root', 'work', 'var']))
    expect(report.seesRepo).toBe(false)
  })

  it('runs the konnector from /usr/src/konnector, with only COZY_* and HOME', () => {
    expect(report.dir).toBe(JAIL_KONNECTOR_DIR)
    expect(report.env).toEqual({ ...COZY_ENV, HOME: JAIL_KONNECTOR_DIR })
  })

  it('caps files at 1 GiB and open files at 128', () => {
    expect(report.fileSize).toBe(String(FILE_SIZE_LIMIT))
    expect(report.openFilesLimit).toBe(String(OPEN_FILES_LIMIT))
    expect(report.openFiles).toBe('EMFILE')
  })
})

describe('the emulated runner', () => {
  it('gives the same environment, a TMPDIR nothing can be created in, and the same limits', async () => {
    const report = await run('emulated')
    expect(report.env).toEqual({ ...COZY_ENV, HOME: konnectorDir, TMPDIR: EMULATED_TMPDIR })
    expect(report.tmpdir).toBe(EMULATED_TMPDIR)
    expect(report.writeTmpdir).toBe('ENOENT')
    expect(report.fileSize).toBe(String(FILE_SIZE_LIMIT))
    expect(report.openFiles).toBe('EMFILE')
  })
})

describe('choosing the runner', () => {
  it('refuses the emulation under CI, and an unknown value', () => {
    expect(selectRunner({ DEV_STACK_KONNECTOR_RUNNER: 'emulated' }).runner).toBe('emulated')
    expect(() => selectRunner({ DEV_STACK_KONNECTOR_RUNNER: 'emulated', CI: 'true' })).toThrow('CI=true requires the jailed konnector runner')
    expect(() => selectRunner({ DEV_STACK_KONNECTOR_RUNNER: 'chroot' })).toThrow('jail, emulated or auto')
  })

  it('falls back to the emulation where the jail cannot start, except when the jail is asked for or under CI', () => {
    const refused = () => 'bwrap failed: No permissions to create new namespace'
    expect(selectRunner({}, refused)).toEqual({ runner: 'emulated', why: 'no jail: bwrap failed: No permissions to create new namespace' })
    expect(() => selectRunner({ DEV_STACK_KONNECTOR_RUNNER: 'jail' }, refused)).toThrow('the konnector jail cannot start: bwrap failed')
    expect(() => selectRunner({ CI: 'true' }, refused)).toThrow('the konnector jail cannot start (required with CI=true)')
  })
})

whereJailStarts('choosing the runner where the jail starts', () => {
  it('takes the jail in auto, and under CI', () => {
    expect(selectRunner({ DEV_STACK_KONNECTOR_RUNNER: 'auto' }).runner).toBe('jail')
    expect(selectRunner({ DEV_STACK_KONNECTOR_RUNNER: 'jail', CI: 'true' }).runner).toBe('jail')
  })

  it('runs a konnector job of the stand-in in the jail', async () => {
    const log: string[] = []
    const stack = await startStack({ log: line => log.push(line) })
    try {
      const instance = stack.instances[0]
      await instance.installKonnector(konnectorDir)
      const queued = await call(instance.url, 'POST', '/jobs/queue/konnector', { token: instance.cliToken, body: { data: { attributes: { arguments: { konnector: 'probe' } } } } })
      expect(queued.status).toBe(202)
      const id = String(pick(queued.json, 'data', 'id'))
      let state = ''
      for (let i = 0; i < 200 && state !== 'done' && state !== 'errored'; i++) {
        await new Promise(resolve => setTimeout(resolve, 50))
        state = String(pick((await call(instance.url, 'GET', `/jobs/${id}`, { token: instance.cliToken })).json, 'data', 'attributes', 'state'))
      }
      expect(state).toBe('done')
      expect(log.filter(l => l.startsWith('[konnector probe] runner: '))).toEqual([expect.stringMatching(/^\[konnector probe\] runner: jail \(/)])
      const line = log.find(l => l.startsWith('[konnector probe] info: '))
      const report = JSON.parse(String(line).slice('[konnector probe] info: '.length)) as Report
      expect(report.dir).toBe(JAIL_KONNECTOR_DIR)
      expect(report.tmpExists).toBe(false)
      expect(Object.keys(report.env).filter(k => !k.startsWith('COZY_'))).toEqual(['HOME'])
      expect(report.env.COZY_URL).toBe(instance.url)
      // The stand-in's database files (opened without O_CLOEXEC) are not passed on: stdio (stdin is /dev/null) only.
      expect(report.fds.filter(target => target.startsWith('/') && !target.startsWith('/proc/') && target !== '/dev/null')).toEqual([])
      expect(report.fds.length).toBeLessThan(20)
    } finally {
      await stack.stop()
    }
  })
})
