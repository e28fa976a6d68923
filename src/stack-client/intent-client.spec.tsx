import { intentIdOf, startIntentService } from './intent-client'

const HREF = 'https://alice-store.cozy.example/intents?intent=i1'
const ORIGIN = 'https://alice-store.cozy.example'

function open() {
  const container = document.createElement('div')
  document.body.appendChild(container)
  const session = startIntentService(container, HREF, { slug: 'ent-import' }, 'Store')
  const frame = container.querySelector('iframe') as HTMLIFrameElement
  const service = frame.contentWindow as Window
  const posted = jest.spyOn(service, 'postMessage').mockImplementation(() => undefined)
  const send = (data: unknown, origin = ORIGIN, source: Window = service) => window.dispatchEvent(new MessageEvent('message', { data, origin, source }))
  return { container, session, frame, posted, send }
}

describe('the client side of an intent (docs/intents.md handshake)', () => {
  it('reads the intent id of a service href', () => {
    expect(intentIdOf(HREF)).toBe('i1')
    expect(intentIdOf('https://alice-store.cozy.example/#/discover/ent-import')).toBeNull()
    expect(intentIdOf('not a url')).toBeNull()
  })

  it('answers "ready" with the data, only to the service frame, and resolves with the done document', async () => {
    const { container, session, posted, send } = open()
    send({ type: 'intent-i1:ready' }, 'https://evil.example')
    send({ type: 'intent-i1:ready' }, ORIGIN, window)
    expect(posted).not.toHaveBeenCalled()
    send({ type: 'intent-i1:ready' })
    expect(posted).toHaveBeenCalledWith({ slug: 'ent-import' }, ORIGIN)
    send({ type: 'intent-i1:resize', dimensions: {} })
    send({ type: 'intent-i1:done', document: { slug: 'ent-import' } })
    await expect(session.result).resolves.toEqual({ slug: 'ent-import' })
    expect(container.querySelector('iframe')).toBeNull()
  })

  it('resolves null on cancel, rejects on error and on a message before the handshake', async () => {
    const cancelled = open()
    cancelled.send({ type: 'intent-i1:ready' })
    cancelled.send({ type: 'intent-i1:cancel' })
    await expect(cancelled.session.result).resolves.toBeNull()

    const failed = open()
    failed.send({ type: 'intent-i1:error', error: { message: 'Application not found' } })
    await expect(failed.session.result).rejects.toThrow('Application not found')

    const early = open()
    early.send({ type: 'intent-i1:done', document: {} })
    await expect(early.session.result).rejects.toThrow('Unexpected handshake message from intent service')
  })
})
