import React, { useMemo } from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { sectionsByApp, shortId, type RecipientGroup } from './recipients'
import { FIRST_ITEMS, ResourceSection } from './ResourceSection'

interface Props {
  group: RecipientGroup
  /** A search is on: what it found is shown open. */
  searching: boolean
  busy: boolean
  failures: Record<string, string>
  onMap(): void
  onShareAll(): void
  onShareOne(shareId: string): void
  onDismiss(shareId: string): void
}

type T = (key: string, options?: Record<string, string | number>) => string

/**
 * The archive's name for the recipient. A group it does not name gets a generic label with its
 * number (to tell such groups apart) and, once mapped, how many contacts it stands for.
 */
export function recipientName(t: T, group: Pick<RecipientGroup, 'name' | 'kind' | 'entId' | 'unnamedNumber' | 'contacts'>): string {
  if (group.name) return group.name
  if (group.kind === 'group') {
    const number = group.unnamedNumber ?? 1
    return group.contacts.length > 0 ? t('shareAgain.unnamedGroupMembers', { number, smart_count: group.contacts.length }) : t('shareAgain.unnamedGroup', { number })
  }
  return t('shareAgain.unknownUser', { id: shortId(group.entId) })
}

/** One ENT recipient: who, the contacts they map to, the actions for all, then their resources by application. */
export function RecipientCard({ group, searching, busy, failures, onMap, onShareAll, onShareOne, onDismiss }: Props): JSX.Element {
  const { t } = useTranslation()
  const name = recipientName(t, group)
  const mapped = group.contacts.length > 0
  const headingId = `recipient-${group.key.replace(/[^a-z0-9]/gi, '_')}`
  const sections = useMemo(() => sectionsByApp([...group.pending, ...group.done]), [group])
  const open = searching || group.pending.length + group.done.length <= FIRST_ITEMS
  return (
    <li className="u-mb-1-half u-p-1" style={{ border: '1px solid var(--dividerColor)', borderRadius: 8, listStyle: 'none' }} aria-labelledby={headingId} data-testid="recipient-card">
      <Typography variant="h5" component="h2" id={headingId} style={{ overflowWrap: 'anywhere' }}>
        {name}
        {group.kind === 'group' ? ` · ${t('shareAgain.group')}` : ''}
      </Typography>
      <Typography variant="body2" color="textSecondary" data-testid="recipient-counts">
        {t('shareAgain.cardCounts', { pending: group.pending.length, shared: group.done.length })} ·{' '}
        {mapped ? t('shareAgain.mappedTo', { names: group.contacts.map(c => c.name || c.id).join(', ') }) : t('shareAgain.notMapped')}
      </Typography>
      <div className="u-flex u-flex-wrap u-mt-half" style={{ gap: 8 }}>
        <Button variant={mapped ? 'secondary' : 'primary'} label={mapped ? t('shareAgain.changeMapping') : t('shareAgain.map')} onClick={onMap} disabled={busy} />
        {group.pending.length > 0 && (
          <Button label={t(group.kind === 'group' ? 'shareAgain.shareAllGroup' : 'shareAgain.shareAll')} onClick={onShareAll} disabled={!mapped || busy} busy={busy} />
        )}
      </div>
      {sections.map(section => (
        // A new key when the default changes, so a search opens what it found and clearing it folds again.
        <ResourceSection key={`${section.app}-${open}`} section={section} idPrefix={headingId} initiallyOpen={open} mapped={mapped} busy={busy} failures={failures} onShareOne={onShareOne} onDismiss={onDismiss} />
      ))}
    </li>
  )
}
