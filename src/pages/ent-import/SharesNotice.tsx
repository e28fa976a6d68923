import React from 'react'
import Alert from 'cozy-ui/transpiled/react/Alert'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { summarizeShares, type PreviewShares } from './preview/shares'

/**
 * Before the import: what of the ticked items was shared in the ENT, with whom, and that the
 * shares do not follow the import but Share again will propose them anew. (The ENT's own
 * importer, edificeio/entcore archive/…/public/template/import-tab.html, says nothing of shares:
 * resources it imports simply arrive unshared.)
 */
export function SharesNotice({ shares, selected }: { shares: PreviewShares | null; selected: ReadonlySet<string> }): JSX.Element {
  const { t } = useTranslation()
  const body = (() => {
    if (!shares) return <Typography variant="body1">{t('entImport.preview.shares.counting')}</Typography>
    const summary = summarizeShares(shares, selected)
    if (summary.items === 0) return <Typography variant="body1">{t('entImport.preview.shares.none')}</Typography>
    const whom = [
      summary.users > 0 ? t('entImport.preview.shares.users', { smart_count: summary.users }) : null,
      summary.groups > 0 ? t('entImport.preview.shares.groups', { smart_count: summary.groups }) : null
    ].filter((part): part is string => part !== null)
    const items = t('entImport.preview.shares.items', { smart_count: summary.items })
    return (
      <>
        <Typography variant="body1" className="u-mb-half" data-testid="ent-preview-shares">
          {whom.length === 2 ? t('entImport.preview.shares.with', { items, whom: t('entImport.preview.shares.and', { a: whom[0], b: whom[1] }) }) : t('entImport.preview.shares.with', { items, whom: whom[0] ?? '' })}
          {summary.names.length > 0 && ` ${t('entImport.preview.shares.names', { names: summary.names.join(', ') })}`}
        </Typography>
        <Typography variant="body1">{t('entImport.preview.shares.again')}</Typography>
      </>
    )
  })()
  return (
    <Alert severity="info" role="status" className="u-mt-1" aria-labelledby="ent-preview-shares-title">
      {/* The Alert lays its message out in a row: one block keeps the title above the text. */}
      <div>
        <Typography variant="h6" component="h3" id="ent-preview-shares-title" className="u-mb-half">
          {t('entImport.preview.shares.title')}
        </Typography>
        {body}
      </div>
    </Alert>
  )
}
