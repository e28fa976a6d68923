import React, { useState } from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { isReadOnly, type AppSection, type RecipientItem } from './recipients'

/** Lines a section shows before "show all": enough to recognise it, short enough for 600 resources. */
export const FIRST_ITEMS = 5

interface Props {
  section: AppSection
  /** Unique in the page, for the ids the toggle points at. */
  idPrefix: string
  /** Open at first: small cards and search results are; a long card shows its applications folded. */
  initiallyOpen: boolean
  mapped: boolean
  busy: boolean
  failures: Record<string, string>
  onShareOne(shareId: string): void
  onDismiss(shareId: string): void
}

type T = (key: string, options?: Record<string, string | number>) => string

/** The application's name as the import page says it, or its key when this version does not know it. */
export function appLabel(t: T, app: string): string {
  const key = `entImport.apps.${app}`
  const label = t(key)
  return label === key ? app : label
}

function ResourceLine({ item, mapped, busy, failure, onShareOne, onDismiss }: { item: RecipientItem; mapped: boolean; busy: boolean; failure?: string; onShareOne(id: string): void; onDismiss(id: string): void }): JSX.Element {
  const { t } = useTranslation()
  const share = item.share
  const title = share.resource.title || share.cozy.path || share.cozy.id
  return (
    <li className="u-flex u-flex-wrap u-flex-items-center u-flex-justify-between u-pv-half" style={{ gap: 8, borderTop: '1px solid var(--dividerColor)' }}>
      <div style={{ minWidth: 0, flex: '1 1 14rem' }}>
        <Typography variant="body1" style={{ overflowWrap: 'anywhere' }}>{title}</Typography>
        <Typography variant="caption" color="textSecondary" style={{ overflowWrap: 'anywhere' }}>
          {t(`shareAgain.roles.${item.role}`)} → {t(isReadOnly(item.role) ? 'shareAgain.access.readOnly' : 'shareAgain.access.readWrite')}
          {share.cozy.path ? ` · ${share.cozy.path}` : ''}
        </Typography>
        {failure && (
          <Typography variant="caption" color="error" component="p" role="alert">
            {t(failure)}
          </Typography>
        )}
      </div>
      {item.shared ? (
        <Typography variant="body2">{t('shareAgain.sharedState')}</Typography>
      ) : (
        <div className="u-flex" style={{ gap: 4 }}>
          <Button size="small" variant="secondary" label={t('shareAgain.share')} aria-label={`${t('shareAgain.share')} — ${title}`} disabled={!mapped || busy} onClick={() => onShareOne(share._id)} />
          <Button size="small" variant="text" label={t('shareAgain.dismiss')} aria-label={`${t('shareAgain.dismiss')} — ${title}`} disabled={busy} onClick={() => onDismiss(share._id)} />
        </div>
      )}
    </li>
  )
}

/** One application's resources in a recipient's card: a heading that folds it, the first lines, then "show all". */
export function ResourceSection({ section, idPrefix, initiallyOpen, mapped, busy, failures, onShareOne, onDismiss }: Props): JSX.Element {
  const { t } = useTranslation()
  const [open, setOpen] = useState(initiallyOpen)
  const [all, setAll] = useState(false)
  const listId = `${idPrefix}-${section.app}`
  const shown = all ? section.items : section.items.slice(0, FIRST_ITEMS)
  const hidden = section.items.length - shown.length
  const waiting = section.items.filter(i => !i.shared).length
  return (
    <section className="u-mt-half" data-testid="app-section">
      <Typography variant="h6" component="h3">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={listId}
          onClick={() => setOpen(o => !o)}
          className="u-flex u-flex-items-center u-w-100"
          style={{ gap: 8, background: 'none', border: 0, padding: '8px 0', font: 'inherit', color: 'inherit', cursor: 'pointer', textAlign: 'start' }}
        >
          <span aria-hidden="true" style={{ display: 'inline-block', width: '1em', transform: open ? 'rotate(90deg)' : 'none' }}>▸</span>
          <span style={{ overflowWrap: 'anywhere' }}>{t('shareAgain.section', { app: appLabel(t, section.app), smart_count: section.items.length, waiting })}</span>
        </button>
      </Typography>
      <div id={listId} hidden={!open}>
        {open && (
          <>
          <ul className="u-m-0 u-p-0" style={{ listStyle: 'none' }}>
            {shown.map(item => (
              <ResourceLine key={item.share._id} item={item} mapped={mapped} busy={busy} failure={failures[item.share._id]} onShareOne={onShareOne} onDismiss={onDismiss} />
            ))}
          </ul>
          {(hidden > 0 || all) && section.items.length > FIRST_ITEMS && (
            <Button variant="text" size="small" label={hidden > 0 ? t('shareAgain.showAll', { smart_count: hidden }) : t('shareAgain.showFewer')} aria-controls={listId} onClick={() => setAll(a => !a)} />
          )}
          </>
        )}
      </div>
    </section>
  )
}
