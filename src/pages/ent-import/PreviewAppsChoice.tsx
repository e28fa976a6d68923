import React from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Checkbox from 'cozy-ui/transpiled/react/Checkbox'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import type { ArchivePreview, PreviewItem } from './preview/items'
import type { PreviewShares } from './preview/shares'
import { appLabel } from './app-label'
import { formatBytes } from './format'

function ItemRow({ item, checked, onToggle, shared }: { item: PreviewItem; checked: boolean; onToggle(): void; shared: number }): JSX.Element {
  const { t, lang } = useTranslation()
  const id = `ent-item-${item.id.replace(/[^a-z0-9-]/gi, '_')}`
  // Once counted, the same number of items the progress and the report will show.
  const details = [
    item.items !== null ? t('entImport.preview.items', { smart_count: item.items }) : t('entImport.preview.counting'),
    formatBytes(item.bytes, lang),
    ...(shared > 0 ? [t('entImport.preview.sharedCount', { smart_count: shared })] : [])
  ]
  const hint = item.app === 'trash' ? t('entImport.preview.trashHint') : !item.known ? t('entImport.preview.unknownHint') : null
  return (
    <li className="u-flex u-flex-items-center u-pv-half" style={{ borderBottom: '1px solid var(--dividerColor)' }}>
      <Checkbox id={id} checked={checked} onChange={onToggle} inputProps={{ 'aria-describedby': `${id}-details` }} />
      <label htmlFor={id} className="u-ml-half" style={{ minWidth: 0, cursor: 'pointer' }}>
        <Typography variant="body1" component="span" className="u-db">
          {appLabel(t, item.app, item.folder)}
        </Typography>
        <Typography variant="caption" color="textSecondary" component="span" className="u-db" id={`${id}-details`}>
          {details.join(' · ')}
          {hint ? ` — ${hint}` : ''}
        </Typography>
      </label>
    </li>
  )
}

/** The archive's apps to tick, with all / none, each with its items, size and shares. */
export function PreviewAppsChoice({ preview, selected, onSelectedChange, shares }: { preview: ArchivePreview; selected: Set<string>; onSelectedChange(selected: Set<string>): void; shares: PreviewShares | null }): JSX.Element {
  const { t } = useTranslation()
  const toggle = (id: string) => {
    const next = new Set(selected)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    onSelectedChange(next)
  }
  return (
    <fieldset className="u-m-0 u-p-0" style={{ border: 0 }}>
      <legend className="u-mb-half">
        <Typography variant="h6" component="span">
          {t('entImport.preview.appsLegend')}
        </Typography>
      </legend>
      <div className="u-flex u-flex-wrap" style={{ gap: 8 }}>
        <Button variant="text" size="small" label={t('entImport.preview.selectAll')} onClick={() => onSelectedChange(new Set(preview.items.map(i => i.id)))} />
        <Button variant="text" size="small" label={t('entImport.preview.selectNone')} onClick={() => onSelectedChange(new Set())} />
      </div>
      <ul className="u-m-0 u-p-0" style={{ listStyle: 'none' }}>
        {preview.items.map(item => (
          <ItemRow key={item.id} item={item} checked={selected.has(item.id)} onToggle={() => toggle(item.id)} shared={shares?.get(item.id)?.items ?? 0} />
        ))}
      </ul>
    </fieldset>
  )
}
