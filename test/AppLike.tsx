import React from 'react'
import { MemoryRouter } from 'react-router-dom'
import { createMockClient } from 'cozy-client'
import type CozyClient from 'cozy-client'
import { AppProviders } from '../src/app/AppProviders'
import { routerFuture } from '../src/app/App'
import type { Locale } from '../src/app/cozy-data'

interface Props {
  children: React.ReactNode
  lang?: Locale
  route?: string
  client?: CozyClient
}

/** Wraps a component as the app does (client, i18n, theme, router) for component tests. */
export function AppLike({ children, lang = 'fr', route = '/', client }: Props): JSX.Element {
  const cozyClient = client ?? createMockClient({ queries: {}, remote: {}, clientOptions: {}, clientFunctions: {} })
  return (
    <AppProviders client={cozyClient} lang={lang}>
      <MemoryRouter initialEntries={[route]} future={routerFuture}>{children}</MemoryRouter>
    </AppProviders>
  )
}
