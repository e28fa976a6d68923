import React from 'react'
import { PageIntro } from '../../components/PageIntro'

export function MovePage(): JSX.Element {
  return <PageIntro i18nKey="pages.move" />
}
