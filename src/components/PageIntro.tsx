import React from 'react'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useI18n } from 'twake-i18n'

interface Props {
  /** Translation key prefix: `<prefix>.title` and `<prefix>.description`. */
  i18nKey: string
  children?: React.ReactNode
}

/** The heading and explanation every page starts with, so the user knows what it will do. */
export function PageIntro({ i18nKey, children }: Props): JSX.Element {
  const { t } = useI18n()
  return (
    <header className="u-mb-2">
      <Typography variant="h3" component="h1" className="u-mb-1">
        {t(`${i18nKey}.title`)}
      </Typography>
      <Typography variant="body1" color="textSecondary">
        {t(`${i18nKey}.description`)}
      </Typography>
      {children}
    </header>
  )
}
