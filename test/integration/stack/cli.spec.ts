import { spawn } from 'child_process'
import { promises as fs } from 'fs'
import os from 'os'
import path from 'path'
import readline from 'readline'
import { call, pick } from '../../../dev-stack/testing/http'

jest.setTimeout(60_000)

const BIN = path.resolve(__dirname, '../../../bin/mes-donnees.js')

describe('mes-donnees stack', () => {
  it('prints one JSON line with each instance URL and CLI token, serves them, and stops on SIGTERM', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stack-cli-'))
    const child = spawn(process.execPath, [BIN, 'stack', '--port', '0', '--instances', '2', '--data', dataDir, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const line = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout }).once('line', resolve)
        child.once('exit', code => reject(new Error(`exited with ${code}`)))
      })
      const out = JSON.parse(line) as unknown
      expect(pick(out, 'instances', 'length')).toBe(2)
      for (const i of [0, 1]) {
        const url = String(pick(out, 'instances', i, 'url'))
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
        const r = await call(url, 'GET', '/data/io.cozy.contacts/_all_docs', { token: String(pick(out, 'instances', i, 'cliToken')) })
        // the CLI token is accepted: the database simply does not exist yet
        expect(r.status).toBe(404)
        expect(pick(r.json, 'error')).toBe('not_found')
      }
      const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      child.kill('SIGKILL')
      await fs.rm(dataDir, { recursive: true, force: true })
    }
  })

  it('answers a usage error for a bad port', async () => {
    const child = spawn(process.execPath, [BIN, 'stack', '--port', 'nope'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
    expect(code).toBe(2)
    expect(stderr).toMatch(/port/)
  })
})
