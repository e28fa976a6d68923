import React from 'react'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'

/**
 * The stack's rules, said before the user runs into them (cozy-stack-api.md §1, §9), and the
 * mail as it arrives: the subject of the stack's "archiver" mail (assets/locales, "Mail Archive
 * Subject") and its sender (see noReplySender).
 */
export function ExportLimits({ email, sender }: { email?: string; sender: string }): JSX.Element {
  const { t } = useTranslation()
  const subject = t('export.limits.subject')
  const items = [
    email ? t('export.limits.mail', { email, subject }) : t('export.limits.mailUnknown', { subject }),
    t('export.limits.spam', { sender }),
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
