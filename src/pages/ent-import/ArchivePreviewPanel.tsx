import React, { useState } from 'react'
import { Link as RouterLink } from 'react-router-dom'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import Alert from 'cozy-ui/transpiled/react/Alert'
import { useTranslation } from '../../stack-client/react/useTranslation'
import type { ArchivePreview } from './preview/items'
import { formatBytes, formatDate } from './format'
import { FolderPicker } from './FolderPicker'
import type { ImportRecord } from '../../import/records'
import type { PreviewShares } from './preview/shares'
import { SharesNotice } from './SharesNotice'
import { PreviewAppsChoice } from './PreviewAppsChoice'

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

/** What the archive is: its file, when it was exported, by whom, its size. */
function PreviewFacts({ preview, namePending }: { preview: ArchivePreview; namePending?: boolean }): JSX.Element {
  const { t, lang } = useTranslation()
  const facts: Array<[string, string]> = [
    [t('entImport.preview.file'), preview.fileName],
    [t('entImport.preview.exportedAt'), formatDate(preview.exportedAt, lang) || '—'],
    [t('entImport.preview.user'), preview.userName ?? (namePending ? '…' : t('entImport.preview.unknownUser'))],
    [t('entImport.preview.size'), t('entImport.preview.sizeValue', { archive: formatBytes(preview.archiveBytes, lang), content: formatBytes(preview.totalBytes, lang) })]
  ]
  return (
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
  )
}

/** What the reading of the archive noticed (the first 50), behind a button. */
function PreviewWarnings({ warnings }: { warnings: ArchivePreview['warnings'] }): JSX.Element {
  const { t } = useTranslation()
  const [showWarnings, setShowWarnings] = useState(false)
  return (
    <div className="u-mt-1">
      <Button variant="text" size="small" aria-expanded={showWarnings} label={t('entImport.preview.warnings', { smart_count: warnings.length })} onClick={() => setShowWarnings(!showWarnings)} />
      {showWarnings && (
        <ul className="u-mt-half">
          {warnings.slice(0, 50).map((warning, index) => (
            <li key={index}>
              <Typography variant="body2">{warning.message}</Typography>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** Where the import goes, and the folder picker to change it. */
function DestinationChoice({ destination, onDestinationChange }: Pick<Props, 'destination' | 'onDestinationChange'>): JSX.Element {
  const { t } = useTranslation()
  const [picking, setPicking] = useState(false)
  return (
    <>
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
    </>
  )
}

/** Step 2: what the archive holds (from its directory and Manifest), the apps to import, where to. */
export function ArchivePreviewPanel({ preview, selected, onSelectedChange, destination, onDestinationChange, onStart, onOther, busy, namePending, shares = null, damaged, earlier, onCopy, onResumeEarlier }: Props): JSX.Element {
  const { t } = useTranslation()
  const selectedCount = preview.items.filter(item => selected.has(item.id)).length
  return (
    <section aria-labelledby="ent-preview-title" className="u-mb-2">
      <Typography variant="h5" component="h2" id="ent-preview-title" className="u-mb-1">
        {t('entImport.preview.title')}
      </Typography>
      <PreviewFacts preview={preview} namePending={namePending} />
      {damaged && (
        <Alert severity="warning" className="u-mb-1">
          {t('entImport.preview.damaged')}
        </Alert>
      )}

      <PreviewAppsChoice preview={preview} selected={selected} onSelectedChange={onSelectedChange} shares={shares} />
      <SharesNotice shares={shares} selected={selected} />

      {preview.warnings.length > 0 && <PreviewWarnings warnings={preview.warnings} />}

      <DestinationChoice destination={destination} onDestinationChange={onDestinationChange} />

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
