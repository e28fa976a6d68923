/** The part of cozy-interapp 0.19 (dist/intents.js, dist/client.js) the app uses: the client side of an intent. */
declare module 'cozy-interapp' {
  import type CozyClient from 'cozy-client'

  /** Resolves with the service's document on done, null on cancel; rejects on error. */
  export interface StartedIntent extends Promise<unknown> {
    /** Removes the iframe and stops listening. */
    stop(): void
  }

  export interface CreatedIntent extends Promise<{ id: string; attributes: { services?: Array<{ slug: string; href: string }> } }> {
    /** Opens the first service in an iframe inside `element` and runs the handshake. */
    start(element: HTMLElement, options?: { onReady?: () => void; onReadyToUse?: () => void }): StartedIntent
  }

  export class Intents {
    constructor(options: { client: CozyClient })
    create(action: string, doctype: string, data?: Record<string, unknown>, permissions?: string[]): CreatedIntent
  }
  export default Intents
}
