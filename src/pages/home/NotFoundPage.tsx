import React from 'react'
import { PageIntro } from '../../components/PageIntro'

export function NotFoundPage(): JSX.Element {
  return <PageIntro i18nKey="app.notFound" />
}
