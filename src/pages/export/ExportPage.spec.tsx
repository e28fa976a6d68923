import React from 'react'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { Route, Routes } from 'react-router-dom'
import { AppLike } from '../../../test/AppLike'
import { ExportPage } from './ExportPage'
import { act } from 'react-dom/test-utils'
import { mockStackClient, fakeRealtime, jsonApiDoc, jsonApiList, type RouteAnswer, type RouteHandler } from '../../stack-client/testing/mock-stack-client'
import frJson from '../../../locales/fr.json'
import enJson from '../../../locales/en.json'
import { plainSpaces } from '../../stack-client/testing/plain-spaces'

// cozy-ui renders slowly in jsdom on a busy machine: generous waits (never a timing assertion).
jest.setTimeout(30000)
const SLOW = { timeout: 10000 }
const fr = plainSpaces(frJson)
const en = plainSpaces(enJson)

const GIB = 1024 ** 3

function stackRoutes(exportAnswer: RouteAnswer = { body: '' }) {
  return {
    'GET /settings/instance': jsonApiDoc('io.cozy.settings', 'io.cozy.settings.instance', { email: 'alice@example.net' }),
    'GET /settings/disk-usage': jsonApiDoc('io.cozy.settings', 'io.cozy.settings.disk-usage', { used: String(4 * GIB) }),
    'GET /apps/': jsonApiList([
      {
        type: 'io.cozy.apps',
        id: 'io.cozy.apps/contacts',
        attributes: { slug: 'contacts', name: 'Contacts', permissions: { c: { type: 'io.cozy.contacts' }, a: { type: 'io.cozy.apps' } } }
      },
      {
        type: 'io.cozy.apps',
        id: 'io.cozy.apps/notes',
        attributes: { slug: 'notes', name: 'Notes', permissions: { f: { type: 'io.cozy.files' }, n: { type: 'io.cozy.notes.events' } } }
      },
      { type: 'io.cozy.apps', id: 'io.cozy.apps/store', attributes: { slug: 'store', name: 'Store', permissions: { a: { type: 'io.cozy.apps' } } } }
    ]),
    'GET /konnectors/': jsonApiList([
      {
        type: 'io.cozy.konnectors',
        id: 'io.cozy.konnectors/ent-import',
        attributes: { slug: 'ent-import', name: 'Import ENT', permissions: { acc: { type: 'io.cozy.accounts' } } }
      }
    ]),
    'POST /move/exports': exportAnswer,
    // No export running: the queue of the export worker is empty (docs/jobs.md "GET /jobs/queue/:worker-type").
    'GET /jobs/queue/export': { body: { data: [], meta: { count: 0 } } }
  }
}

/** An export job as the stack lists and returns it (worker/moves/workers.go, model/job). */
function exportJob(id: string, attributes: Record<string, unknown>) {
  return { type: 'io.cozy.jobs', id, attributes: { worker: 'export', queued_at: '2026-11-21T21:00:00Z', ...attributes } }
}

/** The routes once a request queued job `j1`: listed while it runs, then read by id in each of `states`. */
function followedJob(states: Array<Record<string, unknown>>, exportAnswer: RouteAnswer = { body: '' }) {
  let requested = false
  let reads = 0
  return {
    ...stackRoutes(exportAnswer),
    'POST /move/exports': () => {
      requested = true
      return exportAnswer
    },
    'GET /jobs/queue/export': () => ({ body: { data: requested ? [exportJob('j1', { state: 'running' })] : [], meta: { count: requested ? 1 : 0 } } }),
    'GET /jobs/j1': () => ({ body: { data: exportJob('j1', states[Math.min(reads++, states.length - 1)]) } })
  }
}

function renderPage(lang: 'fr' | 'en', routes: Record<string, RouteAnswer | RouteHandler> = stackRoutes()) {
  const stack = mockStackClient(routes)
  const realtime = fakeRealtime()
  ;(stack.client as unknown as { plugins: Record<string, unknown> }).plugins.realtime = realtime
  render(
    <AppLike lang={lang} route="/export" client={stack.client}>
      <Routes>
        <Route path="/export" element={<ExportPage jobCheckMs={50} />} />
        <Route path="/exports/:mac" element={<p>download page</p>} />
      </Routes>
    </AppLike>
  )
  return { ...stack, realtime }
}

describe('ExportPage', () => {
  it('lists the installed apps with their data, everything ticked, and exports everything', async () => {
    const stack = renderPage('fr')
    expect(screen.getByRole('status')).toHaveTextContent(fr.export.loading)
    const everything = await screen.findByRole('checkbox', { name: fr.export.what.everything }, SLOW)
    expect(everything).toBeChecked()
    // Files first, then apps keeping data, sorted; the Store keeps none and is left out.
    const list = screen.getByRole('list', { name: fr.export.what.listLabel })
    expect(within(list).getAllByRole('checkbox').map(box => box.closest('label')?.textContent)).toEqual([
      fr.export.apps.files,
      'Contacts',
      'Import ENT',
      'Notes'
    ])
    expect(screen.getByText('Données : io.cozy.notes.events')).toBeInTheDocument()
    expect(screen.getByText('Données : contacts')).toBeInTheDocument()
    expect(screen.getByText('Données : fichiers, anciennes versions des fichiers')).toBeInTheDocument()
    expect(screen.getByText(/alice@example\.net/)).toBeInTheDocument()
    // 4 GiB used: the stack would pick √4 = 2 GiB parts.
    expect(screen.getByRole('radio', { name: /Automatique\s:\senviron 2\sGo par partie.*4\sGo utilisés/ })).toBeChecked()

    fireEvent.click(screen.getByRole('button', { name: fr.export.start }))
    await screen.findByText(fr.export.progress.requestedTitle, undefined, SLOW)
    expect(stack.calls.find(c => c.route === 'POST /move/exports')?.body).toEqual({
      data: { type: 'io.cozy.exports', attributes: {} }
    })
  })

  it('sends only the doctypes of the ticked apps and the chosen part size', async () => {
    const stack = renderPage('en')
    await screen.findByRole('checkbox', { name: en.export.what.everything }, SLOW)
    fireEvent.click(screen.getByRole('checkbox', { name: en.export.what.everything }))
    expect(screen.getByRole('button', { name: en.export.start })).toBeDisabled()
    expect(screen.getByRole('alert')).toHaveTextContent(en.export.what.noneTicked)
    fireEvent.click(screen.getByRole('checkbox', { name: en.export.apps.files }))
    fireEvent.click(screen.getByRole('checkbox', { name: 'Contacts' }))
    fireEvent.click(screen.getByRole('radio', { name: /^5\sGB per part/ }))
    fireEvent.click(screen.getByRole('button', { name: en.export.start }))
    await screen.findByText(en.export.progress.requestedTitle, undefined, SLOW)
    expect(stack.calls.find(c => c.route === 'POST /move/exports')?.body).toEqual({
      data: {
        type: 'io.cozy.exports',
        attributes: { parts_size: 5 * GIB, with_doctypes: ['io.cozy.contacts', 'io.cozy.files', 'io.cozy.files.versions'] }
      }
    })
  })

  it('follows the export job and ends with "check your mail", the address and the link\'s end of validity', async () => {
    const stack = renderPage(
      'fr',
      followedJob([
        { state: 'running', started_at: '2026-11-21T21:00:05Z' },
        { state: 'done', started_at: '2026-11-21T21:00:05Z' }
      ])
    )
    await screen.findByRole('checkbox', { name: fr.export.what.everything }, SLOW)
    fireEvent.click(screen.getByRole('button', { name: fr.export.start }))
    await screen.findByText(fr.export.progress.exportingTitle, undefined, SLOW)
    expect(screen.getByText(/21 novembre 2026/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: fr.export.start })).toBeDisabled()
    await screen.findByText(fr.export.progress.doneTitle, undefined, SLOW)
    expect(
      screen.getByText('Consultez vos e-mails : le lien de téléchargement a été envoyé à alice@example.net, dans l’e-mail « Téléchargement de vos données » de noreply@alice.cozy.example.')
    ).toBeInTheDocument()
    expect(screen.getByText(fr.export.progress.spam)).toBeInTheDocument()
    // The stack keeps an export 7 days from when its worker started (archiver.go archiveMaxAge).
    expect(screen.getByText(/28 novembre 2026/)).toBeInTheDocument()
    // The job was read again until it ended, and not after.
    const reads = stack.calls.filter(c => c.route === 'GET /jobs/j1').length
    expect(reads).toBeGreaterThanOrEqual(2)
    // The state sits above the form, so that a phone shows it without scrolling down.
    const state = screen.getByRole('heading', { level: 2, name: fr.export.progress.title })
    const form = screen.getByRole('checkbox', { name: fr.export.what.everything })
    expect(state.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    // Once ready, the way to the download page: the form that takes the mailed link.
    fireEvent.click(screen.getByRole('button', { name: fr.export.progress.openDownload }))
    expect(screen.getByLabelText(fr.export.paste.label)).toHaveFocus()
  })

  it('ends as soon as the export document\'s realtime event says it is done, with the validity the stack set', async () => {
    // The job is still "running" at every read: only the io.cozy.exports event says it ended.
    const { realtime } = renderPage('en', followedJob([{ state: 'running', started_at: '2026-11-21T21:00:05Z' }]))
    await screen.findByRole('checkbox', { name: en.export.what.everything }, SLOW)
    fireEvent.click(screen.getByRole('button', { name: en.export.start }))
    await screen.findByText(en.export.progress.exportingTitle, undefined, SLOW)
    act(() => realtime.emit('updated', 'io.cozy.exports', { _id: 'e1', state: 'done', created_at: '2026-11-21T21:00:05Z', expires_at: '2026-11-30T08:00:00Z' }))
    await screen.findByText(en.export.progress.doneTitle, undefined, SLOW)
    expect(screen.getByText(/November 30, 2026|30 November 2026/)).toBeInTheDocument()
  })

  it('says why when the export document\'s event says it failed', async () => {
    const { realtime } = renderPage('fr', followedJob([{ state: 'running' }]))
    await screen.findByRole('checkbox', { name: fr.export.what.everything }, SLOW)
    fireEvent.click(screen.getByRole('button', { name: fr.export.start }))
    await screen.findByText(fr.export.progress.exportingTitle, undefined, SLOW)
    act(() => realtime.emit('updated', 'io.cozy.exports', { _id: 'e1', state: 'error', error: 'disk full' }))
    expect(await screen.findByText(fr.stackErrors.exports.failed, undefined, SLOW)).toBeInTheDocument()
  })

  it('shows an export started elsewhere as soon as the page opens, and keeps the button off', async () => {
    renderPage('en', {
      ...stackRoutes(),
      'GET /jobs/queue/export': { body: { data: [exportJob('j0', { state: 'queued' })], meta: { count: 1 } } },
      'GET /jobs/j0': { body: { data: exportJob('j0', { state: 'queued' }) } }
    })
    await screen.findByText(en.export.progress.exportingTitle, undefined, SLOW)
    await screen.findByRole('checkbox', { name: en.export.what.everything }, SLOW)
    expect(screen.getByRole('button', { name: en.export.start })).toBeDisabled()
  })

  it('names the mail as the stack sends it, with its sender for the spam folder', async () => {
    renderPage('en')
    await screen.findByRole('checkbox', { name: en.export.what.everything }, SLOW)
    expect(screen.getByText('The download link will be emailed to alice@example.net, in an email titled "Download your data".')).toBeInTheDocument()
    expect(screen.getByText('It comes from noreply@alice.cozy.example. Nothing after a few minutes? Look in your junk mail (spam) folder.')).toBeInTheDocument()
  })

  it('says when another export was already running', async () => {
    renderPage('en', followedJob([{ state: 'errored', error: 'code=409, message=export: an archive is already being created' }]))
    await screen.findByRole('checkbox', { name: en.export.what.everything }, SLOW)
    fireEvent.click(screen.getByRole('button', { name: en.export.start }))
    expect(await screen.findByText(en.stackErrors.exports.alreadyRunning, undefined, SLOW)).toBeInTheDocument()
    expect(screen.getByText(en.export.progress.failedTitle)).toBeInTheDocument()
  })

  it('explains the 5-exports-per-day limit the stack answers as a 404', async () => {
    renderPage('fr', stackRoutes({ status: 404, detail: 'Not found' }))
    await screen.findByRole('checkbox', { name: fr.export.what.everything }, SLOW)
    fireEvent.click(screen.getByRole('button', { name: fr.export.start }))
    expect(await screen.findByText(fr.stackErrors.exports.rateLimited, undefined, SLOW)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: fr.export.start })).toBeEnabled()
  })

  it('says live progress is unavailable when the stack refuses to show the export queue', async () => {
    renderPage('en', { ...stackRoutes(), 'GET /jobs/queue/export': { status: 403, detail: 'Forbidden' } })
    await screen.findByRole('checkbox', { name: en.export.what.everything }, SLOW)
    fireEvent.click(screen.getByRole('button', { name: en.export.start }))
    await screen.findByText(en.export.progress.requestedTitle, undefined, SLOW)
    expect(await screen.findByText(en.export.progress.liveUnavailable, undefined, SLOW)).toBeInTheDocument()
  })

  it('says so when the export ended before the page could see its job', async () => {
    renderPage('fr')
    await screen.findByRole('checkbox', { name: fr.export.what.everything }, SLOW)
    fireEvent.click(screen.getByRole('button', { name: fr.export.start }))
    await screen.findByText(fr.export.progress.requestedTitle, undefined, SLOW)
    expect(await screen.findByText(fr.export.progress.liveUnavailable, undefined, SLOW)).toBeInTheDocument()
  })

  it('shows a translated error with a retry when the page data cannot be loaded', async () => {
    let fail = true
    const routes = {
      ...stackRoutes(),
      'GET /apps/': () => (fail ? { status: 503 } : jsonApiList([]))
    }
    renderPage('fr', routes)
    expect(await screen.findByText(fr.stackErrors.unavailable, undefined, SLOW)).toBeInTheDocument()
    fail = false
    fireEvent.click(screen.getByRole('button', { name: fr.stackErrors.retry }))
    await waitFor(() => expect(screen.getByRole('checkbox', { name: fr.export.apps.files })).toBeInTheDocument())
  })

  it('opens the download page from a pasted mail link, and refuses other text', async () => {
    renderPage('fr')
    const field = screen.getByLabelText(fr.export.paste.label)
    fireEvent.change(field, { target: { value: 'bonjour' } })
    fireEvent.click(screen.getByRole('button', { name: fr.export.paste.submit }))
    expect(screen.getByText(fr.export.paste.invalid)).toBeInTheDocument()
    fireEvent.change(field, { target: { value: 'https://alice-settings.example.net/#/exports/AAAAAGZ3dGVzdC1leHBvcnQ=' } })
    fireEvent.click(screen.getByRole('button', { name: fr.export.paste.submit }))
    expect(await screen.findByText('download page', undefined, SLOW)).toBeInTheDocument()
  })
})
