import './testing/jsdom-globals'
import React from 'react'
import { readFileSync } from 'fs'
import { File as NodeFile } from 'buffer'
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { AppLike } from '../../../test/AppLike'
import { REAL_SAMPLE } from '../../../test/fixtures/real-sample'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { writeZipFile } from '../../../test/fixtures/zip-writer'
import { writeEntArchive } from '../../../test/fixtures/ent-archive'
import { mockCozyClient as mockStackClient, jsonApiDoc } from '../../stack-client/testing/mock-stack-client'
import { Route, Routes } from 'react-router-dom'
import type CozyClient from 'cozy-client'
import { EntImportPage } from './EntImportPage'
import frJson from '../../../locales/fr.json'
import en from '../../../locales/en.json'
import { plainSpaces } from '../../stack-client/testing/plain-spaces'

const fr = plainSpaces(frJson)

// Rendering cozy-ui in jsdom is slow on a loaded machine; no assertion here is about time.
jest.setTimeout(30000)

beforeAll(() => {
  // No realtime socket in component tests: the page must fall back to reading the record.
  Object.assign(window, { WebSocket: undefined })
})

/** jsdom's File cannot be read (no arrayBuffer/stream); Node's implements the same standard. */
const fileOf = (bytes: Uint8Array | string, name: string) => new NodeFile([bytes], name, { type: 'application/zip' }) as unknown as File
const sampleBytes = () => new Uint8Array(readFileSync(REAL_SAMPLE))
const sampleFile = () => fileOf(sampleBytes(), 'mes-donnees-ent.zip')

/** The sample with its central directory's second header overwritten, as a bad copy would leave it. */
function damagedCentralDirectory(): Uint8Array {
  const bytes = sampleBytes()
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const eocd = bytes.length - 22
  const start = view.getUint32(eocd + 16, true)
  const firstNameLength = view.getUint16(start + 28, true)
  const second = start + 46 + firstNameLength + view.getUint16(start + 30, true) + view.getUint16(start + 32, true)
  bytes.fill(0xff, second, second + 8)
  return bytes
}

/** The sample with the data of its Manifest.json scrambled (its CRC no longer matches). */
function damagedManifest(): Uint8Array {
  const bytes = sampleBytes()
  const header = Buffer.from(bytes).lastIndexOf('PK\x03\x04', Buffer.from(bytes).indexOf('Manifest.json'))
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dataStart = header + 30 + view.getUint16(header + 26, true) + view.getUint16(header + 28, true)
  for (let i = dataStart + 2; i < dataStart + 40; i++) bytes[i] ^= 0x5a
  return bytes
}

/** The page mounted as the app mounts it, under `/ent-import/*`. */
function renderPage(client: CozyClient, route: string, lang: 'fr' | 'en' = 'fr') {
  return render(
    <AppLike client={client} route={route} lang={lang}>
      <Routes>
        <Route path="/ent-import/*" element={<EntImportPage />} />
      </Routes>
    </AppLike>
  )
}

/** Dropped once the page knows no import is at work (it looks first). */
async function dropFile(file: File) {
  fireEvent.drop(await screen.findByTestId('ent-drop-zone'), { dataTransfer: { files: [file] } })
}

const record = (fields: Record<string, unknown>) => ({
  _id: 'imp1',
  _rev: '3-a',
  state: 'done',
  archive: { fileId: 'file1', name: 'mes-donnees-ent.zip', size: 721213, exportId: 'x', exportedAt: '2026-04-01T15:50:30.583Z' },
  selection: ['workspace', 'blog'],
  includeTrash: false,
  destination: { id: 'dir1', path: '/Mes données ENT' },
  importFolder: { id: 'dir2', path: '/Mes données ENT/2026-04-01' },
  apps: [
    { app: 'workspace', folder: 'Espace documentaire', selected: true, state: 'done', total: 10, imported: 7, skipped: 1, notSelected: 1, failed: 1, bytes: 355000, plannedBytes: 355000, durationMs: 800 },
    { app: 'blog', folder: 'Blog', selected: true, state: 'done', total: 5, imported: 5, skipped: 0, notSelected: 0, failed: 0, bytes: 68000, plannedBytes: 68000, durationMs: 300 }
  ],
  progress: { bytesDone: 423000, bytesPlanned: 423000, itemsDone: 15, itemsPlanned: 15 },
  errors: [{ app: 'workspace', item: 'Documents personnels/cours.pdf', reason: 'The binary is missing from the archive' }],
  errorCount: 1,
  error: null,
  pendingShares: 2,
  jobs: 2,
  jobId: 'job2',
  createdAt: '2026-04-02T08:00:00.000Z',
  startedAt: '2026-04-02T08:00:01.000Z',
  updatedAt: '2026-04-02T08:02:00.000Z',
  finishedAt: '2026-04-02T08:02:00.000Z',
  report: null,
  ...fields
})

describe('Import from my ENT', () => {
  // The archive is read in the background: let what is still running settle, then unmount,
  // so that nothing updates the page after its test has ended.
  afterEach(async () => {
    await act(() => new Promise<void>(resolve => setTimeout(resolve, 50)))
    cleanup()
  })

  it('previews the genuine sample from its directory: date, user, apps with counts, all ticked', async () => {
    const { client } = mockStackClient({ 'GET /data/io.cozy.mesdonnees.imports/_all_docs?include_docs=true': { body: { rows: [] } } })
    renderPage(client, '/ent-import')
    await dropFile(sampleFile())
    await screen.findByText(fr.entImport.preview.title)
    // The name comes a moment after the list, from a small record.
    expect(await screen.findByText('Bernard Junior')).toBeInTheDocument()
    expect(screen.getByText('mes-donnees-ent.zip')).toBeInTheDocument()
    expect(screen.getByText(/1er avril 2026/)).toBeInTheDocument()
    for (const label of ['Espace documentaire', 'Blog', 'Cahier multimédia', 'Actualités']) {
      expect(screen.getByLabelText(new RegExp(`^${label}`))).toBeChecked()
    }
    // the items the import's report will count, once the records are read
    expect(await screen.findByText(/^8 éléments · /, undefined, { timeout: 10_000 })).toBeInTheDocument()
    expect(screen.getAllByText(/^6 éléments · /)).toHaveLength(2)
    expect(screen.getByText(/^4 éléments · /)).toBeInTheDocument()
    // Unticking one app changes what the button says it will import.
    fireEvent.click(screen.getByLabelText(/^Blog/))
    expect(screen.getByRole('button', { name: 'Importer 3 applications' })).toBeEnabled()
    fireEvent.click(screen.getByRole('button', { name: fr.entImport.preview.selectNone }))
    expect(screen.getByText(fr.entImport.preview.nothingSelected)).toBeInTheDocument()
  })

  it('says before uploading that the same export was imported, and offers to open it or import a copy', async () => {
    const earlier = record({ archive: { fileId: 'file1', name: 'mes-donnees-ent.zip', size: 721213, exportId: '1775058630583_3c6e1e62-9ea9-4e4f-972f-58c41b83cb76', exportedAt: '2026-04-01T15:50:30.583Z' } })
    const { client } = mockStackClient({ 'GET /data/io.cozy.mesdonnees.imports/_all_docs?include_docs=true': { body: { rows: [{ id: 'imp1', doc: earlier }] } } })
    renderPage(client, '/ent-import')
    await dropFile(sampleFile())
    expect(await screen.findByText(/^Cette archive a déjà été importée le 2 avril 2026 .*dans « \/Mes données ENT\/2026-04-01 »\.$/, undefined, { timeout: 10_000 })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: fr.entImport.preview.already.open })).toHaveAttribute('href', '/ent-import/history/imp1')
    expect(screen.getByRole('button', { name: fr.entImport.preview.already.copy })).toBeEnabled()
    // a done import is not resumed, and the plain start is not offered
    expect(screen.queryByRole('button', { name: fr.entImport.preview.already.resume })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Importer 4 applications' })).toBeNull()
  })

  it('says in words when the file is not an ENT export', async () => {
    const { client } = mockStackClient({ 'GET /data/io.cozy.mesdonnees.imports/_all_docs?include_docs=true': { body: { rows: [] } } })
    renderPage(client, '/ent-import', 'en')
    await dropFile(fileOf('just some notes, not a zip at all, long enough to be looked at', 'notes.zip'))
    expect(await screen.findByRole('alert')).toHaveTextContent(en.entImport.errors['not-a-zip'])
  })

  it('names the wrong file and says what is wrong with it: not a zip, no ENT export, a damaged zip', async () => {
    const { client } = mockStackClient({ 'GET /data/io.cozy.mesdonnees.imports/_all_docs?include_docs=true': { body: { rows: [] } } })
    renderPage(client, '/ent-import', 'en')
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...new TextEncoder().encode('JFIF'.repeat(200)), 0xff, 0xd9])
    const tmp = temporaryDirectory()
    const holiday = `${tmp.dir}/vacances.zip`
    await writeZipFile(holiday, async zip => {
      await zip.file('photos/beach.jpg', 'not really a photo')
      await zip.file('notes.txt', 'holiday')
    })
    const notEnt = new Uint8Array(readFileSync(holiday))
    tmp.remove()
    const cases: Array<[Uint8Array | string, string, string]> = [
      ['Liste de courses : pain, lait.\n'.repeat(20), 'courses.txt', en.entImport.errors['not-a-zip']],
      [jpeg, 'photo.jpg', en.entImport.errors['not-a-zip']],
      [notEnt, 'vacances.zip', en.entImport.errors['not-an-ent-export']],
      [sampleBytes().subarray(0, 400_000), 'cut.zip', en.entImport.errors.truncated],
      [damagedCentralDirectory(), 'copied.zip', en.entImport.errors.truncated]
    ]
    for (const [bytes, name, message] of cases) {
      await dropFile(fileOf(bytes, name))
      const alert = await screen.findByRole('alert')
      await waitFor(() => expect(within(alert).getByText(`“${name}”:`)).toBeInTheDocument())
      expect(alert).toHaveTextContent(message)
      // back at the picker, ready for the right file
      expect(screen.getByTestId('ent-drop-zone')).toBeInTheDocument()
    }
    // Damaged data behind a sound directory: the preview opens, then says to download it again.
    await dropFile(fileOf(damagedManifest(), 'scrambled.zip'))
    expect(await screen.findByText(en.entImport.preview.damaged, undefined, { timeout: 10_000 })).toBeInTheDocument()
  })

  it('keeps the chosen archive and its ticks when going back from the preview', async () => {
    const { client } = mockStackClient({ 'GET /data/io.cozy.mesdonnees.imports/_all_docs?include_docs=true': { body: { rows: [] } } })
    renderPage(client, '/ent-import')
    await dropFile(sampleFile())
    await screen.findByText('Bernard Junior')
    fireEvent.click(screen.getByLabelText(/^Blog/))
    fireEvent.click(screen.getByRole('button', { name: fr.entImport.preview.other }))
    const kept = await screen.findByRole('region', { name: fr.entImport.picker.kept.title })
    expect(kept).toHaveTextContent('mes-donnees-ent.zip (721 Ko)')
    expect(screen.getByTestId('ent-drop-zone')).toBeInTheDocument()
    // A wrong file meanwhile leaves the chosen one alone.
    await dropFile(fileOf('pas un zip'.repeat(10), 'notes.txt'))
    await screen.findByRole('alert')
    fireEvent.click(within(screen.getByRole('region', { name: fr.entImport.picker.kept.title })).getByRole('button', { name: fr.entImport.picker.kept.back }))
    expect(await screen.findByText('Bernard Junior')).toBeInTheDocument()
    expect(screen.getByLabelText(/^Blog/)).not.toBeChecked()
    expect(screen.getByLabelText(/^Espace documentaire/)).toBeChecked()
    expect(screen.getByRole('button', { name: 'Importer 3 applications' })).toBeEnabled()
  })

  it('opens on an import at work, shows it live then its report, and only then offers another archive', async () => {
    window.localStorage.clear()
    const running = record({ state: 'running', finishedAt: null, updatedAt: new Date().toISOString(), progress: { bytesDone: 100000, bytesPlanned: 423000, itemsDone: 6, itemsPlanned: 15 } })
    const { client, realtime } = mockStackClient({
      'GET /data/io.cozy.mesdonnees.imports/_all_docs?include_docs=true': { body: { rows: [{ id: 'imp1', doc: running }] } },
      'GET /data/io.cozy.mesdonnees.imports/imp1': { body: running },
      'GET /jobs/job2': jsonApiDoc('io.cozy.jobs', 'job2', { worker: 'konnector', state: 'running' }),
      'GET /apps/': { body: { data: [], meta: { count: 0 } } }
    })
    renderPage(client, '/ent-import', 'en')
    expect(await screen.findByText(en.entImport.progress.title)).toBeInTheDocument()
    expect(screen.getByText(/^6 items of 15/)).toBeInTheDocument()
    expect(screen.queryByText(en.entImport.picker.title)).toBeNull()
    expect(screen.queryByTestId('ent-drop-zone')).toBeNull()
    // The engine's last write comes through realtime (RealTimeQueries), not by reading again.
    act(() => realtime.emit('updated', 'io.cozy.mesdonnees.imports', { ...record({ updatedAt: new Date().toISOString() }), _rev: '4-b' }))
    expect(await screen.findByText(en.entImport.report.title)).toBeInTheDocument()
    fireEvent.click(screen.getByRole('button', { name: en.entImport.report.newImport }))
    expect(await screen.findByTestId('ent-drop-zone')).toBeInTheDocument()
  })

  it('opens again on the report of the import this browser followed, until another archive is chosen', async () => {
    window.localStorage.setItem('mesdonnees.entImport.followed', 'imp1')
    const done = record({ finishedAt: new Date().toISOString(), updatedAt: new Date().toISOString() })
    const { client } = mockStackClient({
      'GET /data/io.cozy.mesdonnees.imports/_all_docs?include_docs=true': { body: { rows: [{ id: 'imp1', doc: done }] } },
      'GET /data/io.cozy.mesdonnees.imports/imp1': { body: done },
      'GET /apps/': { body: { data: [], meta: { count: 0 } } }
    })
    const { unmount } = renderPage(client, '/ent-import')
    expect(await screen.findByText(fr.entImport.report.title)).toBeInTheDocument()
    fireEvent.click(screen.getByRole('button', { name: fr.entImport.report.newImport }))
    await screen.findByTestId('ent-drop-zone')
    expect(window.localStorage.getItem('mesdonnees.entImport.followed')).toBeNull()
    unmount()
    renderPage(client, '/ent-import')
    expect(await screen.findByTestId('ent-drop-zone')).toBeInTheDocument()
    expect(screen.queryByText(fr.entImport.report.title)).toBeNull()
  })

  it('tells what was shared in the ENT, with whom, and that Share again will propose it anew', async () => {
    const tmp = temporaryDirectory()
    const file = `${tmp.dir}/partages.zip`
    await writeEntArchive(file, { apps: ['workspace', 'blog', 'forum', 'calendar'], workspaceFiles: 14, userName: 'Léa Moreau' })
    const bytes = new Uint8Array(readFileSync(file))
    tmp.remove()
    const { client } = mockStackClient({ 'GET /data/io.cozy.mesdonnees.imports/_all_docs?include_docs=true': { body: { rows: [] } } })
    renderPage(client, '/ent-import', 'en')
    await dropFile(fileOf(bytes, 'partages.zip'))
    const notice = await screen.findByTestId('ent-preview-shares', undefined, { timeout: 15_000 })
    const text = notice.textContent ?? ''
    const [, items, users, groups] = /^(\d+) ticked items were shared in the ENT, with (\d+) (?:person|people) and (\d+) groups?\./.exec(text) ?? []
    expect(Number(items)).toBeGreaterThan(1)
    expect(Number(users)).toBeGreaterThan(0)
    expect(Number(groups)).toBeGreaterThan(0)
    expect(screen.getByText(en.entImport.preview.shares.again)).toBeInTheDocument()
    // Each app says how many of its items were shared; unticking one takes its shares out.
    const blog = screen.getByLabelText(/^Blog/)
    const blogShared = Number(/(\d+) shared/.exec(blog.closest('li')?.textContent ?? '')?.[1] ?? 0)
    expect(blogShared).toBeGreaterThan(0)
    fireEvent.click(blog)
    await waitFor(() => expect(screen.getByTestId('ent-preview-shares').textContent).toMatch(new RegExp(`^${Number(items) - blogShared} ticked item`)))
  })

  it('refuses to start when the Cozy lacks the space for the archive and its content', async () => {
    const { client, calls } = mockStackClient({
      'GET /data/io.cozy.mesdonnees.imports/_all_docs?include_docs=true': { body: { rows: [] } },
      'GET /settings/disk-usage': jsonApiDoc('io.cozy.settings', 'io.cozy.settings.disk-usage', { used: '999000000', quota: '1000000000' })
    })
    renderPage(client, '/ent-import')
    await dropFile(sampleFile())
    fireEvent.click(await screen.findByRole('button', { name: 'Importer 4 applications' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Votre Cozy n’a pas assez')
    await waitFor(() => expect(screen.getByRole('button', { name: 'Importer 4 applications' })).toBeEnabled())
    expect(calls.map(c => c.route)).not.toContain('POST /data/io.cozy.mesdonnees.imports/')
  })

  it('shows the report of a finished import, with its failures, links and pending shares', async () => {
    const { client } = mockStackClient({
      'GET /data/io.cozy.mesdonnees.imports/imp1': { body: record({}) },
      'GET /apps/': { body: { data: [{ type: 'io.cozy.apps', id: 'io.cozy.apps/drive', attributes: { slug: 'drive' }, links: { related: 'https://alice-drive.cozy.example/' } }], meta: { count: 1 } } }
    })
    renderPage(client, '/ent-import/history/imp1')
    await screen.findByText(fr.entImport.report.title)
    // the same items as the preview counted, each in one column
    expect(screen.getByText('15 éléments dans l’archive : 12 importés, 1 déjà présents, 1 non sélectionnés, 1 en échec')).toBeInTheDocument()
    const row = screen.getByRole('row', { name: /Espace documentaire/ })
    expect(within(row).getAllByRole('cell').map(c => c.textContent)).toEqual(['10', '7', '1', '1', '1', '355 Ko'])
    expect(screen.getByText(/The binary is missing from the archive/)).toBeInTheDocument()
    await waitFor(() => expect(screen.getByRole('link', { name: fr.entImport.report.openFolder })).toHaveAttribute('href', 'https://alice-drive.cozy.example/#/folder/dir2'))
    expect(screen.getByText('2 partages de l’ENT attendent d’être recréés.')).toBeInTheDocument()
  })

  it('follows a running import and offers to resume a failed one, explaining a missing konnector', async () => {
    const { client, calls } = mockStackClient({
      'GET /data/io.cozy.mesdonnees.imports/imp1': { body: record({ state: 'failed', error: { code: 'STACK_ERROR', message: 'boom' }, apps: [] }) },
      // The Store is installed (GET /apps/ lists it): the page offers its INSTALL intent.
      'GET /apps/': { body: { data: [{ type: 'io.cozy.apps', id: 'io.cozy.apps/store', attributes: { slug: 'store' }, links: { related: 'https://alice-store.cozy.example/' } }], meta: { count: 1 } } },
      'GET /konnectors/ent-import': { status: 404, detail: 'Application is not installed' },
      'POST /intents': jsonApiDoc('io.cozy.intents', 'intent1', { services: [{ slug: 'store', href: 'https://alice-store.cozy.example/intents?intent=intent1' }] })
    })
    renderPage(client, '/ent-import/history/imp1')
    expect(await screen.findByText(fr.entImport.errors.job.STACK_ERROR)).toBeInTheDocument()
    fireEvent.click(screen.getByRole('button', { name: fr.entImport.resume }))
    await screen.findByText(fr.entImport.konnector.title)
    expect(calls.map(c => c.route)).not.toContain('POST /jobs/queue/konnector')
    // No intent until the user asks to install: the one intent of the install is cozy-interapp's.
    expect(calls.map(c => c.route)).not.toContain('POST /intents')

    // The Store's INSTALL service opens in the page, and the handshake gives it the konnector's slug.
    await waitFor(() => expect(screen.getByRole('button', { name: fr.entImport.konnector.install })).not.toBeDisabled())
    fireEvent.click(screen.getByRole('button', { name: fr.entImport.konnector.install }))
    // (testing-library's matchers collapse the narrow no-break space of the title: read the attribute)
    const frame = await waitFor(() => {
      const found = document.querySelector('iframe')
      if (!found) throw new Error('no iframe yet')
      return found
    })
    expect(frame.title).toBe(frJson.entImport.konnector.frameTitle)
    expect(frame.src).toBe('https://alice-store.cozy.example/intents?intent=intent1')
    expect(calls.filter(c => c.route === 'POST /intents').map(c => c.body)).toEqual([
      { data: { type: 'io.cozy.intents', attributes: { action: 'INSTALL', type: 'io.cozy.apps', data: { slug: 'ent-import' }, permissions: ['GET'] } } }
    ])
    const service = frame.contentWindow as Window
    const posted = jest.spyOn(service, 'postMessage').mockImplementation(() => undefined)
    const fromStore = (data: unknown) => act(() => void window.dispatchEvent(new MessageEvent('message', { data, origin: 'https://alice-store.cozy.example', source: service })))
    fromStore({ type: 'intent-intent1:ready' })
    expect(posted).toHaveBeenCalledWith({ slug: 'ent-import' }, 'https://alice-store.cozy.example')
    // Installed: the dialog closes and the import is started again.
    const checks = calls.filter(c => c.route === 'GET /konnectors/ent-import').length
    fromStore({ type: 'intent-intent1:done', document: { slug: 'ent-import', state: 'ready' } })
    await waitFor(() => expect(document.querySelector('iframe')).toBeNull())
    await waitFor(() => expect(calls.filter(c => c.route === 'GET /konnectors/ent-import').length).toBeGreaterThan(checks))
  })
})
