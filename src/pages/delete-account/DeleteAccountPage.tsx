import React from 'react'
import { PageIntro } from '../../components/PageIntro'

export function DeleteAccountPage(): JSX.Element {
  return <PageIntro i18nKey="pages.deleteAccount" />
}
