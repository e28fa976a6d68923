import React from 'react'
import { CozyProvider } from 'cozy-client'
import type CozyClient from 'cozy-client'
import { I18n } from 'twake-i18n'
import CozyTheme from 'cozy-ui/transpiled/react/providers/CozyTheme'
import { BreakpointsProvider } from 'cozy-ui/transpiled/react/providers/Breakpoints'
import type { Locale } from './cozy-data'
import { dictRequire } from './locales'

interface Props {
  client: CozyClient
  lang: Locale
  children: React.ReactNode
}

/** Everything a page needs around it: the stack client, translations, theme and breakpoints. */
export function AppProviders({ client, lang, children }: Props): JSX.Element {
  return (
    <CozyProvider client={client}>
      <I18n lang={lang} dictRequire={dictRequire}>
        <CozyTheme className="u-w-100">
          <BreakpointsProvider>{children}</BreakpointsProvider>
        </CozyTheme>
      </I18n>
    </CozyProvider>
  )
}
