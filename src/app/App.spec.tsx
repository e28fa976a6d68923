import React from 'react'
import { render, screen, within } from '@testing-library/react'
import { AppLike } from '../../test/AppLike'
import { AppRoutes } from './App'
import fr from '../../locales/fr.json'
import en from '../../locales/en.json'

describe('app shell', () => {
  it('shows the menu and the home page in French by default', () => {
    render(
      <AppLike>
        <AppRoutes />
      </AppLike>
    )
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(fr.home.title)
    const nav = screen.getByRole('navigation')
    for (const label of Object.values(fr.app.nav).filter(l => l !== fr.app.nav.label)) {
      expect(within(nav).getByText(label)).toBeInTheDocument()
    }
  })

  it.each([
    ['/export', en.pages.export],
    ['/move', en.pages.move],
    ['/ent-import', en.pages.entImport],
    ['/share-again', en.pages.shareAgain],
    ['/cozy-import', en.pages.cozyImport],
    ['/delete-account', en.pages.deleteAccount]
  ])('renders %s with its heading and explanation in English', (route, texts) => {
    render(
      <AppLike lang="en" route={route}>
        <AppRoutes />
      </AppLike>
    )
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(texts.title)
    expect(screen.getByText(texts.description)).toBeInTheDocument()
  })

  it('tells the user when a page does not exist', () => {
    render(
      <AppLike lang="en" route="/nowhere">
        <AppRoutes />
      </AppLike>
    )
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(en.app.notFound.title)
  })
})
