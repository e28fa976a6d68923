import CozyClient from 'cozy-client'
import { RealtimePlugin } from 'cozy-realtime'
import WebSocket from 'ws'
import { startStack, type RunningStack, type StackInstance } from '../../../dev-stack'
import { IMPORTS_DOCTYPE } from '../../../src/import/records'
import { appClient, installMesDonnees } from './stack-helpers'

interface RealtimeLike {
  subscribe(event: string, doctype: string, handler: (doc: { _id: string; state?: string }) => void): Promise<void>
  unsubscribeAll(): void
  stop(): void
}

/**
 * The pages follow import records through cozy-realtime's plugin (RealTimeQueries): the
 * stand-in must speak its protocol, AUTH with the app token then SUBSCRIBE on the doctype.
 */
describe('cozy-realtime against the stand-in', () => {
  let stack: RunningStack
  let alice: StackInstance
  let client: CozyClient

  beforeAll(async () => {
    stack = await startStack({})
    alice = stack.instances[0]
    await installMesDonnees(alice)
    client = appClient(alice)
    // Node 20 has no global WebSocket (cozy-realtime reads WebSocket.OPEN from it): the
    // `ws` package speaks the same protocol.
    ;(globalThis as Record<string, unknown>).WebSocket = WebSocket
    client.registerPlugin(RealtimePlugin, {})
  })
  afterAll(async () => {
    ;((client.plugins as Record<string, unknown>).realtime as RealtimeLike | undefined)?.stop()
    // Closing the socket is asynchronous; stopping the stand-in first would start a reconnection.
    await new Promise(r => setTimeout(r, 200))
    await stack?.stop()
    delete (globalThis as Record<string, unknown>).WebSocket
  })

  it('tells of a created and an updated import record', async () => {
    const realtime = (client.plugins as Record<string, unknown>).realtime as RealtimeLike
    const seen: string[] = []
    const updated = new Promise<void>(resolve => {
      void realtime.subscribe('created', IMPORTS_DOCTYPE, doc => seen.push(`created ${doc.state}`))
      void realtime.subscribe('updated', IMPORTS_DOCTYPE, doc => {
        seen.push(`updated ${doc.state}`)
        resolve()
      })
    })
    // The socket opens and subscribes asynchronously; writing until the first event arrives
    // keeps the test from depending on how long that takes.
    const { data } = await client.save({ _type: IMPORTS_DOCTYPE, state: 'running' })
    let rev = data
    for (let i = 0; i < 50 && !seen.some(s => s.startsWith('updated')); i++) {
      rev = (await client.save({ ...rev, _type: IMPORTS_DOCTYPE, state: 'done' })).data
      await new Promise(r => setTimeout(r, 100))
    }
    await updated
    expect(seen).toContain('updated done')
  })
})
