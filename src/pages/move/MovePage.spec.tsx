import React from 'react'
import { fireEvent, render, screen } from '@testing-library/react'
import { AppLike } from '../../../test/AppLike'
import { MovePage } from './MovePage'
import { MOCK_STACK_URI, jsonApiDoc, mockStackClient, type RouteAnswer } from '../../stack-client/testing/mock-stack-client'
import frJson from '../../../locales/fr.json'
import enJson from '../../../locales/en.json'
import { plainSpaces } from '../../stack-client/testing/plain-spaces'

// cozy-ui renders slowly in jsdom on a busy machine: generous waits (never a timing assertion).
jest.setTimeout(30000)
const SLOW = { timeout: 10000 }
const fr = plainSpaces(frJson)
const en = plainSpaces(enJson)

function renderPage(lang: 'fr' | 'en', instance: RouteAnswer | (() => RouteAnswer)) {
  const stack = mockStackClient({ 'GET /settings/instance': instance })
  render(
    <AppLike lang={lang} route="/move" client={stack.client}>
      <MovePage />
    </AppLike>
  )
  return stack
}

const instance = (attributes: Record<string, unknown>) =>
  jsonApiDoc('io.cozy.settings', 'io.cozy.settings.instance', { email: 'alice@example.net', ...attributes })

describe('MovePage', () => {
  it('explains what moves and posts a form to /move/initialize in a new tab', async () => {
    renderPage('fr', instance({}))
    expect(screen.getByRole('status')).toHaveTextContent(fr.move.loading)
    const submit = await screen.findByRole('button', { name: fr.move.submit }, SLOW)
    const form = submit.closest('form') as HTMLFormElement
    expect(form.getAttribute('method')).toBe('post')
    expect(form.getAttribute('action')).toBe(`${MOCK_STACK_URI}/move/initialize`)
    expect(form.getAttribute('target')).toBe('_blank')
    expect(submit).toHaveAttribute('type', 'submit')
    for (const text of Object.values(fr.move.moves).filter(text => text !== fr.move.moves.title)) {
      expect(screen.getByText(text)).toBeInTheDocument()
    }
    expect(screen.getByText(fr.move.stays.vault)).toBeInTheDocument()
    expect(screen.getByText(fr.move.steps.mail)).toBeInTheDocument()
    expect(screen.queryByText(fr.move.state.movedToTitle)).not.toBeInTheDocument()
  })

  it('shows that this Cozy has moved, with a link to the new address', async () => {
    renderPage('en', instance({ moved_to: 'https://alice.newhost.example' }))
    expect(await screen.findByText(en.move.state.movedToTitle, undefined, SLOW)).toBeInTheDocument()
    expect(screen.getByRole('link', { name: 'https://alice.newhost.example' })).toHaveAttribute('href', 'https://alice.newhost.example')
    expect(screen.getByRole('link', { name: en.move.state.openNew })).toHaveAttribute('href', 'https://alice.newhost.example')
    expect(screen.getByRole('button', { name: en.move.submitAgain })).toBeInTheDocument()
  })

  it('offers « Accéder à votre nouvel espace » once moved, even to an address stored without scheme', async () => {
    renderPage('fr', instance({ moved_to: 'alice.newhost.example' }))
    const open = await screen.findByRole('link', { name: fr.move.state.openNew }, SLOW)
    expect(open).toHaveAttribute('href', 'https://alice.newhost.example')
    expect(fr.move.state.openNew).toBe('Accéder à votre nouvel espace')
  })

  it('shows where the data of this Cozy came from after a move', async () => {
    renderPage('fr', instance({ moved_from: 'old.example.net' }))
    expect(await screen.findByText(fr.move.state.movedFrom.replace('%{from}', 'old.example.net'), undefined, SLOW)).toBeInTheDocument()
  })

  it('keeps the explanation and the form when the state cannot be read, and retries', async () => {
    let fail = true
    const stack = renderPage('en', () => (fail ? { status: 403 } : instance({})))
    expect(await screen.findByRole('alert', undefined, SLOW)).toHaveTextContent(en.stackErrors.forbidden)
    expect(screen.getByRole('button', { name: en.move.submit })).toBeInTheDocument()
    fail = false
    fireEvent.click(screen.getByRole('button', { name: en.stackErrors.retry }))
    await screen.findByRole('button', { name: en.move.submit }, SLOW)
    expect(stack.calls).toHaveLength(2)
  })
})
