import React, { useState } from 'react'
import { Link as RouterLink } from 'react-router-dom'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Checkbox from 'cozy-ui/transpiled/react/Checkbox'
import Typography from 'cozy-ui/transpiled/react/Typography'
import Alert from 'cozy-ui/transpiled/react/Alert'
import { useTranslation } from '../../stack-client/react/useTranslation'
import type { ArchivePreview, PreviewItem } from './preview/items'
import { appLabel } from './app-label'
import { formatBytes, formatDate } from './format'
import { FolderPicker } from './FolderPicker'
import type { ImportRecord } from '../../import/records'
import type { PreviewShares } from './preview/shares'
import { SharesNotice } from './SharesNotice'

interface Props {
  preview: ArchivePreview
  selected: Set<string>
  onSelectedChange(selected: Set<string>): void
  destination: { id: string | null; path: string }
  onDestinationChange(destination: { id: string; path: string }): void
  onStart(): void
  onOther(): void
  busy?: boolean
  /** The user's name is still being read. */
  namePending?: boolean
  /** What was shared in the ENT; null while the records are read. */
  shares?: PreviewShares | null
  /** Some of the archive's data cannot be read. */
  damaged?: boolean
  /** The latest import of the same export, if any: the page offers to open it, resume it or import a copy. */
  earlier?: ImportRecord & { _id: string }
  onCopy?(): void
  onResumeEarlier?(): void
}

function EarlierImport({ record, onCopy, onResume, busy }: { record: ImportRecord & { _id: string }; onCopy?(): void; onResume?(): void; busy?: boolean }): JSX.Element {
  const { t, lang } = useTranslation()
  const when = record.finishedAt ?? record.startedAt ?? record.createdAt
  const where = record.importFolder?.path ?? record.destination.path
  return (
    <Alert severity="warning" className="u-mt-1" role="status">
      <Typography variant="body1" className="u-mb-half">
        {t(record.state === 'done' ? 'entImport.preview.already.done' : 'entImport.preview.already.unfinished', { date: formatDate(new Date(when), lang), path: where })}
      </Typography>
      <div className="u-flex u-flex-wrap" style={{ gap: 8 }}>
        <Button component={RouterLink} to={`/ent-import/history/${encodeURIComponent(record._id)}`} variant="secondary" label={t('entImport.preview.already.open')} />
        {onResume && <Button variant="secondary" label={t('entImport.preview.already.resume')} onClick={onResume} disabled={busy} />}
        {onCopy && <Button variant="text" label={t('entImport.preview.already.copy')} onClick={onCopy} disabled={busy} busy={busy} />}
      </div>
    </Alert>
  )
}

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

/** Step 2: what the archive holds (from its directory and Manifest), the apps to import, where to. */
export function ArchivePreviewPanel({ preview, selected, onSelectedChange, destination, onDestinationChange, onStart, onOther, busy, namePending, shares = null, damaged, earlier, onCopy, onResumeEarlier }: Props): JSX.Element {
  const { t, lang } = useTranslation()
  const [picking, setPicking] = useState(false)
  const [showWarnings, setShowWarnings] = useState(false)
  const toggle = (id: string) => {
    const next = new Set(selected)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    onSelectedChange(next)
  }
  const selectedCount = preview.items.filter(item => selected.has(item.id)).length
  const facts: Array<[string, string]> = [
    [t('entImport.preview.file'), preview.fileName],
    [t('entImport.preview.exportedAt'), formatDate(preview.exportedAt, lang) || '—'],
    [t('entImport.preview.user'), preview.userName ?? (namePending ? '…' : t('entImport.preview.unknownUser'))],
    [t('entImport.preview.size'), t('entImport.preview.sizeValue', { archive: formatBytes(preview.archiveBytes, lang), content: formatBytes(preview.totalBytes, lang) })]
  ]

  return (
    <section aria-labelledby="ent-preview-title" className="u-mb-2">
      <Typography variant="h5" component="h2" id="ent-preview-title" className="u-mb-1">
        {t('entImport.preview.title')}
      </Typography>
      <dl className="u-m-0 u-mb-1" style={{ display: 'grid', gridTemplateColumns: 'minmax(7rem, max-content) 1fr', columnGap: 16, rowGap: 4 }}>
        {facts.map(([term, value]) => (
          <React.Fragment key={term}>
            <Typography component="dt" variant="body2" color="textSecondary">
              {term}
            </Typography>
            <Typography component="dd" variant="body1" className="u-m-0" style={{ overflowWrap: 'anywhere' }}>
              {value}
            </Typography>
          </React.Fragment>
        ))}
      </dl>
      {damaged && (
        <Alert severity="warning" className="u-mb-1">
          {t('entImport.preview.damaged')}
        </Alert>
      )}

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
      <SharesNotice shares={shares} selected={selected} />

      {preview.warnings.length > 0 && (
        <div className="u-mt-1">
          <Button
            variant="text"
            size="small"
            aria-expanded={showWarnings}
            label={t('entImport.preview.warnings', { smart_count: preview.warnings.length })}
            onClick={() => setShowWarnings(!showWarnings)}
          />
          {showWarnings && (
            <ul className="u-mt-half">
              {preview.warnings.slice(0, 50).map((warning, index) => (
                <li key={index}>
                  <Typography variant="body2">{warning.message}</Typography>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      <div className="u-mt-1 u-flex u-flex-wrap u-flex-items-center" style={{ gap: 8 }}>
        <Typography variant="body1">
          {t('entImport.preview.destination')} <strong style={{ overflowWrap: 'anywhere' }}>{destination.path}</strong>
        </Typography>
        <Button variant="text" size="small" label={t('entImport.preview.changeDestination')} onClick={() => setPicking(true)} />
      </div>
      {picking && (
        <FolderPicker
          onChoose={folder => {
            setPicking(false)
            onDestinationChange(folder)
          }}
          onCancel={() => setPicking(false)}
        />
      )}

      {selectedCount === 0 && (
        <Alert severity="info" className="u-mt-1">
          {t('entImport.preview.nothingSelected')}
        </Alert>
      )}
      {earlier && <EarlierImport record={earlier} onCopy={selectedCount > 0 ? onCopy : undefined} onResume={onResumeEarlier} busy={busy} />}
      <div className="u-mt-1-half u-flex u-flex-wrap" style={{ gap: 8 }}>
        {!earlier && <Button label={t('entImport.preview.startCount', { smart_count: selectedCount })} onClick={onStart} disabled={selectedCount === 0 || busy} busy={busy} />}
        <Button variant="secondary" label={t('entImport.preview.other')} onClick={onOther} disabled={busy} />
      </div>
    </section>
  )
}
