import 'cozy-ui/dist/cozy-ui.utils.min.css'
import 'cozy-ui/transpiled/react/stylesheet.css'
import '../../app/contrast.css'
import React from 'react'
import { render } from 'react-dom'
import { App } from '../../app/App'
import { AppProviders } from '../../app/AppProviders'
import { createClientFromCozyData, readCozyData } from '../../app/cozy-data'

function start(): void {
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
