import React from 'react'
import { PageIntro } from '../../components/PageIntro'

export function ExportPage(): JSX.Element {
  return <PageIntro i18nKey="pages.export" />
}
