/**
 * An opened ENT "Mes données" archive: the zip's directory, the export's top folder
 * (`<ms>_<userId>/`), the Manifest, and where each application's folder is. Opening reads
 * only the zip's central directory and Manifest.json; app readers read the rest on demand.
 */
import { documentNamesOf, readApp } from './app-context'
import { AppFolderView, AppReader } from './apps/reader'
import { READERS, readerFor } from './apps/registry'
import { ArchiveWarning, EntArchiveError, errorMessage } from './errors'
import { ManifestApp, parseManifest } from './manifest'
import { ArchiveFile, EntItem } from './models'
import { foldName, splitDocumentFileName } from './paths'
import { CentralDirectory, DEFAULT_DIRECTORY_LIMITS, readCentralDirectory } from './zip/central-directory'
import { ZipEntry } from './zip/entry'
import { readEntryBytes, readEntryData } from './zip/entry-reader'
import { ZipPlatform } from './zip/platform'
import { webPlatform } from './zip/web-platform'
import { ArchiveSource } from './zip/source'

export interface ReaderLimits {
  /** Largest single JSON record or array item parsed (Mongo resource, index record, SQL row). */
  maxRecordBytes: number
  /** Largest Manifest.json read. */
  maxManifestBytes: number
  /** Most entries accepted in the zip directory. */
  maxEntries: number
}

export const DEFAULT_LIMITS: ReaderLimits = {
  maxRecordBytes: 32 * 1024 * 1024,
  maxManifestBytes: 1024 * 1024,
  maxEntries: DEFAULT_DIRECTORY_LIMITS.maxEntries
}

export interface OpenOptions {
  limits?: Partial<ReaderLimits>
  /**
   * The zip library that reads the archive: @zip.js/zip.js by default (browser-safe); the Node
   * entry point passes yauzl's (`nodePlatform`).
   */
  platform?: ZipPlatform
}

/** Where one application's data is in the archive and how it was recognised. */
export interface AppLocation {
  /** App key: `workspace`, `blog`, `scrapbook`…, or `unknown` for a folder no app claims. */
  app: string
  /** Manifest key (`org.entcore.blog`), null when the app was found by sniffing. */
  manifestKey: string | null
  version: string | null
  /** Folder in the archive (relative to the top folder), null when missing. */
  folder: string | null
  /** Folder the Manifest names, when it names one. */
  manifestFolder: string | null
  detectedBy: 'manifest' | 'folder-name' | 'content'
  /** Whether a reader module knows this app (otherwise its files are read as raw records). */
  known: boolean
}

const TOP_FOLDER = /^(\d{10,})_(.+)$/
const MANIFEST = 'Manifest.json'
const SIGNATURE = 'archive.signature'

interface Layout {
  prefix: string
  exportId: string | null
  exportedAt: Date | null
  userId: string | null
}

function detectLayout(names: string[], warnings: ArchiveWarning[]): Layout {
  const tops = new Map<string, number>()
  let rootManifest = false
  for (const name of names) {
    const slash = name.indexOf('/')
    if (slash < 0) {
      if (name === MANIFEST) rootManifest = true
      continue
    }
    const top = name.slice(0, slash)
    tops.set(top, (tops.get(top) ?? 0) + 1)
  }
  const hasManifest = (top: string): boolean => names.includes(`${top}/${MANIFEST}`)
  const matching = [...tops.keys()].filter(t => TOP_FOLDER.test(t))
  let top: string | null = null
  if (matching.length === 1) top = matching[0]
  else if (matching.length > 1) top = matching.find(hasManifest) ?? matching[0]
  else if (!rootManifest) {
    const withManifest = [...tops.keys()].filter(hasManifest)
    if (withManifest.length === 1) top = withManifest[0]
  }
  if (top === null && !rootManifest) {
    throw new EntArchiveError('not-an-ent-export', 'This zip is not an ENT "Mes données" export: it has no <date>_<user id> folder and no Manifest.json.')
  }
  const prefix = top === null ? '' : `${top}/`
  const outside = names.filter(name => !name.startsWith(prefix)).length
  if (outside > 0) {
    warnings.push({ code: 'outside-top-folder', message: `${outside} entr${outside === 1 ? 'y lies' : 'ies lie'} outside the export folder ${prefix || '(root)'} and ${outside === 1 ? 'is' : 'are'} ignored.` })
  }
  const match = top ? TOP_FOLDER.exec(top) : null
  return {
    prefix,
    exportId: top,
    exportedAt: match ? new Date(Number(match[1])) : null,
    userId: match ? match[2] : null
  }
}

export class EntArchive {
  readonly source: ArchiveSource
  readonly platform: ZipPlatform
  readonly limits: ReaderLimits
  /** `<ms>_<userId>`, or the top folder's name when it does not follow that form. */
  readonly exportId: string | null
  readonly exportedAt: Date | null
  /** The exporting user's ENT id, the part of the top folder after the first `_`. */
  readonly userId: string | null
  readonly manifestApps: ManifestApp[]
  readonly apps: AppLocation[]
  /** Problems found while opening (directory, layout, Manifest, app folders). */
  readonly warnings: ArchiveWarning[]
  /** ENT id → display name, filled as app readers meet owners, authors and mail peers. */
  readonly names = new Map<string, string>()

  /**
   * Path → position in `fileList` and `fileEntry` (the file's entry in the directory): two
   * parallel arrays instead of an object per file beside the ArchiveFile itself.
   */
  private readonly byPath: Map<string, number>
  private readonly fileList: ArchiveFile[] = []
  private readonly fileEntry: number[] = []
  private readonly directory: CentralDirectory
  private readonly topFolders: Map<string, AppFolderView>
  private copyIds: Set<string> | null = null
  private workspaceInfo: Promise<Map<string, { name: string; contentType: string | null }>> | null = null

  private constructor(source: ArchiveSource, platform: ZipPlatform, limits: ReaderLimits, directory: CentralDirectory, layout: Layout, warnings: ArchiveWarning[]) {
    this.source = source
    this.platform = platform
    this.limits = limits
    this.exportId = layout.exportId
    this.exportedAt = layout.exportedAt
    this.userId = layout.userId
    this.warnings = warnings
    this.byPath = new Map()
    this.topFolders = new Map()
    this.directory = directory
    // Names are read in NFC (macOS zippers write NFD), unless two entries differ only by their
    // Unicode form: each then keeps its own bytes and name, and the import tells them apart.
    const forms = new Map<string, number>()
    for (const name of directory.names) {
      if (/[\u0080-\uffff]/.test(name)) forms.set(name.normalize('NFC'), (forms.get(name.normalize('NFC')) ?? 0) + 1)
    }
    for (let index = 0; index < directory.count; index++) {
      const entry = { name: directory.names[index], isDirectory: directory.isDirectory(index) }
      if (!entry.name.startsWith(layout.prefix)) continue
      const relative = entry.name.slice(layout.prefix.length)
      // ASCII is always NFC: only other names pay for normalisation.
      const normalised = /[\u0080-\uffff]/.test(relative) ? relative.normalize('NFC') : relative
      const path = normalised === relative || (forms.get(entry.name.normalize('NFC')) ?? 0) > 1 ? relative : normalised
      if (path.length === 0) continue
      const slash = path.indexOf('/')
      if (slash > 0) {
        const folderName = path.slice(0, slash)
        const view = this.topFolders.get(folderName) ?? { name: folderName, files: [], directories: new Set<string>() }
        this.topFolders.set(folderName, view)
        const rel = path.slice(slash + 1)
        if (entry.isDirectory) {
          if (rel.length > 0) view.directories.add(rel.slice(0, -1))
          continue
        }
        const file: ArchiveFile = { path, size: directory.size(index), modified: directory.modified(index) }
        this.addFile(file, index)
        view.files.push({ file, rel })
        // Parent folders, deepest first, stopping at one already known (its parents are too).
        for (let at = rel.lastIndexOf('/'); at > 0; at = rel.lastIndexOf('/', at - 1)) {
          const directory = rel.slice(0, at)
          if (view.directories.has(directory)) break
          view.directories.add(directory)
        }
      } else if (!entry.isDirectory) {
        this.addFile({ path, size: directory.size(index), modified: directory.modified(index) }, index)
      }
    }
    this.manifestApps = []
    this.apps = []
  }

  /** A later file of the same path replaces the earlier one where it stood (as Map.set does). */
  private addFile(file: ArchiveFile, entry: number): void {
    const at = this.byPath.get(file.path)
    if (at !== undefined) {
      this.fileList[at] = file
      this.fileEntry[at] = entry
      return
    }
    this.byPath.set(file.path, this.fileList.length)
    this.fileList.push(file)
    this.fileEntry.push(entry)
  }

  private entryOf(path: string): ZipEntry | undefined {
    const at = this.byPath.get(path)
    return at === undefined ? undefined : this.directory.entry(this.fileEntry[at])
  }

  /** Opens an archive from any source; throws EntArchiveError when it is not a readable ENT export. */
  static async open(source: ArchiveSource, options: OpenOptions = {}): Promise<EntArchive> {
    const limits = { ...DEFAULT_LIMITS, ...options.limits }
    const platform = options.platform ?? webPlatform
    const directory = await readCentralDirectory(source, platform, { ...DEFAULT_DIRECTORY_LIMITS, maxEntries: limits.maxEntries })
    const warnings = [...directory.warnings]
    const layout = detectLayout(directory.names, warnings)
    const archive = new EntArchive(source, platform, limits, directory, layout, warnings)
    await archive.locateApps()
    return archive
  }

  /** Every file (not directory) under the top folder. */
  files(): ArchiveFile[] {
    return [...this.fileList]
  }

  /** A file by its path under the top folder (NFC), or undefined. */
  file(path: string): ArchiveFile | undefined {
    const at = this.byPath.get(path.normalize('NFC'))
    return at === undefined ? undefined : this.fileList[at]
  }

  /** The files of a top-level folder (an app folder). */
  folder(name: string): AppFolderView | undefined {
    return this.topFolders.get(name)
  }

  /** Streams a file's bytes out of the archive (checked against its size and CRC). */
  openFile(file: ArchiveFile): AsyncIterable<Uint8Array> {
    const entry = this.entryOf(file.path)
    if (!entry) throw new EntArchiveError('corrupt', `No entry "${file.path}" in this archive.`)
    return readEntryData(entry)
  }

  /** Reads a whole file into memory, refusing files above `maxBytes`. */
  readFile(file: ArchiveFile, maxBytes: number): Promise<Uint8Array> {
    const entry = this.entryOf(file.path)
    if (!entry) throw new EntArchiveError('corrupt', `No entry "${file.path}" in this archive.`)
    return readEntryBytes(entry, maxBytes)
  }

  /** The reader module for an app key, or undefined for apps read as raw records. */
  reader(app: string): AppReader | undefined {
    return readerFor(app)
  }

  /**
   * Reads one application into common models, one item at a time, parents before children.
   * Warnings met on the way go to `onWarning` (they are not added to `warnings`).
   */
  readApp(location: AppLocation, onWarning: (warning: ArchiveWarning) => void = () => undefined): AsyncIterable<EntItem> {
    return readApp(this, location, onWarning)
  }

  /**
   * Workspace document id → name and content type, from the workspace index, for naming the
   * `Documents/` copies other apps point to. Read once, kept compact.
   */
  workspaceDocuments(): Promise<Map<string, { name: string; contentType: string | null }>> {
    if (!this.workspaceInfo) this.workspaceInfo = this.loadWorkspaceInfo()
    return this.workspaceInfo
  }

  /** Ids of the workspace documents copied into some app's `Documents/` folder (from file names). */
  documentCopyIds(): Set<string> {
    if (!this.copyIds) {
      this.copyIds = new Set()
      for (const view of this.topFolders.values()) {
        for (const file of view.files) {
          if (!file.rel.startsWith('Documents/')) continue
          const parsed = splitDocumentFileName(file.rel.slice('Documents/'.length))
          if (parsed) this.copyIds.add(parsed.documentId)
        }
      }
    }
    return this.copyIds
  }

  /** Called by the workspace reader after its first pass, saving another read of the index. */
  rememberWorkspaceDocuments(info: Map<string, { name: string; contentType: string | null }>): void {
    if (!this.workspaceInfo) this.workspaceInfo = Promise.resolve(info)
  }

  /** From the app that provides the workspace's documents, when the archive has it. */
  private async loadWorkspaceInfo(): Promise<Map<string, { name: string; contentType: string | null }>> {
    const location = this.apps.find(a => a.folder && a.known && readerFor(a.app)?.provides?.includes('workspace-documents'))
    if (!location) return new Map()
    try {
      return await documentNamesOf(this, location)
    } catch {
      // That app's reader reports its own problems; names are a nicety for other apps.
      return new Map()
    }
  }

  close(): Promise<void> {
    return this.source.close()
  }

  private async readManifest(): Promise<ManifestApp[] | null> {
    const manifest = this.file(MANIFEST)
    if (!manifest) {
      this.warnings.push({ code: 'manifest-missing', path: MANIFEST, message: 'Manifest.json is missing; applications are recognised by their content.' })
      return null
    }
    let text: string
    try {
      text = new TextDecoder().decode(await this.readFile(manifest, this.limits.maxManifestBytes))
    } catch (err) {
      this.warnings.push({ code: 'manifest-malformed', path: MANIFEST, message: `Manifest.json cannot be read (${errorMessage(err)}); applications are recognised by their content.` })
      return null
    }
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (err) {
      this.warnings.push({ code: 'manifest-malformed', path: MANIFEST, message: `Manifest.json is not valid JSON (${errorMessage(err)}); applications are recognised by their content.` })
      return null
    }
    return parseManifest(value, this.warnings)
  }

  private async locateApps(): Promise<void> {
    const manifest = (await this.readManifest()) ?? []
    this.manifestApps.push(...manifest)
    const claimed = new Set<string>()
    const byFolded = new Map<string, string>()
    for (const name of this.topFolders.keys()) byFolded.set(foldName(name), name)
    const unclaimedNamed = (names: string[]): string | null => {
      for (const name of names) {
        const found = byFolded.get(foldName(name))
        if (found && !claimed.has(found)) return found
      }
      return null
    }

    for (const entry of manifest) {
      const reader = readerFor(entry.app)
      let folder: string | null = null
      if (entry.folder && this.topFolders.has(entry.folder) && !claimed.has(entry.folder)) folder = entry.folder
      else if (entry.folder) folder = unclaimedNamed([entry.folder])
      if (!folder && reader) {
        folder = unclaimedNamed(reader.folderNames)
        if (!folder) folder = await this.sniffFolder(reader, claimed)
        if (folder && entry.folder) {
          this.warnings.push({ code: 'app-folder-mismatch', app: entry.app, path: folder, message: `The Manifest says ${entry.app} is in "${entry.folder}", but its data is in "${folder}".` })
        }
      }
      if (folder) claimed.add(folder)
      else if (entry.folder || reader) {
        this.warnings.push({ code: 'app-folder-missing', app: entry.app, path: entry.folder ?? undefined, message: `The Manifest lists ${entry.app}${entry.folder ? ` in "${entry.folder}"` : ''}, but the archive has no such folder.` })
      }
      if (!reader) {
        this.warnings.push({ code: 'unknown-app', app: entry.app, path: folder ?? undefined, message: `Application "${entry.app}" (${entry.key}) has no reader; its files are kept as raw records.` })
      }
      this.apps.push({ app: entry.app, manifestKey: entry.key, version: entry.version, folder, manifestFolder: entry.folder, detectedBy: entry.folder && folder === entry.folder ? 'manifest' : 'folder-name', known: !!reader })
    }

    // Folders the Manifest does not account for: recognise them by content, then by name.
    for (const name of this.topFolders.keys()) {
      if (claimed.has(name)) continue
      const view = this.topFolders.get(name) as AppFolderView
      const taken = (r: AppReader): boolean => this.apps.some(a => a.app === r.app && a.folder)
      const bySniff = READERS.find(r => !taken(r) && r.sniff?.(view)) ?? (await this.sniffByRecord(view, r => !taken(r)))
      const byName = READERS.find(r => !taken(r) && r.folderNames.some(n => foldName(n) === foldName(name)))
      // A folder named like an app is that app unless its file names clearly say otherwise
      // (community and pages websites look alike: there the name decides).
      const contradicts = !!bySniff && !!byName && bySniff !== byName && !!bySniff.sniff?.(view) && !!byName.sniff && !byName.sniff(view)
      let reader: AppReader | undefined = bySniff
      let detectedBy: AppLocation['detectedBy'] = 'content'
      if (byName && !contradicts) {
        detectedBy = byName === bySniff ? 'content' : 'folder-name'
        reader = byName
      }
      claimed.add(name)
      if (reader) {
        this.warnings.push({ code: 'app-sniffed', app: reader.app, path: name, message: `Folder "${name}" is not in the Manifest; it was recognised as ${reader.app} by its ${detectedBy === 'content' ? 'content' : 'name'}.` })
        const listed = this.apps.find(a => a.app === reader?.app && !a.folder)
        if (listed) {
          listed.folder = name
          listed.detectedBy = detectedBy
        } else {
          this.apps.push({ app: reader.app, manifestKey: null, version: null, folder: name, manifestFolder: null, detectedBy, known: true })
        }
      } else {
        this.warnings.push({ code: 'unknown-folder', path: name, message: `Folder "${name}" belongs to no known application; its files are kept as raw records.` })
        this.apps.push({ app: 'unknown', manifestKey: null, version: null, folder: name, manifestFolder: null, detectedBy: 'content', known: false })
      }
    }
    for (const path of this.byPath.keys()) {
      if (!path.includes('/') && path !== MANIFEST && path !== SIGNATURE) {
        this.warnings.push({ code: 'unknown-file', path, message: `File "${path}" at the top of the export belongs to no application; it is ignored.` })
      }
    }
    if (manifest.length === 0 && this.apps.every(a => !a.known)) {
      throw new EntArchiveError('not-an-ent-export', 'This zip is not an ENT "Mes données" export: no Manifest.json and no recognisable application folder.')
    }
  }

  private async sniffFolder(reader: AppReader, claimed: Set<string>): Promise<string | null> {
    for (const [name, view] of this.topFolders) {
      if (claimed.has(name)) continue
      if (reader.sniff?.(view)) return name
      if (reader.sniffRecord && (await this.sniffByRecord(view, r => r === reader))) return name
    }
    return null
  }

  /** Reads the first top-level record of a folder (small ones only) and asks each reader. */
  private async sniffByRecord(view: AppFolderView, eligible: (reader: AppReader) => boolean): Promise<AppReader | undefined> {
    const candidate = view.files.find(f => !f.rel.includes('/') && f.file.size <= Math.min(this.limits.maxRecordBytes, 4 * 1024 * 1024))
    if (!candidate) return undefined
    try {
      const value: unknown = JSON.parse(new TextDecoder().decode(await this.readFile(candidate.file, 4 * 1024 * 1024)))
      if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
      return READERS.find(r => eligible(r) && r.sniffRecord?.(value as Record<string, unknown>))
    } catch {
      return undefined
    }
  }
}
