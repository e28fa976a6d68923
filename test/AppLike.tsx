import React from 'react'
import { MemoryRouter } from 'react-router-dom'
import { createMockClient } from 'cozy-client'
import type CozyClient from 'cozy-client'
import { AppProviders } from '../src/app/AppProviders'
import { routerFuture } from '../src/app/App'
import type { Locale } from '../src/app/cozy-data'
import { fakeRealtime } from '../src/stack-client/testing/mock-stack-client'

interface Props {
  children: React.ReactNode
  lang?: Locale
  route?: string
  client?: CozyClient
}

/** A mock client with a realtime plugin, as the app registers one (RealTimeQueries needs it). */
function defaultClient(): CozyClient {
  const client = createMockClient({ queries: {}, remote: {}, clientOptions: {}, clientFunctions: {} })
  ;(client as unknown as { plugins: Record<string, unknown> }).plugins.realtime = fakeRealtime()
  return client
}

/** Wraps a component as the app does (client, i18n, theme, router) for component tests. */
export function AppLike({ children, lang = 'fr', route = '/', client }: Props): JSX.Element {
  const cozyClient = client ?? defaultClient()
  return (
    <AppProviders client={cozyClient} lang={lang}>
      <MemoryRouter initialEntries={[route]} future={routerFuture}>{children}</MemoryRouter>
    </AppProviders>
  )
}
