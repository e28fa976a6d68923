import React from 'react'
import { PageIntro } from '../../components/PageIntro'

export function CozyImportPage(): JSX.Element {
  return <PageIntro i18nKey="pages.cozyImport" />
}
