/**
 * `npm start` as a newcomer runs it right after `npm ci` and the build: a fresh data folder,
 * the URLs it prints answer (the instance, the app behind its login, the one-time link, the
 * move wizard's /status), and Ctrl+C stops it. NO_BUILD=1 takes the build the browser tests use.
 */
import { spawn, type ChildProcess } from 'child_process'
import os from 'os'
import path from 'path'
import { promises as fs } from 'fs'

const ROOT = path.resolve(__dirname, '../..')

jest.setTimeout(180_000)

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not print ${pattern} in ${timeoutMs} ms:\n${output}`)), timeoutMs)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8')
      if (pattern.test(output)) {
        clearTimeout(timer)
        resolve(output)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`npm start exited (${code}) before printing ${pattern}:\n${output}`))
    })
  })
}

function printed(output: string, pattern: RegExp): string {
  const m = pattern.exec(output)
  if (!m) throw new Error(`not printed: ${pattern}\n${output}`)
  return m[1]
}

describe('npm start', () => {
  let child: ChildProcess | null = null
  let dataDir = ''

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'npm-start-'))
  })
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL')
    await fs.rm(dataDir, { recursive: true, force: true })
  })

  it('prints URLs that answer, the move wizard among them, and stops on Ctrl+C', async () => {
    child = spawn(process.execPath, [path.join(ROOT, 'bin/start.js')], {
      cwd: ROOT,
      env: { ...process.env, NO_BUILD: '1', PORT: '0', STACK_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const output = await waitForOutput(child, /Press Ctrl\+C to stop/, 120_000)
    const appUrl = printed(output, /Open (http:\/\/127\.0\.0\.1:\d+\/)/)
    const instanceUrl = printed(output, /Instance: (http:\/\/127\.0\.0\.1:\d+\/)/)
    const wizardUrl = printed(output, /Move wizard: (http:\/\/127\.0\.0\.1:\d+\/)/)
    const magicLink = printed(output, /one-time link: (\S+?)\)/)

    const status = await fetch(`${instanceUrl}status`)
    expect(status.status).toBe(200)
    expect(await status.json()).toMatchObject({ status: 'OK' })

    const wizard = await fetch(`${wizardUrl}status`)
    expect(wizard.status).toBe(200)

    // the app asks for a login without a session, and opens with the one-time link's session
    const anonymous = await fetch(appUrl, { redirect: 'manual' })
    expect([302, 303]).toContain(anonymous.status)
    const login = await fetch(magicLink, { redirect: 'manual' })
    expect([302, 303]).toContain(login.status)
    const cookies = login.headers.getSetCookie().map(c => c.split(';')[0])
    expect(cookies.length).toBeGreaterThan(0)
    let next = String(login.headers.get('location'))
    let page: Response | null = null
    const jar = [...cookies]
    // the stack hands the session to the app's origin through a redirect or two
    for (let hop = 0; hop < 5; hop++) {
      page = await fetch(new URL(next, magicLink), { redirect: 'manual', headers: { Cookie: jar.join('; ') } })
      jar.push(...page.headers.getSetCookie().map(c => c.split(';')[0]))
      if (page.status < 300 || page.status >= 400) break
      next = String(page.headers.get('location'))
    }
    expect(page?.status).toBe(200)
    expect(await page?.text()).toContain('role="application"')

    const exited = new Promise<number | null>(resolve => child?.once('exit', code => resolve(code)))
    child.kill('SIGINT')
    expect(await exited).toBe(0)
  })
})
