import React from 'react'
import { fireEvent, render, screen } from '@testing-library/react'
import { Route, Routes } from 'react-router-dom'
import { AppLike } from '../../../test/AppLike'
import { ExportDownloadPage } from './ExportDownloadPage'
import { MOCK_STACK_URI, jsonApiDoc, mockStackClient, type RouteAnswer } from '../../stack-client/testing/mock-stack-client'
import frJson from '../../../locales/fr.json'
import enJson from '../../../locales/en.json'
import { plainSpaces } from '../../stack-client/testing/plain-spaces'

// cozy-ui renders slowly in jsdom on a busy machine: generous waits (never a timing assertion).
jest.setTimeout(30000)
const SLOW = { timeout: 10000 }
const fr = plainSpaces(frJson)
const en = plainSpaces(enJson)

const MAC = 'AAAAAGZ3dGVzdC1leHBvcnQtbWFjLXZhbHVlX19fX19fXw=='

function exportDoc(attributes: Record<string, unknown>): RouteAnswer {
  return jsonApiDoc('io.cozy.exports', 'exp1', {
    domain: 'alice.cozy.example',
    parts_size: 2 * 1024 ** 3,
    with_doctypes: [],
    created_at: '2026-11-20T10:00:00Z',
    expires_at: '2026-11-27T10:00:00Z',
    ...attributes
  })
}

function renderPage(lang: 'fr' | 'en', answer: RouteAnswer | (() => RouteAnswer)) {
  const stack = mockStackClient({ [`GET /move/exports/${MAC}`]: answer })
  render(
    <AppLike lang={lang} route={`/exports/${MAC}`} client={stack.client}>
      <Routes>
        <Route path="/exports/:mac" element={<ExportDownloadPage />} />
      </Routes>
    </AppLike>
  )
  return stack
}

describe('ExportDownloadPage', () => {
  it('lists every part as a top-level link "Télécharger (partie N)" with size and expiry', async () => {
    renderPage('fr', exportDoc({ state: 'done', parts_cursors: ['io.cozy.files/0f3c', 'io.cozy.files/7a21'] }))
    expect(screen.getByRole('status')).toHaveTextContent(fr.export.download.loading)
    const links = await screen.findAllByRole('link', { name: /Télécharger \(partie \d\)/ }, SLOW)
    expect(links.map(link => [link.textContent, link.getAttribute('href'), link.getAttribute('target')])).toEqual([
      ['Télécharger (partie 0)', `${MOCK_STACK_URI}/move/exports/data/${MAC}`, null],
      ['Télécharger (partie 1)', `${MOCK_STACK_URI}/move/exports/data/${MAC}?cursor=io.cozy.files%2F0f3c`, null],
      ['Télécharger (partie 2)', `${MOCK_STACK_URI}/move/exports/data/${MAC}?cursor=io.cozy.files%2F7a21`, null]
    ])
    expect(screen.getByRole('heading', { level: 2, name: '3 parties à télécharger' })).toBeInTheDocument()
    expect(screen.getByText(/Disponible jusqu’au 27 novembre 2026/)).toBeInTheDocument()
    expect(screen.getByText(/environ 2\sGo au plus/)).toBeInTheDocument()
    // Each part says its size next to its link, and the link is described by it.
    const sizes = screen.getAllByTestId('part-size')
    expect(sizes.map(size => size.textContent?.replace(/\s/g, ' '))).toEqual(['jusqu’à environ 2 Go', 'jusqu’à environ 2 Go', 'jusqu’à environ 2 Go'])
    expect(links.map(link => document.getElementById(link.getAttribute('aria-describedby') ?? '')?.textContent)).toEqual(sizes.map(size => size.textContent))
    expect(screen.getByText(fr.export.download.advice.sevenZip)).toBeInTheDocument()
    expect(screen.getByText(fr.export.download.advice.spread)).toBeInTheDocument()
  })

  it('names a single part "Download"', async () => {
    renderPage('en', exportDoc({ state: 'done', parts_cursors: [] }))
    const link = await screen.findByRole('link', { name: en.export.download.cta }, SLOW)
    expect(link).toHaveAttribute('href', `${MOCK_STACK_URI}/move/exports/data/${MAC}`)
    expect(screen.getByRole('heading', { level: 2, name: '1 part to download' })).toBeInTheDocument()
  })

  it.each([
    [{ status: 404, detail: 'exports: has expired' }, fr.stackErrors.exports.expired],
    [{ status: 404, detail: 'exports: not found' }, fr.stackErrors.exports.notFound],
    [{ status: 401, detail: 'exports: invalid mac' }, fr.stackErrors.exports.invalidLink]
  ])('explains a refused link (%o)', async (answer, message) => {
    renderPage('fr', answer)
    expect(await screen.findByRole('alert', undefined, SLOW)).toHaveTextContent(message)
    expect(screen.queryByRole('link', { name: /Télécharger/ })).not.toBeInTheDocument()
    expect(screen.getByRole('link', { name: fr.export.download.newExport })).toHaveAttribute('href', '/export')
  })

  it('says an export still being prepared is not ready, and refreshes', async () => {
    let state = 'exporting'
    const stack = renderPage('en', () => exportDoc({ state, parts_cursors: [] }))
    expect(await screen.findByText(en.export.download.exportingTitle, undefined, SLOW)).toBeInTheDocument()
    state = 'done'
    fireEvent.click(screen.getByRole('button', { name: en.export.download.refresh }))
    expect(await screen.findByRole('link', { name: en.export.download.cta }, SLOW)).toBeInTheDocument()
    expect(stack.calls).toHaveLength(2)
  })

  it('says a failed export failed', async () => {
    renderPage('en', exportDoc({ state: 'error', error: 'boom', parts_cursors: [] }))
    expect(await screen.findByRole('alert', undefined, SLOW)).toHaveTextContent(en.stackErrors.exports.failed)
  })
})
