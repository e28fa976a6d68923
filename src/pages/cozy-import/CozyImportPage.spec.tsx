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

function renderPage(lang: 'fr' | 'en', precheck: RouteAnswer = { body: '' }, start: RouteAnswer = { body: '<html></html>' }) {
  const stack = mockStackClient({ 'POST /move/imports/precheck': precheck, 'POST /move/imports': start })
  const navigateTo = jest.fn()
  render(
    <AppLike lang={lang} route="/cozy-import" client={stack.client}>
      <CozyImportPage navigateTo={navigateTo} />
    </AppLike>
  )
  return { stack, navigateTo }
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
})
