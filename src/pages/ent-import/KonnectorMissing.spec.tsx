import React from 'react'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { AppLike } from '../../../test/AppLike'
import { mockStackClient, jsonApiDoc } from '../../stack-client/testing/mock-stack-client'
import { plainSpaces } from '../../stack-client/testing/plain-spaces'
import frJson from '../../../locales/fr.json'
import { KonnectorMissing, intentIdOf } from './KonnectorMissing'

// cozy-ui renders slowly in jsdom on a busy machine: generous waits (never a timing assertion).
jest.setTimeout(30000)
const SLOW = { timeout: 10000 }
const fr = plainSpaces(frJson)

const STORE = 'https://alice-store.cozy.example'
const HREF = `${STORE}/intents?intent=i1`

/** The Store's INSTALL service as POST /intents lists it (docs/intents.md "Create an intent"). */
function renderMissing(onRetry = jest.fn(), installUrl: string | null = HREF) {
  const stack = mockStackClient({ 'POST /intents': jsonApiDoc('io.cozy.intents', 'i1', { action: 'INSTALL', type: 'io.cozy.apps', services: [{ slug: 'store', href: HREF }] }) })
  render(
    <AppLike client={stack.client}>
      <KonnectorMissing installUrl={installUrl} onRetry={onRetry} />
    </AppLike>
  )
  return { ...stack, onRetry }
}

/** Opens the dialog and plays the Store's side: its frame, and messages from it. */
async function openStore() {
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
  it('reads the intent id of a service href, and links to the Store page otherwise', () => {
    expect(intentIdOf(HREF)).toBe('i1')
    expect(intentIdOf(`${STORE}/#/discover/ent-import`)).toBeNull()
    expect(intentIdOf('not a url')).toBeNull()
    renderMissing(jest.fn(), `${STORE}/#/discover/ent-import`)
    expect(screen.getByRole('link', { name: fr.entImport.konnector.install })).toHaveAttribute('href', `${STORE}/#/discover/ent-import`)
  })

  it('creates the intent, frames the service href, answers its "ready" only, and retries once installed', async () => {
    const { calls, onRetry } = renderMissing()
    const { frame, posted, send } = await openStore()
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
