import React from 'react'
import { render, screen } from '@testing-library/react'
import { AppLike } from '../../../test/AppLike'
import { DeleteAccountPage, settingsDeletionLink } from './DeleteAccountPage'
import { jsonApiDoc, mockStackClient, type RouteAnswer } from '../../stack-client/testing/mock-stack-client'
import frJson from '../../../locales/fr.json'
import enJson from '../../../locales/en.json'
import { plainSpaces } from '../../stack-client/testing/plain-spaces'

// cozy-ui renders slowly in jsdom on a busy machine: generous waits (never a timing assertion).
jest.setTimeout(30000)
const SLOW = { timeout: 10000 }
const fr = plainSpaces(frJson)
const en = plainSpaces(enJson)

function renderPage(lang: 'fr' | 'en', settingsApp: RouteAnswer, instance: Record<string, unknown> = {}) {
  const stack = mockStackClient({
    'GET /apps/settings': settingsApp,
    'GET /settings/instance': jsonApiDoc('io.cozy.settings', 'io.cozy.settings.instance', instance)
  })
  render(
    <AppLike lang={lang} route="/delete-account" client={stack.client}>
      <DeleteAccountPage />
    </AppLike>
  )
  return stack
}

const settingsApp = jsonApiDoc(
  'io.cozy.apps',
  'io.cozy.apps/settings',
  { slug: 'settings', name: 'Paramètres' },
  { related: 'https://alice-settings.cozy.example/' }
)

describe('DeleteAccountPage', () => {
  it('advises to export first, then hands over to the Settings deletion', async () => {
    renderPage('fr', settingsApp)
    expect(screen.getByRole('link', { name: fr.deleteAccount.exportFirst.export })).toHaveAttribute('href', '/export')
    expect(screen.getByRole('link', { name: fr.deleteAccount.exportFirst.move })).toHaveAttribute('href', '/move')
    expect(screen.getByRole('status')).toHaveTextContent(fr.deleteAccount.loading)
    expect(await screen.findByRole('link', { name: fr.deleteAccount.settings.open }, SLOW)).toHaveAttribute(
      'href',
      'https://alice-settings.cozy.example/#/profile/delete'
    )
    // This app never calls the deletion route, which the stack keeps for Settings.
    expect(screen.queryByRole('button', { name: /supprimer/i })).not.toBeInTheDocument()
  })

  it('says so when Settings is not installed', async () => {
    renderPage('en', { status: 404, detail: 'Application not found' })
    expect(await screen.findByText(en.deleteAccount.settings.missing, undefined, SLOW)).toBeInTheDocument()
    expect(screen.queryByRole('link', { name: en.deleteAccount.settings.open })).not.toBeInTheDocument()
  })

  it('mentions a past move', async () => {
    renderPage('en', settingsApp, { moved_to: 'alice.newhost.example' })
    expect(await screen.findByText(en.deleteAccount.moved.replace('%{to}', 'alice.newhost.example'), undefined, SLOW)).toBeInTheDocument()
  })

  it('shows a translated error when the stack cannot be reached', async () => {
    renderPage('fr', { status: 500 })
    expect(await screen.findByRole('alert', undefined, SLOW)).toHaveTextContent(fr.stackErrors.server)
  })

  it('builds the Settings link from its URL, whatever its trailing slash or hash', () => {
    expect(settingsDeletionLink('https://settings.alice.example')).toBe('https://settings.alice.example/#/profile/delete')
    expect(settingsDeletionLink('https://alice-settings.example/#/profile')).toBe('https://alice-settings.example/#/profile/delete')
  })
})
