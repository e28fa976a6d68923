import React from 'react'
import { PageIntro } from '../../components/PageIntro'

export function ShareAgainPage(): JSX.Element {
  return <PageIntro i18nKey="pages.shareAgain" />
}
