import { promises as fs } from 'fs'
import os from 'os'
import path from 'path'
import { startStack } from '../index'
import { call, pick } from '../testing/http'
import { ROOT_DIR_ID } from '../files/vfs'
import { decodeExportMac, encodeExportMac, strictBase64UrlDecode } from './mac'
import { splitFiles } from './export-builder'
import { prepareExportDoc } from './export-doc'
import { downloadPart, exportAndWait, unzip, upload, waitFor, waitForMail } from './testing'

describe('export MACs (pkg/crypto/mac.go layout)', () => {
  const secret = 'ab'.repeat(32)

  it('round-trips an export id and refuses another key, a changed byte and an old MAC', () => {
    const mac = encodeExportMac(secret, 'f00d')
    expect(mac).toMatch(/^[A-Za-z0-9_-]+={0,2}$/)
    expect(mac.length % 4).toBe(0)
    expect(decodeExportMac(secret, mac)).toEqual({ ok: true, exportId: 'f00d' })
    expect(decodeExportMac('cd'.repeat(32), mac)).toEqual({ ok: false, reason: 'invalid' })
    const eightDaysAgo = Date.now() - 8 * 24 * 3600 * 1000
    expect(decodeExportMac(secret, encodeExportMac(secret, 'f00d', eightDaysAgo))).toEqual({ ok: false, reason: 'invalid' })
    expect(decodeExportMac(secret, mac.slice(0, -4))).toEqual({ ok: false, reason: 'invalid' })
  })

  it('decodes the outer layer like Go base64.URLEncoding: padding required, URL alphabet only', () => {
    expect(strictBase64UrlDecode('YWJj')?.toString()).toBe('abc')
    expect(strictBase64UrlDecode('YWI=')?.toString()).toBe('ab')
    expect(strictBase64UrlDecode('YWI')).toBeNull()
    expect(strictBase64UrlDecode('YW+=')).toBeNull()
    expect(strictBase64UrlDecode('Y=Jj')).toBeNull()
  })
})

describe('cutting the parts (cursor.go splitFiles)', () => {
  it('starts a part when a file does not fit, gives a big file a part alone, in id order', () => {
    const sizes = new Map([
      ['c', 250],
      ['a', 60],
      ['b', 60],
      ['d', 4],
      ['e', 45]
    ])
    expect(splitFiles(100, 100, sizes, 'io.cozy.files')).toEqual({ cursors: ['io.cozy.files/b', 'io.cozy.files/c', 'io.cozy.files/d'], remaining: 51 })
    expect(splitFiles(100, 100, new Map(), 'io.cozy.files')).toEqual({ cursors: [], remaining: 100 })
  })

  it('replaces parts sizes below the minimum, caps max_age at 7 days (prepareExportDoc)', () => {
    const now = new Date('2026-01-10T10:00:00Z')
    const gib = 1024 ** 3
    expect(prepareExportDoc('d', {}, 0, gib, now).parts_size).toBe(gib)
    expect(prepareExportDoc('d', { parts_size: 1000 }, 4 * gib, gib, now).parts_size).toBe(2 * gib)
    expect(prepareExportDoc('d', { parts_size: 3 * gib }, 100 * gib, gib, now).parts_size).toBe(3 * gib)
    expect(prepareExportDoc('d', { max_age: 3600e9 }, 0, gib, now).expires_at).toBe('2026-01-10T11:00:00.000Z')
    expect(prepareExportDoc('d', { max_age: 30 * 24 * 3600e9 }, 0, gib, now).expires_at).toBe('2026-01-17T10:00:00.000Z')
  })
})

describe('exports across a restart and while another is running', () => {
  it('keeps an export downloadable after a restart of the stack', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'move-restart-'))
    try {
      let stack = await startStack({ dataDir })
      await upload(stack.instances[0], ROOT_DIR_ID, 'note.txt', 'gardé\n')
      const { mac } = await exportAndWait(stack, stack.instances[0])
      // a stop in the middle of another export and of an import
      const inst = stack.instances[0].instance
      await inst.dbs.put('io.cozy.exports', { _id: 'cut', domain: inst.domain, state: 'exporting', created_at: new Date().toISOString(), expires_at: new Date(Date.now() + 1e6).toISOString(), parts_cursors: [] })
      inst.state.extra.blocked = 'IMPORTING'
      inst.state.extra.settings = { importing: true }
      await inst.save()
      await stack.stop()
      stack = await startStack({ dataDir })
      try {
        const again = stack.instances[0]
        expect(again.instance.state.extra.blocked).toBeUndefined()
        expect((await call(again.url, 'GET', '/settings/instance', { token: again.cliToken })).status).toBe(200)
        expect(await again.instance.dbs.get('io.cozy.exports', 'cut')).toMatchObject({ state: 'error' })
        const part = await downloadPart(stack.instances[0], mac)
        expect(part.status).toBe(200)
        const names = (await unzip(part.body)).map(e => e.name)
        expect(names[0]).toBe('My Cozy/Data/instance.json')
        expect(names).toContain('My Cozy/Files/note.txt')
      } finally {
        await stack.stop()
      }
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true })
    }
  })

  it('fails an export while another one is being created (409 in the job) and mails export_error', async () => {
    const stack = await startStack()
    try {
      const alice = stack.instances[0]
      await alice.instance.dbs.put('io.cozy.exports', { _id: 'running', domain: alice.domain, state: 'exporting', created_at: new Date().toISOString(), expires_at: new Date(Date.now() + 1e6).toISOString(), parts_cursors: [] })
      const r = await call(alice.url, 'POST', '/move/exports', { token: alice.cliToken, body: { data: { attributes: {} } } })
      expect(r.status).toBe(201)
      const mail = await waitForMail(stack, alice, 'export_error')
      expect(mail.to).toBe(alice.instance.state.email)
      const job = await waitFor('the errored export job', async () => (await alice.instance.jobs.jobsOf({ worker: 'export', states: ['errored'] }))[0])
      expect(job.error).toBe('export: an archive is already being created')
      const jobRes = await call(alice.url, 'GET', `/jobs/${job._id}`, { token: alice.cliToken })
      expect(pick(jobRes.json, 'data', 'attributes', 'state')).toBe('errored')
      expect(stack.outbox.list(alice.domain).filter(m => m.template === 'archiver')).toEqual([])
    } finally {
      await stack.stop()
    }
  })
})
