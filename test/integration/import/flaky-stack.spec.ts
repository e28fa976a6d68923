/**
 * `mes-donnees import` against a stack that fails the way real ones do: the first request to
 * each route either loses its connection (ECONNRESET, a closed keep-alive socket) or gets a
 * 502, 503 or 504 from the reverse proxy. Retries with backoff carry the import through; a
 * stack that stays down ends in a JSON result, not a stack trace.
 */
import { execFile } from 'child_process'
import http from 'http'
import path from 'path'
import type { AddressInfo } from 'net'
import { backoff } from '../../../src/import/stack/client'
import { REAL_SAMPLE } from '../../fixtures/real-sample'
import { startImportStack, type ImportStack } from './helpers'

jest.setTimeout(120_000)

const CLI = path.resolve(__dirname, '../../../bin/mes-donnees.js')

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(process.execPath, [CLI, ...args], { timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })
    })
  })
}

/** A proxy to `upstream` that fails the first request of each route (or every request when `down`). */
async function flakyProxy(upstream: string, down = false): Promise<{ url: string; failures: Map<string, number>; close(): Promise<void> }> {
  const failures = new Map<string, number>()
  let n = 0
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      // per route, not per URL: an upload's query names a new metadata document at every attempt
      const key = `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`
      const seen = failures.get(key) ?? 0
      if (down || seen === 0) {
        failures.set(key, seen + 1)
        const kind = n++ % 4
        if (kind === 0) {
          req.socket.destroy()
          return
        }
        res.writeHead([502, 503, 504][kind - 1], { 'Content-Type': 'text/html' }).end('<html>Bad gateway</html>')
        return
      }
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value
      fetch(new URL(req.url ?? '/', upstream), { method: req.method, headers, body: chunks.length && req.method !== "GET" && req.method !== "HEAD" ? new Uint8Array(Buffer.concat(chunks.map(c => new Uint8Array(c)))) as Uint8Array<ArrayBuffer> : undefined, redirect: 'manual' })
        .then(async answer => {
          const body = Buffer.from(await answer.arrayBuffer())
          const out: Record<string, string> = {}
          answer.headers.forEach((value, name) => {
            if (name !== 'content-encoding' && name !== 'transfer-encoding' && name !== 'content-length') out[name] = value
          })
          res.writeHead(answer.status, out).end(body)
        })
        .catch(() => res.destroy())
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    failures,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

describe('the command line against a flaky stack', () => {
  let env: ImportStack

  beforeAll(async () => {
    env = await startImportStack({}, undefined, false)
  })
  afterAll(async () => {
    await env?.stop()
  })

  it('waits longer after each failure, with jitter, and never more than 5 s', () => {
    expect([1, 2, 3].map(a => backoff(a, () => 1))).toEqual([500, 1000, 2000])
    expect(backoff(1, () => 0)).toBe(250)
    expect(backoff(10, () => 1)).toBe(5000)
  })

  it('imports the genuine sample through resets and 502/503/504', async () => {
    // The stand-in's URL names the instance; the proxy passes the host on as the stand-in's own.
    const proxy = await flakyProxy(env.url)
    try {
      const { code, stdout } = await cli(['import', REAL_SAMPLE, '--cozy', proxy.url, '--token', env.cliToken, '--json'])
      expect([code, code === 0 ? '' : stdout.slice(0, 600)]).toEqual([0, ''])
      const report = JSON.parse(stdout)
      expect(report.state).toBe('done')
      expect(report.errors).toEqual([])
      for (const app of report.apps) expect(app.imported + app.skipped).toBe(app.items)
      expect(proxy.failures.size).toBeGreaterThan(10)
    } finally {
      await proxy.close()
    }
  })

  it('prints a JSON result when the stack stays down', async () => {
    const proxy = await flakyProxy(env.url, true)
    try {
      const { code, stdout } = await cli(['import', REAL_SAMPLE, '--cozy', proxy.url, '--token', env.cliToken, '--json', '--import-id', 'down'])
      expect(code).toBe(1)
      expect(JSON.parse(stdout)).toMatchObject({ state: 'failed', error: { code: expect.any(String), message: expect.stringMatching(/50[234]|socket|ECONNRESET|fetch failed|terminated/) } })
    } finally {
      await proxy.close()
    }
  })
})
