import crypto from 'crypto'
import { createWriteStream, promises as fs } from 'fs'
import path from 'path'
import { pipeline } from 'stream/promises'
import { Transform, type Readable } from 'stream'
import yauzl from 'yauzl'
import type { Instance } from '../instance/instance'
import { checkFileName, FILES_DOCTYPE, ROOT_DIR_ID, TRASH_DIR_ID, TRASH_DIR_PATH, type FileDoc } from '../files/vfs'
import { TRIGGERS_DOCTYPE, type TriggerDoc } from '../jobs/system'
import { bytes } from '../util/bytes'
import { EXPORT_DATA_DIR, EXPORT_FILES_DIR } from './export-data'
import { EXPORTS_DOCTYPE } from './export-doc'

/** Where the import finds its parts and what it does with sharings (model/move/import.go ImportOptions). */
export interface ImportSource {
  /** https://<source>/move/exports/<mac> */
  manifestUrl: string
  /** A move (the source's URL and token) imports sharings and permissions too. */
  moveFrom?: { url: string; token: string }
}

const SKIPPED = new Set([EXPORTS_DOCTYPE, 'io.cozy.sessions', 'io.cozy.bitwarden.ciphers', 'io.cozy.bitwarden.folders', 'io.cozy.bitwarden.profiles', 'io.cozy.bitwarden.organizations', 'io.cozy.bitwarden.contacts'])
const MOVE_ONLY = new Set(['io.cozy.sharings', 'io.cozy.shared', 'io.cozy.permissions'])
/** The entry's name (decodeStrings is off: yauzl gives the raw bytes, read as UTF-8 like Go does). */
function entryName(entry: yauzl.Entry): string {
  const raw: unknown = entry.fileName
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw)
}

/** Ids the VFS stores contents under: no separators, no climbing. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/
const DOCTYPE = /^[a-z0-9._]+$/
const MAX_DOC_BYTES = 8 * 1024 * 1024

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // names are decoded here, not by yauzl, which would refuse the whole archive for one ".." name
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (err, zip) => (err || !zip ? reject(err ?? new Error('cannot open zip')) : resolve(zip)))
  })
}

function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = []
    zip.on('entry', (e: yauzl.Entry) => {
      entries.push(e)
      zip.readEntry()
    })
    zip.once('end', () => resolve(entries))
    zip.once('error', reject)
    zip.readEntry()
  })
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(err ?? new Error('cannot read entry')) : resolve(stream))))
}

async function readJsonEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Record<string, unknown>> {
  if (entry.uncompressedSize > MAX_DOC_BYTES) throw new Error(`${entryName(entry)}: document too large`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of await openEntry(zip, entry)) {
    size += (chunk as Buffer).length
    if (size > MAX_DOC_BYTES) throw new Error(`${entryName(entry)}: document too large`)
    chunks.push(chunk as Buffer)
  }
  const value: unknown = JSON.parse(Buffer.concat(chunks.map(c => bytes(c))).toString('utf8'))
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${entryName(entry)}: not a JSON object`)
  return value as Record<string, unknown>
}

/**
 * model/move/importer.go importer: reads the parts of an export (already downloaded) into an
 * instance that was just reset. Every entry is checked: a bad one is an error of the import
 * (collected, like the stack's multierror), never a write outside the instance.
 */
export class Importer {
  readonly errors: Error[] = []
  readonly appsNotInstalled = new Set<string>()
  private readonly triggers: TriggerDoc[] = []
  private batch: { doctype: string; docs: Record<string, unknown>[] } | null = null
  private usedBytes = 0

  constructor(
    private readonly instance: Instance,
    private readonly source: ImportSource
  ) {}

  async start(): Promise<void> {
    this.usedBytes = (await this.instance.files.diskUsage()).used
  }

  private fail(err: unknown): void {
    this.errors.push(err instanceof Error ? err : new Error(String(err)))
  }

  /** importer.go importZip: one part. */
  async importPart(file: string): Promise<void> {
    const zip = await openZip(file)
    try {
      const entries = await readEntries(zip)
      for (let i = 0; i < entries.length; i++) {
        const name = entryName(entries[i])
        if (!name.startsWith(`${EXPORT_DATA_DIR}/`)) continue
        const rest = name.slice(EXPORT_DATA_DIR.length + 1)
        const slash = rest.indexOf('/')
        if (slash < 0) continue // instance.json
        const doctype = rest.slice(0, slash)
        const id = rest.slice(slash + 1).replace(/\.json$/, '')
        try {
          await this.importEntry(zip, entries, i, doctype, id)
        } catch (err) {
          this.fail(err)
        }
      }
      await this.flush()
    } finally {
      zip.close()
    }
  }

  private async importEntry(zip: yauzl.ZipFile, entries: yauzl.Entry[], i: number, doctype: string, id: string): Promise<void> {
    if (!DOCTYPE.test(doctype)) throw new Error(`invalid doctype ${doctype}`)
    if (SKIPPED.has(doctype) || doctype.startsWith('io.cozy.bitwarden.')) return
    if (MOVE_ONLY.has(doctype) && !this.source.moveFrom) return
    // the target keeps its own instance settings (email, public name) and bitwarden settings
    if (doctype === 'io.cozy.settings' && (id === 'io.cozy.settings.instance' || id === 'io.cozy.settings.bitwarden')) return
    switch (doctype) {
      case 'io.cozy.apps':
      case 'io.cozy.konnectors':
        this.installApp(doctype, id)
        return
      case 'io.cozy.accounts':
        await this.importAccount(await readJsonEntry(zip, entries[i]))
        return
      case TRIGGERS_DOCTYPE:
        this.collectTrigger(await readJsonEntry(zip, entries[i]))
        return
      case FILES_DOCTYPE:
        await this.flush()
        await this.importFile(zip, await readJsonEntry(zip, entries[i]), entries[i + 1])
        return
      case 'io.cozy.files.versions':
        return
    }
    const doc = await readJsonEntry(zip, entries[i])
    delete doc._rev
    if (typeof doc._id !== 'string' || !doc._id) doc._id = id
    if (this.batch && (this.batch.doctype !== doctype || this.batch.docs.length >= 100)) await this.flush()
    this.batch ??= { doctype, docs: [] }
    this.batch.docs.push(doc)
  }

  /** importer.go flush: a bulk write per doctype, 100 documents at a time. */
  async flush(): Promise<void> {
    const batch = this.batch
    this.batch = null
    if (!batch || batch.docs.length === 0) return
    const results = await this.instance.dbs.bulk(batch.doctype, batch.docs)
    for (const r of results) {
      if ('error' in r && r.error) this.fail(new Error(`${batch.doctype}/${String(r.id)}: ${String(r.message ?? r.name ?? r.error)}`))
    }
  }

  /**
   * importer.go installApp: the stack reinstalls the app from its registry. The stand-in has
   * none: an app the target already has is kept, any other is reported as not installed.
   */
  private installApp(doctype: string, id: string): void {
    const slash = id.indexOf('/')
    if (slash < 0) return
    const slug = id.slice(slash + 1)
    const registry = doctype === 'io.cozy.apps' ? this.instance.state.apps : this.instance.state.konnectors
    if (!registry[slug]) this.appsNotInstalled.add(slug)
  }

  /** importer.go importAccount: only for an installed konnector without an on_delete_account hook. */
  private async importAccount(doc: Record<string, unknown>): Promise<void> {
    const slug = typeof doc.account_type === 'string' ? doc.account_type : ''
    const manifest = slug ? await this.instance.manifestOf('konnector', slug) : null
    if (!manifest || (typeof manifest.on_delete_account === 'string' && manifest.on_delete_account !== '')) {
      if (slug) this.appsNotInstalled.add(slug)
      return
    }
    delete doc._rev
    const [result] = await this.instance.dbs.bulk('io.cozy.accounts', [doc])
    if ('error' in result && result.error) this.fail(new Error(`io.cozy.accounts/${String(result.id)}: ${String(result.message ?? result.error)}`))
  }

  /** importer.go importTrigger: konnector triggers (and share-* ones for a move), added at the end. */
  private collectTrigger(doc: Record<string, unknown>): void {
    const worker = doc.worker
    const shared = worker === 'share-track' || worker === 'share-replicate' || worker === 'share-upload'
    if (worker !== 'konnector' && !(shared && this.source.moveFrom)) return
    if (typeof doc._id !== 'string' || typeof doc.type !== 'string' || typeof doc.arguments !== 'string') return
    delete doc._rev
    this.triggers.push({ ...doc, domain: this.instance.domain } as TriggerDoc)
  }

  /** importer.go importTriggers: after the files, so that no job runs for each imported file. */
  async importTriggers(): Promise<void> {
    for (const t of this.triggers) {
      try {
        this.instance.jobs.validateTrigger(t.type, t.arguments, t.worker)
        if (await this.instance.jobs.getTrigger(t._id)) continue // conflicts are ignored
        const saved = (await this.instance.dbs.put(TRIGGERS_DOCTYPE, t)) as TriggerDoc
        this.instance.jobs.schedule(saved)
      } catch (err) {
        this.fail(err)
      }
    }
  }

  /** importer.go: the myself contact gets the target's own email address back. */
  async fixMyself(): Promise<void> {
    if (!(await this.instance.dbs.exists('io.cozy.contacts'))) return
    const res = await this.instance.dbs.find('io.cozy.contacts', { selector: { me: true }, limit: 1 })
    const myself = res.docs[0] as Record<string, unknown> | undefined
    const email = this.instance.state.email
    if (!myself || !email) return
    const current = Array.isArray(myself.email) ? (myself.email as { address?: unknown }[]) : []
    if (current.some(e => e.address === email)) return
    await this.instance.dbs.put('io.cozy.contacts', { ...myself, email: [{ address: email, primary: true }] })
  }

  /**
   * importer.go importFile: a directory is created with its id (root and trash are already
   * there); a file takes the next entry as its content, keeps its id and must match its size
   * and MD5, within the quota.
   */
  private async importFile(zip: yauzl.ZipFile, doc: Record<string, unknown>, next: yauzl.Entry | undefined): Promise<void> {
    const id = doc._id
    if (typeof id !== 'string' || !SAFE_ID.test(id) || id.includes('..')) throw new Error(`io.cozy.files: invalid id ${String(id)}`)
    if (id === ROOT_DIR_ID || id === TRASH_DIR_ID) return
    const name = typeof doc.name === 'string' ? doc.name : ''
    checkFileName(name)
    const dirId = typeof doc.dir_id === 'string' ? doc.dir_id : ''
    const parent = await this.instance.files.get(dirId)
    if (!parent || parent.type !== 'directory') throw new Error(`io.cozy.files/${id}: parent directory ${dirId} does not exist`)
    if (await this.instance.files.get(id)) throw new Error(`io.cozy.files/${id}: file already exists`)
    if (await this.instance.files.childNamed(parent._id, name)) throw new Error(`io.cozy.files/${id}: file already exists`)
    const parentPath = String(parent.path)
    const clean: Record<string, unknown> = { ...doc }
    delete clean._rev
    if (doc.type === 'directory') {
      clean.path = parentPath === '/' ? `/${name}` : `${parentPath}/${name}`
      if (parentPath === TRASH_DIR_PATH || parentPath.startsWith(`${TRASH_DIR_PATH}/`)) clean.restore_path = typeof doc.restore_path === 'string' ? doc.restore_path : '/'
      await this.instance.dbs.put(FILES_DOCTYPE, clean)
      return
    }
    if (doc.type !== 'file') throw new Error(`io.cozy.files/${id}: unknown type`)
    if (!next || !entryName(next).startsWith(`${EXPORT_FILES_DIR}/`)) throw new Error('No content for file')
    const declared = Number(doc.size ?? NaN)
    if (!Number.isFinite(declared) || declared < 0 || next.uncompressedSize !== declared) throw new Error(`io.cozy.files/${id}: Content length does not match`)
    const quota = this.instance.state.quota
    if (quota !== null && this.usedBytes + declared > quota) throw new Error(`io.cozy.files/${id}: The file is too big and exceeds the disk quota`)
    const target = this.instance.files.contentPath(id)
    await fs.mkdir(path.dirname(target), { recursive: true })
    const tmp = `${target}.import`
    const hash = crypto.createHash('md5')
    let size = 0
    let md5 = ''
    const measure = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length
        hash.update(bytes(chunk))
        done(null, chunk)
      }
    })
    try {
      await pipeline(await openEntry(zip, next), measure, createWriteStream(tmp))
      md5 = hash.digest('base64')
      if (size !== declared) throw new Error(`io.cozy.files/${id}: Content length does not match`)
      if (typeof doc.md5sum === 'string' && doc.md5sum !== md5) throw new Error(`io.cozy.files/${id}: Invalid hash`)
      await fs.rename(tmp, target)
    } catch (err) {
      await fs.rm(tmp, { force: true })
      throw err
    }
    // the carbon copy and electronic safe flags are not trusted on import
    if (typeof clean.metadata === 'object' && clean.metadata !== null) {
      const metadata = { ...(clean.metadata as Record<string, unknown>) }
      delete metadata.carbonCopy
      delete metadata.electronicSafe
      clean.metadata = metadata
    }
    clean.size = String(size)
    clean.md5sum = md5
    delete clean.path
    try {
      await this.instance.dbs.put(FILES_DOCTYPE, clean as FileDoc)
    } catch (err) {
      await fs.rm(target, { force: true })
      throw err
    }
    this.usedBytes += size
  }

  async finish(): Promise<void> {
    await this.flush()
    await this.importTriggers()
    await this.fixMyself()
    await this.instance.files.diskUsage()
  }
}
