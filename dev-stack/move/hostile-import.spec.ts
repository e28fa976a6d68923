import crypto from 'crypto'
import { promises as fs } from 'fs'
import http from 'http'
import path from 'path'
import type { AddressInfo } from 'net'
import { PassThrough } from 'stream'
import { startStack, type RunningStack, type StackInstance } from '../index'
import { call, pick } from '../testing/http'
import { ROOT_DIR_ID } from '../files/vfs'
import { ZipStreamWriter } from './zip-writer'
import { waitFor, waitForMail } from './testing'

/**
 * An import from a hostile "instance": a server that answers the manifest and part 0 with a
 * crafted zip. Bad entries are errors of the import (import_error mail); nothing is written
 * outside the instance, and the good entries are imported.
 */
let stack: RunningStack
let bob: StackInstance

async function zipOf(entries: [string, Buffer | string][]): Promise<Buffer> {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  const zip = new ZipStreamWriter(out)
  for (const [name, data] of entries) await zip.add(name, Buffer.isBuffer(data) ? data : Buffer.from(data), { modified: new Date(), mode: 0o640 })
  await zip.finish()
  out.end()
  return Buffer.concat(chunks.map(c => new Uint8Array(c)))
}

function fileDoc(id: string, name: string, content: string, extra: Record<string, unknown> = {}): string {
  const md5 = crypto.createHash('md5').update(content).digest('base64')
  return JSON.stringify({ _id: id, _rev: '3-x', type: 'file', name, dir_id: ROOT_DIR_ID, size: String(Buffer.byteLength(content)), md5sum: md5, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z', ...extra })
}

beforeAll(async () => {
  stack = await startStack({ instances: 1 })
  bob = stack.instances[0]
})
afterAll(() => stack.stop())

it('imports the good entries of a hostile export and nothing else', async () => {
  const good = 'a'.repeat(32)
  const part = await zipOf([
    ['My Cozy/Data/instance.json', '{}'],
    ['My Cozy/Data/io.cozy.contacts/c1.json', JSON.stringify({ _id: 'c1', _rev: '9-z', fullname: 'Vrai Contact' })],
    ['My Cozy/Data/../../escape/x.json', '{"_id":"x"}'],
    ['My Cozy/Data/IO.COZY.BAD/x.json', '{"_id":"x"}'],
    ['My Cozy/Data/io.cozy.contacts/not-json.json', '{oops'],
    ['My Cozy/Data/io.cozy.sessions/s.json', '{"_id":"s"}'],
    ['My Cozy/Data/io.cozy.files/evil.json', fileDoc('../../../../evil', 'evil.txt', 'pwned')],
    ['My Cozy/Files/evil.txt', 'pwned'],
    ['My Cozy/Data/io.cozy.files/slash.json', fileDoc('b'.repeat(32), '../slash.txt', 'x')],
    ['My Cozy/Files/slash.txt', 'x'],
    ['My Cozy/Data/io.cozy.files/md5.json', fileDoc('c'.repeat(32), 'md5.txt', 'expected')],
    ['My Cozy/Files/md5.txt', 'tampered'],
    ['My Cozy/Data/io.cozy.files/orphan.json', fileDoc('d'.repeat(32), 'orphan.txt', 'o', { dir_id: 'nowhere' })],
    ['My Cozy/Files/orphan.txt', 'o'],
    ['My Cozy/Data/io.cozy.files/nocontent.json', fileDoc('e'.repeat(32), 'nocontent.txt', 'n')],
    ['My Cozy/Data/io.cozy.files/good.json', fileDoc(good, 'good.txt', 'bonjour', { metadata: { carbonCopy: true, title: 't' } })],
    ['My Cozy/Files/good.txt', 'bonjour']
  ])
  const mac = 'AAAAAAAAAAAAAAAAAAAAAAAA'
  const source = http.createServer((req, res) => {
    if (req.url === `/move/exports/${mac}`) {
      res.writeHead(200, { 'Content-Type': 'application/vnd.api+json' })
      res.end(JSON.stringify({ data: { type: 'io.cozy.exports', id: 'e1', attributes: { state: 'done', parts_cursors: [], total_size: 10 } } }))
    } else if (req.url === `/move/exports/data/${mac}`) {
      res.writeHead(200, { 'Content-Type': 'application/zip' })
      res.end(part)
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>(resolve => source.listen(0, '127.0.0.1', resolve))
  try {
    const url = `http://127.0.0.1:${(source.address() as AddressInfo).port}/#/exports/${mac}`
    const r = await call(bob.url, 'POST', '/move/imports', { token: bob.cliToken, body: { data: { attributes: { url } } } })
    expect(r.status).toBe(303)
    await waitForMail(stack, bob, 'import_error')
    await waitFor('bob to be unblocked', () => (bob.instance.state.extra.blocked === undefined ? true : undefined))
  } finally {
    await new Promise<void>(resolve => source.close(() => resolve()))
  }

  const listing = await call(bob.url, 'GET', '/files/io.cozy.files.root-dir', { token: bob.cliToken })
  const names = ((pick(listing.json, 'included') as { attributes: { name: string } }[]) ?? []).map(f => f.attributes.name)
  expect(names).toEqual(['good.txt'])
  const meta = await call(bob.url, 'GET', `/files/${good}`, { token: bob.cliToken })
  expect(pick(meta.json, 'data', 'attributes', 'metadata')).toEqual({ title: 't' })
  const content = await fetch(`${bob.url}files/download/${good}`, { headers: { Authorization: `Bearer ${bob.cliToken}` } })
  expect(await content.text()).toBe('bonjour')
  const contacts = await call(bob.url, 'GET', '/data/io.cozy.contacts/_all_docs?include_docs=true', { token: bob.cliToken })
  expect(((pick(contacts.json, 'rows') as { doc: { fullname: string } }[]) ?? []).map(x => x.doc.fullname)).toEqual(['Vrai Contact'])

  // nothing above or beside the instance's folders, no content kept for a refused file
  const all: string[] = []
  async function walk(dir: string): Promise<void> {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) await walk(p)
      else all.push(path.relative(stack.dataDir, p))
    }
  }
  await walk(stack.dataDir)
  expect(all.filter(p => /evil|pwned|escape/.test(p))).toEqual([])
  const contents = all.filter(p => p.includes(`${path.sep}files${path.sep}`) && !p.includes('.upload'))
  expect(contents.map(p => path.basename(p))).toEqual([good])
})
