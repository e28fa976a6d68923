import React from 'react'
import { render, screen, within } from '@testing-library/react'
import { AppLike } from '../../test/AppLike'
import { AppRoutes } from './App'
import { PageLoadBoundary } from './PageLoading'
import fr from '../../locales/fr.json'
import en from '../../locales/en.json'

describe('app shell', () => {
  afterEach(() => jest.restoreAllMocks())

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
  ])('loads %s on demand, then renders its heading and explanation in English', async (route, texts) => {
    render(
      <AppLike lang="en" route={route}>
        <AppRoutes />
      </AppLike>
    )
    // Each page is shown once in this file, so its chunk is still to load: the menu stays and
    // the page's place says so while it loads.
    expect(screen.getByRole('status')).toHaveTextContent(en.app.pageLoading)
    expect(screen.getByRole('navigation')).toBeInTheDocument()
    expect(await screen.findByRole('heading', { level: 1 })).toHaveTextContent(texts.title)
    expect(screen.getByText(texts.description)).toBeInTheDocument()
    // The page's modules are first required (and transformed by ts-jest) here, not when the file
    // loads: on a loaded machine that takes longer than jest's 5 s default.
  }, 60_000)

  it('tells the user when a page does not exist', () => {
    render(
      <AppLike lang="en" route="/nowhere">
        <AppRoutes />
      </AppLike>
    )
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(en.app.notFound.title)
  })

  it('keeps the menu and offers to reload when a page cannot be fetched', () => {
    function UnreachablePage(): JSX.Element {
      // What webpack throws when a chunk's script fails to load.
      throw Object.assign(new Error('Loading chunk page-export failed.'), { name: 'ChunkLoadError' })
    }
    jest.spyOn(console, 'error').mockImplementation(() => undefined)
    render(
      <AppLike lang="en">
        <nav aria-label="menu" />
        <PageLoadBoundary>
          <UnreachablePage />
        </PageLoadBoundary>
      </AppLike>
    )
    expect(screen.getByRole('alert')).toHaveTextContent(en.app.pageLoadFailed.message)
    expect(screen.getByRole('button', { name: en.app.pageLoadFailed.reload })).toBeInTheDocument()
    expect(screen.getByRole('navigation', { name: 'menu' })).toBeInTheDocument()
  })

  it('lets any other error of a page go on up', () => {
    function BrokenPage(): JSX.Element {
      throw new Error('a bug in the page')
    }
    jest.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(() =>
      render(
        <AppLike lang="en">
          <PageLoadBoundary>
            <BrokenPage />
          </PageLoadBoundary>
        </AppLike>
      )
    ).toThrow('a bug in the page')
  })
})
