/**
 * The client side of an intent (docs/intents.md "Handshake", "Processing & Terminating"),
 * with the message types cozy-client-js's intents client uses, so any Cozy service answers:
 * the service page opens in an iframe, says `intent-<id>:ready`, gets the client's data,
 * and ends with `intent-<id>:done` (its document), `:cancel` or `:error`.
 */

export interface IntentSession {
  /** The service's document on done, null when the user cancelled. */
  result: Promise<unknown>
  /** Stops listening and removes the iframe (the dialog closed). */
  dispose(): void
}

/** The intent id the stack put in the service href (Intent.GenerateHref: `?intent=<id>`), or null. */
export function intentIdOf(href: string): string | null {
  try {
    return new URL(href).searchParams.get('intent')
  } catch {
    return null
  }
}

function errorOf(value: unknown): Error {
  const message = typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string' ? (value as { message: string }).message : 'intent error'
  return new Error(message)
}

/**
 * Opens the service `href` in an iframe inside `container` and runs the handshake. Messages
 * are taken only from that iframe and the service's origin; before the handshake, anything
 * but `ready` ends the intent as an error, as cozy-client-js does.
 */
export function startIntentService(container: HTMLElement, href: string, data: Record<string, unknown>, title: string): IntentSession {
  const id = intentIdOf(href)
  const doc = container.ownerDocument
  const win = doc.defaultView
  if (!id || !win) return { result: Promise.reject(new Error('not an intent service href')), dispose: () => undefined }
  const origin = new URL(href).origin
  const iframe = doc.createElement('iframe')
  iframe.src = href
  iframe.title = title
  iframe.style.border = '0'
  iframe.style.width = '100%'
  iframe.style.height = '100%'
  let listener: ((event: MessageEvent) => void) | null = null
  const dispose = () => {
    if (listener) win.removeEventListener('message', listener)
    listener = null
    iframe.remove()
  }
  const result = new Promise<unknown>((resolve, reject) => {
    let handshaken = false
    listener = (event: MessageEvent) => {
      if (event.origin !== origin || event.source !== iframe.contentWindow) return
      const type = typeof event.data === 'object' && event.data !== null ? (event.data as { type?: unknown }).type : undefined
      if (type === 'load') return
      if (type === `intent-${id}:ready`) {
        handshaken = true
        iframe.contentWindow?.postMessage(data, origin)
        return
      }
      if (handshaken && type === `intent-${id}:resize`) return
      const message = event.data as { document?: unknown; error?: unknown }
      if (type === `intent-${id}:error`) reject(errorOf(message.error))
      else if (handshaken && type === `intent-${id}:cancel`) resolve(null)
      else if (handshaken && (type === `intent-${id}:done` || type === `intent-${id}:exposeFrameRemoval`)) resolve(message.document ?? {})
      else if (!handshaken) reject(new Error('Unexpected handshake message from intent service'))
      else return
      dispose()
    }
    win.addEventListener('message', listener)
  })
  container.appendChild(iframe)
  return { result, dispose }
}
