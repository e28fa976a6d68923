import React from 'react'
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { AppLike } from '../../../test/AppLike'
import { mockStackClient, jsonApiDoc, jsonApiList, type RouteAnswer } from '../../stack-client/testing/mock-stack-client'
import { plainSpaces } from '../../stack-client/testing/plain-spaces'
import frJson from '../../../locales/fr.json'
import { KonnectorMissing } from './KonnectorMissing'

// cozy-ui renders slowly in jsdom on a busy machine: generous waits (never a timing assertion).
jest.setTimeout(30000)
const SLOW = { timeout: 10000 }
const fr = plainSpaces(frJson)

const STORE = 'https://alice-store.cozy.example'
const HREF = `${STORE}/intents?intent=i1`

const STORE_APP = { type: 'io.cozy.apps', id: 'io.cozy.apps/store', attributes: { slug: 'store', name: 'Store' }, links: { related: `${STORE}/` } }
const INTENT = jsonApiDoc('io.cozy.intents', 'i1', { action: 'INSTALL', type: 'io.cozy.apps', services: [{ slug: 'store', href: HREF }] })

/**
 * The installed webapps (GET /apps/, with the Store unless `apps` says otherwise) and the Store's
 * INSTALL service as POST /intents lists it (docs/intents.md "Create an intent").
 */
function renderMissing(onRetry = jest.fn(), routes: { apps?: RouteAnswer; intent?: RouteAnswer } = {}) {
  const stack = mockStackClient({ 'GET /apps/': routes.apps ?? jsonApiList([STORE_APP]), 'POST /intents': routes.intent ?? INTENT })
  render(
    <AppLike client={stack.client}>
      <KonnectorMissing onRetry={onRetry} />
    </AppLike>
  )
  return { ...stack, onRetry }
}

/** Opens the dialog and plays the Store's side: its frame, and messages from it. */
async function openStore() {
  await waitFor(() => expect(screen.getByRole('button', { name: fr.entImport.konnector.install })).not.toBeDisabled(), SLOW)
  fireEvent.click(screen.getByRole('button', { name: fr.entImport.konnector.install }))
  const frame = await waitFor(() => {
    const found = document.querySelector('iframe')
    if (!found) throw new Error('no iframe yet')
    return found
  }, SLOW)
  const service = frame.contentWindow as Window
  const posted = jest.spyOn(service, 'postMessage').mockImplementation(() => undefined)
  const send = (data: unknown, origin = STORE) => act(() => void window.dispatchEvent(new MessageEvent('message', { data, origin, source: service })))
  return { frame, posted, send }
}

describe('KonnectorMissing: the Store INSTALL intent through cozy-interapp', () => {
  it('says whom to ask on a Cozy without a Store, or whose apps cannot be listed, and posts no intent', async () => {
    const first = renderMissing(jest.fn(), { apps: jsonApiList([]) })
    expect(await screen.findByText(fr.entImport.konnector.noStore, undefined, SLOW)).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: fr.entImport.konnector.install })).toBeNull()
    cleanup()
    const second = renderMissing(jest.fn(), { apps: { status: 503 } })
    expect(await screen.findByText(fr.entImport.konnector.noStore, undefined, SLOW)).toBeInTheDocument()
    expect([...first.calls, ...second.calls].map(c => c.route)).not.toContain('POST /intents')
  })

  it('offers the Store\'s page when the stack has no service for the intent', async () => {
    const { calls } = renderMissing(jest.fn(), { intent: jsonApiDoc('io.cozy.intents', 'i1', { action: 'INSTALL', type: 'io.cozy.apps', services: [] }) })
    await waitFor(() => expect(screen.getByRole('button', { name: fr.entImport.konnector.install })).not.toBeDisabled(), SLOW)
    fireEvent.click(screen.getByRole('button', { name: fr.entImport.konnector.install }))
    expect(await screen.findByRole('link', { name: fr.entImport.konnector.openStore }, SLOW)).toHaveAttribute('href', `${STORE}/#/discover/ent-import`)
    expect(screen.getByText(fr.entImport.konnector.noService)).toBeInTheDocument()
    expect(document.querySelector('iframe')).toBeNull()
    expect(calls.filter(c => c.route === 'POST /intents')).toHaveLength(1)
  })

  it('creates the intent, frames the service href, answers its "ready" only, and retries once installed', async () => {
    const { calls, onRetry } = renderMissing()
    const { frame, posted, send } = await openStore()
    // One intent per install: cozy-interapp's, none before the click.
    expect(calls.filter(c => c.route === 'POST /intents')).toHaveLength(1)
    expect(calls.find(c => c.route === 'POST /intents')?.body).toEqual({
      data: { type: 'io.cozy.intents', attributes: { action: 'INSTALL', type: 'io.cozy.apps', data: { slug: 'ent-import' }, permissions: ['GET'] } }
    })
    expect(frame.src).toBe(HREF)
    expect(frame.title).toBe(frJson.entImport.konnector.frameTitle)
    send({ type: 'intent-i1:ready' }, 'https://evil.example')
    expect(posted).not.toHaveBeenCalled()
    send({ type: 'intent-i1:ready' })
    expect(posted).toHaveBeenCalledWith({ slug: 'ent-import' }, STORE)
    send({ type: 'intent-i1:done', document: { slug: 'ent-import', state: 'ready' } })
    await waitFor(() => expect(document.querySelector('iframe')).toBeNull(), SLOW)
    expect(onRetry).toHaveBeenCalledTimes(1)
  })

  it('closes on cancel without retrying, and shows the Store\'s error', async () => {
    const { onRetry } = renderMissing()
    const first = await openStore()
    first.send({ type: 'intent-i1:ready' })
    first.send({ type: 'intent-i1:cancel' })
    await waitFor(() => expect(document.querySelector('iframe')).toBeNull(), SLOW)
    expect(onRetry).not.toHaveBeenCalled()

    const second = await openStore()
    second.send({ type: 'intent-i1:ready' })
    second.send({ type: 'intent-i1:error', error: { name: 'Error', message: 'Application not found' } })
    expect(await screen.findByText(fr.entImport.konnector.installFailed.replace('%{message}', 'Application not found'), undefined, SLOW)).toBeInTheDocument()
    expect(onRetry).not.toHaveBeenCalled()
  })
})
