// `mes-donnees move-wizard` run as a hosting provider runs it: the real command line in a child process.
import { execFile, spawn } from 'child_process'
import path from 'path'

const CLI = path.resolve(__dirname, '../mes-donnees.js')
const SECRET = 'cli-test-secret-0123456789abcdef0123'

describe('mes-donnees move-wizard', () => {
  it('serves the wizard until SIGTERM, then exits cleanly', async () => {
    const child = spawn(process.execPath, [CLI, 'move-wizard', '--port', '0', '--dev'], {
      env: { ...process.env, MOVE_WIZARD_SECRET: SECRET, MOVE_WIZARD_PUBLIC_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8')
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)
          if (match) resolve(match[1])
        })
        child.once('exit', code => reject(new Error(`exited with ${code} before listening: ${out}`)))
      })
      const status = await fetch(`${url}status`)
      expect(await status.json()).toEqual({ status: 'OK' })
      const landing = await fetch(url, { headers: { 'Accept-Language': 'fr' } })
      expect(await landing.text()).toContain('Déménager mon Cozy')
      const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }, 30_000)

  it('refuses to start without a secret, with the usage exit code', async () => {
    const result = await new Promise<{ code: number; stderr: string }>(resolve => {
      execFile(process.execPath, [CLI, 'move-wizard', '--dev'], { env: { ...process.env, MOVE_WIZARD_SECRET: '' }, timeout: 30_000 }, (error, _stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stderr })
      )
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('MOVE_WIZARD_SECRET must hold at least 32 characters')
  }, 30_000)
})
