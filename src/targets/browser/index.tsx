import 'cozy-ui/dist/cozy-ui.utils.min.css'
import 'cozy-ui/transpiled/react/stylesheet.css'
import '../../app/contrast.css'
import React from 'react'
import { render } from 'react-dom'
import { App } from '../../app/App'
import { AppProviders } from '../../app/AppProviders'
import { createClientFromCozyData, readCozyData } from '../../app/cozy-data'

/**
 * cozy-client's useQuery starts its fetch without catching it (hooks/useQuery.js): a failed
 * read is already in the query's state, which the page shows with a retry, so its rejection
 * is not an uncaught error.
 */
function ignoreFailedQueries(): void {
  window.addEventListener('unhandledrejection', event => {
    const reason = event.reason as { name?: unknown } | null
    if (reason && reason.name === 'FetchError') event.preventDefault()
  })
}

function start(): void {
  ignoreFailedQueries()
  const root = document.querySelector<HTMLElement>('[role=application]')
  if (!root) throw new Error('The page has no [role=application] element.')
  const data = readCozyData(root)
  document.documentElement.lang = data.locale
  const client = createClientFromCozyData(data, window.location.protocol)
  render(
    <AppProviders client={client} lang={data.locale as 'fr' | 'en'}>
      <App />
    </AppProviders>,
    root
  )
}

start()
