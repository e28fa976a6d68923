import crypto from 'crypto'
import yauzl from 'yauzl'
import type { RunningStack, StackInstance } from '../stack'
import type { OutboxMail } from '../mail/outbox'
import { call, pick } from '../testing/http'

/**
 * Helpers for tests that drive exports, imports and moves through the stand-in's HTTP API
 * (dev-stack/move/*.spec.ts, test/integration/move/*.spec.ts, browser tests).
 */

/** Polls until `probe` gives a value (no timing assertion: only a generous deadline). */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/** The next mail of a template sent by an instance (after `skip` earlier ones). */
export function waitForMail(stack: RunningStack, cozy: StackInstance, template: string, skip = 0): Promise<OutboxMail> {
  return waitFor(`a ${template} mail from ${cozy.name}`, () => stack.outbox.list(cozy.domain).filter(m => m.template === template)[skip])
}

/** The MAC at the end of an export link (`…#/exports/<mac>`). */
export function macOf(link: string): string {
  const m = /#\/exports\/(.+)$/.exec(link)
  if (!m) throw new Error(`not an export link: ${link}`)
  return m[1]
}

/** The export link of an archiver mail. */
export function exportLinkOf(mail: OutboxMail): string {
  const link = mail.links.find(l => l.includes('#/exports/'))
  if (!link) throw new Error('no export link in the mail')
  return link
}

/** Creates a folder by path with the CLI token; returns its id. */
export async function mkdir(cozy: StackInstance, parentId: string, name: string): Promise<string> {
  const r = await call(cozy.url, 'POST', `/files/${parentId}?Type=directory&Name=${encodeURIComponent(name)}`, { token: cozy.cliToken })
  if (r.status !== 201) throw new Error(`mkdir ${name}: ${r.status} ${r.text}`)
  return String(pick(r.json, 'data', 'id'))
}

/** Uploads a file with its MD5 with the CLI token; returns its id. */
export async function upload(cozy: StackInstance, dirId: string, name: string, content: Buffer | string): Promise<string> {
  const body = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8')
  const md5 = crypto.createHash('md5').update(new Uint8Array(body)).digest('base64')
  const r = await call(cozy.url, 'POST', `/files/${dirId}?Type=file&Name=${encodeURIComponent(name)}`, {
    token: cozy.cliToken,
    raw: body,
    headers: { 'Content-Type': 'application/octet-stream', 'Content-MD5': md5 }
  })
  if (r.status !== 201) throw new Error(`upload ${name}: ${r.status} ${r.text}`)
  return String(pick(r.json, 'data', 'id'))
}

export interface ZipEntry {
  name: string
  data: Buffer
}

/** Every entry of a zip, in the order they are stored. */
export function unzip(buf: Buffer): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a zip'))
      const entries: ZipEntry[] = []
      zip.on('error', reject)
      zip.on('end', () => resolve(entries))
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('unreadable entry'))
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('error', reject)
          stream.on('end', () => {
            entries.push({ name: entry.fileName, data: Buffer.concat(chunks.map(c => new Uint8Array(c))) })
            zip.readEntry()
          })
        })
      })
      zip.readEntry()
    })
  })
}

/** GET a part of an export: status, headers and the body as bytes. */
export async function downloadPart(cozy: StackInstance, mac: string, cursor?: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const q = cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`
  const res = await fetch(`${cozy.url}move/exports/data/${mac}${q}`)
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) }
}

/** Starts an export with the CLI token and waits for its mail; returns the link and the MAC. */
export async function exportAndWait(stack: RunningStack, cozy: StackInstance, attributes: Record<string, unknown> = {}): Promise<{ link: string; mac: string }> {
  const before = stack.outbox.list(cozy.domain).filter(m => m.template === 'archiver').length
  const r = await call(cozy.url, 'POST', '/move/exports', { token: cozy.cliToken, body: { data: { type: 'io.cozy.exports', attributes } } })
  if (r.status !== 201) throw new Error(`POST /move/exports: ${r.status} ${r.text}`)
  const mail = await waitForMail(stack, cozy, 'archiver', before)
  const link = exportLinkOf(mail)
  return { link, mac: macOf(link) }
}
