import React from 'react'
import { fireEvent, render, screen } from '@testing-library/react'
import { AppLike } from '../../../test/AppLike'
import { CozyImportPage } from './CozyImportPage'
import { mockStackClient, MOCK_STACK_URI, type RouteAnswer } from '../../stack-client/testing/mock-stack-client'
import frJson from '../../../locales/fr.json'
import enJson from '../../../locales/en.json'
import { plainSpaces } from '../../stack-client/testing/plain-spaces'

// cozy-ui renders slowly in jsdom on a busy machine: generous waits (never a timing assertion).
jest.setTimeout(30000)
const SLOW = { timeout: 10000 }
const fr = plainSpaces(frJson)
const en = plainSpaces(enJson)

const LINK = 'https://bob-settings.other.example/#/exports/AAAAAGZ3dGVzdC1leHBvcnQtbWFjLXZhbHVl'

/** What bob's `GET /move/exports/<mac>` answers (docs/move.md, model/move/doc.go ExportDoc). */
const BOB_EXPORT = {
  data: {
    type: 'io.cozy.exports',
    id: 'bob-export',
    attributes: {
      domain: 'bob.other.example',
      state: 'done',
      parts_size: 2 * 1024 ** 3,
      parts_cursors: ['io.cozy.files/a', 'io.cozy.files/b'],
      created_at: '2026-12-01T09:30:00Z',
      expires_at: '2026-12-08T09:30:00Z',
      total_size: 5230
    }
  }
}

function renderPage(
  lang: 'fr' | 'en',
  precheck: RouteAnswer = { body: '' },
  start: RouteAnswer = { body: '<html></html>' },
  readJson: (url: string) => Promise<unknown> = () => Promise.reject(new TypeError('Failed to fetch'))
) {
  const stack = mockStackClient({ 'POST /move/imports/precheck': precheck, 'POST /move/imports': start })
  const navigateTo = jest.fn()
  const read = jest.fn(readJson)
  render(
    <AppLike lang={lang} route="/cozy-import" client={stack.client}>
      <CozyImportPage navigateTo={navigateTo} readJson={read} />
    </AppLike>
  )
  return { stack, navigateTo, read }
}

function pasteAndCheck(dict: typeof fr, link = LINK) {
  fireEvent.change(screen.getByLabelText(dict.cozyImport.link.label), { target: { value: link } })
  fireEvent.click(screen.getByRole('button', { name: dict.cozyImport.link.check }))
}

describe('CozyImportPage', () => {
  it('prechecks, warns, asks for the typed word, then hands over to the importing page', async () => {
    const { stack, navigateTo } = renderPage('fr')
    pasteAndCheck(fr)
    expect(await screen.findByText(fr.cozyImport.warning.title, undefined, SLOW)).toBeInTheDocument()
    expect(screen.getByText(/supprimer tout le contenu de ce Cozy \(alice\.cozy\.example\)/)).toBeInTheDocument()
    const erase = screen.getByRole('button', { name: fr.cozyImport.confirm.submit })
    expect(erase).toBeDisabled()
    const confirmation = screen.getByLabelText('Pour confirmer, tapez REMPLACER')
    fireEvent.change(confirmation, { target: { value: 'REMPLACE' } })
    expect(erase).toBeDisabled()
    fireEvent.change(confirmation, { target: { value: ' remplacer ' } })
    expect(erase).toBeEnabled()
    fireEvent.click(erase)
    expect(await screen.findByText(fr.cozyImport.started, undefined, SLOW)).toBeInTheDocument()
    expect(navigateTo).toHaveBeenCalledWith(`${MOCK_STACK_URI}/move/importing`)
    expect(stack.calls.map(c => [c.route, c.body])).toEqual([
      ['POST /move/imports/precheck', { data: { type: 'io.cozy.imports', attributes: { url: LINK } } }],
      ['POST /move/imports', { data: { type: 'io.cozy.imports', attributes: { url: LINK } } }]
    ])
  })

  it.each([
    [{ status: 412, detail: 'url' }, en.stackErrors.imports.invalidLink],
    [{ status: 413, detail: 'quota' }, en.stackErrors.imports.notEnoughSpace]
  ])('explains a refused precheck (%o) and never shows the erase button', async (answer, message) => {
    const { stack } = renderPage('en', answer)
    pasteAndCheck(en)
    expect(await screen.findByRole('alert', undefined, SLOW)).toHaveTextContent(message)
    expect(screen.queryByRole('button', { name: en.cozyImport.confirm.submit })).not.toBeInTheDocument()
    expect(stack.calls.map(c => c.route)).toEqual(['POST /move/imports/precheck'])
  })

  it('refuses a text that is not an export link without asking the stack', async () => {
    const { stack } = renderPage('en')
    pasteAndCheck(en, 'https://example.net/not-an-export')
    expect(await screen.findByRole('alert', undefined, SLOW)).toHaveTextContent(en.stackErrors.imports.invalidLink)
    expect(stack.calls).toEqual([])
  })

  it('goes back to the link step when the link is edited after the check', async () => {
    renderPage('en')
    pasteAndCheck(en)
    await screen.findByText(en.cozyImport.warning.title, undefined, SLOW)
    fireEvent.change(screen.getByLabelText(en.cozyImport.link.label), { target: { value: `${LINK}x` } })
    expect(screen.queryByText(en.cozyImport.warning.title)).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: en.cozyImport.link.check })).toBeEnabled()
  })

  it('stays on the confirmation with the error when the import cannot start', async () => {
    const { navigateTo } = renderPage('en', { body: '' }, { status: 500, detail: 'boom' })
    pasteAndCheck(en)
    fireEvent.change(await screen.findByLabelText('To confirm, type REPLACE', undefined, SLOW), { target: { value: 'REPLACE' } })
    fireEvent.click(screen.getByRole('button', { name: en.cozyImport.confirm.submit }))
    expect(await screen.findByRole('alert', undefined, SLOW)).toHaveTextContent(en.stackErrors.server)
    expect(navigateTo).not.toHaveBeenCalled()
  })

  it('names the export that will replace the data before the typed word: its Cozy, date and size', async () => {
    const { read } = renderPage('fr', { body: '' }, { body: '' }, async () => BOB_EXPORT)
    pasteAndCheck(fr)
    const summary = await screen.findByTestId('import-export-summary', undefined, SLOW)
    await screen.findByText('bob.other.example', undefined, SLOW)
    expect(read).toHaveBeenCalledWith('https://bob.other.example/move/exports/AAAAAGZ3dGVzdC1leHBvcnQtbWFjLXZhbHVl')
    expect(summary).toHaveTextContent(fr.cozyImport.export.title)
    expect(summary).toHaveTextContent(/Créé le ?1er décembre 2026 à \d\d:30/)
    expect(summary).toHaveTextContent('3 parties d’environ 2 Go au plus chacune')
    expect(summary).toHaveTextContent(/Disponible jusqu’au ?8 décembre 2026/)
    // It comes before the erase button and the word to type.
    const erase = screen.getByRole('button', { name: fr.cozyImport.confirm.submit })
    expect(summary.compareDocumentPosition(erase) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
  })

  it('still names the source Cozy when its export cannot be read from here, and says so', async () => {
    renderPage('en')
    pasteAndCheck(en)
    const summary = await screen.findByTestId('import-export-summary', undefined, SLOW)
    expect(summary).toHaveTextContent('bob.other.example')
    expect(summary).toHaveTextContent(en.cozyImport.export.unreadable)
  })

  it.each([
    ['exports: has expired', en.stackErrors.exports.expired],
    ['exports: not found', en.stackErrors.imports.invalidLink],
    ['import: not enough disk space', en.stackErrors.imports.notEnoughSpace]
  ])('shows the stack\'s reason, translated, when the import cannot start (%s)', async (reason, message) => {
    const page = `<!DOCTYPE html><html><body><h1>Error</h1><p>${reason}</p></body></html>`
    const { navigateTo } = renderPage('en', { body: '' }, { status: 500, detail: page })
    pasteAndCheck(en)
    fireEvent.change(await screen.findByLabelText('To confirm, type REPLACE', undefined, SLOW), { target: { value: 'REPLACE' } })
    fireEvent.click(screen.getByRole('button', { name: en.cozyImport.confirm.submit }))
    expect(await screen.findByRole('alert', undefined, SLOW)).toHaveTextContent(message)
    expect(navigateTo).not.toHaveBeenCalled()
  })
})
