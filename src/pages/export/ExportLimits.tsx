import React from 'react'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'

/** The stack's rules, said before the user runs into them (cozy-stack-api.md §1, §9). */
export function ExportLimits({ email }: { email?: string }): JSX.Element {
  const { t } = useTranslation()
  const items = [
    email ? t('export.limits.mail', { email }) : t('export.limits.mailUnknown'),
    t('export.limits.expiry'),
    t('export.limits.rate'),
    t('export.limits.one'),
    t('export.limits.replaces')
  ]
  return (
    <section aria-labelledby="export-limits-title" className="u-mv-1-half">
      <Typography variant="h5" component="h2" id="export-limits-title" className="u-mb-half">
        {t('export.limits.title')}
      </Typography>
      <ul className="u-mv-0 u-pl-1-half">
        {items.map(item => (
          <li key={item}>
            <Typography variant="body2">{item}</Typography>
          </li>
        ))}
      </ul>
    </section>
  )
}
