import React, { Suspense } from 'react'
import { HashRouter, NavLink as RouterNavLink, Route, Routes, useLocation } from 'react-router-dom'
import { Layout, Main, Content } from 'cozy-ui/transpiled/react/Layout'
import Sidebar from 'cozy-ui/transpiled/react/Sidebar'
import Nav, { NavItem, NavIcon, NavText, genNavLinkForV6 } from 'cozy-ui/transpiled/react/Nav'
import HomeIcon from 'cozy-ui/transpiled/react/Icons/Home'
import useBreakpoints from 'cozy-ui/transpiled/react/providers/Breakpoints'
import { useI18n } from 'twake-i18n'
import { appRoutes, ExportDownloadPage } from './routes'
import { PageLoadBoundary, PageLoading } from './PageLoading'
import { HomePage } from '../pages/home/HomePage'
import { NotFoundPage } from '../pages/home/NotFoundPage'

const NavLink = genNavLinkForV6(RouterNavLink)

/** Opt in to react-router v7 behaviour now, so the upgrade changes nothing. */
export const routerFuture = { v7_startTransition: true, v7_relativeSplatPath: true }

function AppNav(): JSX.Element {
  const { t } = useI18n()
  const { isMobile } = useBreakpoints()
  // A phone's bottom bar holds four short entries; the home page lists every section.
  const pages = isMobile ? appRoutes.filter(route => route.inPhoneBar) : appRoutes
  const items = [{ path: '/', navKey: 'home', icon: HomeIcon }, ...pages]
  return (
    <Sidebar aria-label={t('app.nav.label')}>
      <Nav>
        {items.map(item => (
          <NavItem key={item.path}>
            <NavLink to={item.path} end={item.path === '/'}>
              <NavIcon icon={item.icon} />
              <NavText>{t(`app.${isMobile ? 'navShort' : 'nav'}.${item.navKey}`)}</NavText>
            </NavLink>
          </NavItem>
        ))}
      </Nav>
    </Sidebar>
  )
}

/** The app shell: the menu (a sidebar on desktop, a bottom bar on phones) and the pages. */
export function AppRoutes(): JSX.Element {
  // A page whose chunk failed to load leaves the others usable: the boundary starts afresh in each
  // section, and stays the same across a section's own routes (/ent-import/...) so they keep their state.
  const section = useLocation().pathname.split('/')[1]
  return (
    <Layout>
      <AppNav />
      <Main>
        <Content className="u-p-1-half">
          <PageLoadBoundary key={section}>
            <Suspense fallback={<PageLoading />}>
              <PageRoutes />
            </Suspense>
          </PageLoadBoundary>
        </Content>
      </Main>
    </Layout>
  )
}

function PageRoutes(): JSX.Element {
  return (
    <Routes>
      <Route path="/" element={<HomePage />} />
      {appRoutes.map(({ path, Page }) => (
        <Route key={path} path={`${path}/*`} element={<Page />} />
      ))}
      {/* The download page of one export, from the link of the export mail. */}
      <Route path="/exports/:mac" element={<ExportDownloadPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  )
}

export function App(): JSX.Element {
  return (
    <HashRouter future={routerFuture}>
      <AppRoutes />
    </HashRouter>
  )
}
