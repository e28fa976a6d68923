import { createServer, type Server } from 'http'
import type { AddressInfo } from 'net'
import type { WizardConfig } from './config'
import type { Resolve } from './cozy-address'
import type { SpentSessions } from './spent-sessions'
import { createWizardApp } from './app'

/** One line per request: method, path without its query (codes and states live there), status. */
export type WizardLogger = (line: string) => void

export interface WizardOptions {
  log?: WizardLogger
  /** Set the public address to http://<host>:<port>/ once listening (dev and tests, with port 0). */
  publicUrlFromPort?: boolean
  /** How Cozy host names are resolved (tests give their own; default: the system's). */
  resolve?: Resolve
  /** Where used-up sessions are remembered (default: from the configuration, see spent-sessions.ts). */
  spentSessions?: SpentSessions
}

/**
 * The wizard's HTTP server: the express application of app.ts, with header and request
 * timeouts so that a slow client cannot hold a connection.
 */
export function createWizardServer(config: WizardConfig, options: WizardOptions = {}): Server {
  const server = createServer(createWizardApp(config, options))
  server.requestTimeout = 30_000
  server.headersTimeout = 15_000
  return server
}

export interface RunningWizard {
  url: string
  server: Server
  close(): Promise<void>
}

/** Starts the wizard on host:port (port 0 picks a free one). */
export async function startWizard(config: WizardConfig, port: number, host = '127.0.0.1', options: WizardOptions = {}): Promise<RunningWizard> {
  const server = createWizardServer(config, options)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  if (options.publicUrlFromPort) config.publicUrl = new URL(`http://${host}:${address.port}/`)
  return {
    url: `http://${host}:${address.port}/`,
    server,
    // Stops accepting, lets requests under way finish (a Cozy call lasts at most the stack
    // timeout), then cuts what is left.
    close: () =>
      new Promise<void>(resolve => {
        const cut = setTimeout(() => server.closeAllConnections(), config.stackTimeoutMs + 1000)
        server.close(() => {
          clearTimeout(cut)
          resolve()
        })
        server.closeIdleConnections()
      })
  }
}
