import React from 'react'
import { PageIntro } from '../../components/PageIntro'

export function EntImportPage(): JSX.Element {
  return <PageIntro i18nKey="pages.entImport" />
}
