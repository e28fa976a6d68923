import { createServer, type IncomingMessage, type Server } from 'http'
import type { AddressInfo } from 'net'
import type { AddressRules, Resolve } from './cozy-address'
import { StackClient } from './stack-client'

const PROD: AddressRules = { dev: false, allowedDomains: [], defaultCozyDomain: 'mycozy.cloud' }

interface Seen {
  host: string | undefined
  path: string | undefined
}

/** A Cozy-like /status on one loopback address; records what reached it. */
async function statusServer(address: string, port = 0): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = []
  const server = createServer((req: IncomingMessage, res) => {
    seen.push({ host: req.headers.host, path: req.url })
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ status: 'OK', message: address }))
  })
  await new Promise<void>(resolve => server.listen(port, address, resolve))
  return { server, port: (server.address() as AddressInfo).port, seen }
}

const close = (server: Server): Promise<void> => new Promise(resolve => server.close(() => resolve()))

describe('StackClient: one checked address per call (no DNS rebinding)', () => {
  // Two real servers on two loopback addresses stand for a public Cozy (127.0.0.2) and an
  // internal service (127.0.0.3) on the same port; the test's rule calls only the first public.
  const isAllowed = (address: string): boolean => address === '127.0.0.2'

  it('connects to the address it checked, keeps the host name in Host, and never resolves twice', async () => {
    const cozy = await statusServer('127.0.0.2')
    const internal = await statusServer('127.0.0.3', cozy.port)
    try {
      const answers = ['127.0.0.2', '127.0.0.3']
      const lookups: string[] = []
      // A rebinding name: public for the first lookup, internal for any later one.
      const resolve: Resolve = async hostname => {
        lookups.push(hostname)
        return [{ address: answers[Math.min(lookups.length - 1, 1)], family: 4 }]
      }
      const client = new StackClient({ timeoutMs: 2000, rules: PROD, resolve, isAllowedAddress: isAllowed })
      await client.checkStatus(`http://alice.cozy.test:${cozy.port}/`)
      expect(lookups).toEqual(['alice.cozy.test'])
      expect(cozy.seen).toEqual([{ host: `alice.cozy.test:${cozy.port}`, path: '/status' }])

      // The next call resolves again, finds the internal address, and refuses before connecting.
      await expect(client.checkStatus(`http://alice.cozy.test:${cozy.port}/`)).rejects.toMatchObject({ reason: 'private' })
      expect(lookups).toHaveLength(2)
      expect(internal.seen).toEqual([])
      expect(cozy.seen).toHaveLength(1)
    } finally {
      await close(cozy.server)
      await close(internal.server)
    }
  })

  it('refuses a name with one internal address among public ones, without connecting', async () => {
    const cozy = await statusServer('127.0.0.2')
    try {
      const resolve: Resolve = async () => [
        { address: '127.0.0.2', family: 4 },
        { address: '127.0.0.3', family: 4 }
      ]
      const client = new StackClient({ timeoutMs: 2000, rules: PROD, resolve, isAllowedAddress: isAllowed })
      await expect(client.checkStatus(`http://alice.cozy.test:${cozy.port}/`)).rejects.toMatchObject({ reason: 'private' })
      expect(cozy.seen).toEqual([])
    } finally {
      await close(cozy.server)
    }
  })

  it('with the real rules, refuses loopback and private answers before any connection', async () => {
    const cozy = await statusServer('127.0.0.1')
    try {
      for (const address of ['127.0.0.1', '::ffff:127.0.0.1', '10.1.2.3', '100.64.0.1']) {
        const resolve: Resolve = async () => [{ address, family: address.includes(':') ? 6 : 4 }]
        const client = new StackClient({ timeoutMs: 2000, rules: PROD, resolve })
        await expect(client.checkStatus(`https://alice.cozy.test:${cozy.port}/`)).rejects.toMatchObject({ reason: 'private' })
      }
      expect(cozy.seen).toEqual([])
    } finally {
      await close(cozy.server)
    }
  })

  it('does not follow redirects and caps what it reads', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/status') {
        res.writeHead(302, { Location: 'http://127.0.0.3/status' })
        res.end()
        return
      }
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ status: 'x'.repeat(200_000) }))
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.2', resolve))
    const port = (server.address() as AddressInfo).port
    try {
      const resolve: Resolve = async () => [{ address: '127.0.0.2', family: 4 }]
      const client = new StackClient({ timeoutMs: 2000, rules: PROD, resolve, isAllowedAddress: isAllowed })
      await expect(client.checkStatus(`http://alice.cozy.test:${port}/`)).rejects.toMatchObject({ reason: 'notACozy' })
      await expect(client.register(`http://alice.cozy.test:${port}/`, 'http://w/', 'http://w/cb', 'W')).rejects.toMatchObject({ reason: 'registerRefused' })
    } finally {
      await close(server)
    }
  })
})
