import React from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { isReadOnly, shortId, type RecipientGroup } from './recipients'

interface Props {
  group: RecipientGroup
  busy: boolean
  failures: Record<string, string>
  onMap(): void
  onShareAll(): void
  onShareOne(shareId: string): void
  onDismiss(shareId: string): void
}

export function recipientName(t: (key: string, options?: Record<string, string | number>) => string, group: Pick<RecipientGroup, 'name' | 'kind' | 'entId'>): string {
  if (group.name) return group.name
  return t(group.kind === 'group' ? 'shareAgain.unknownGroup' : 'shareAgain.unknownUser', { id: shortId(group.entId) })
}

/** One ENT recipient: who, the contacts they map to, and each resource with its role. */
export function RecipientCard({ group, busy, failures, onMap, onShareAll, onShareOne, onDismiss }: Props): JSX.Element {
  const { t } = useTranslation()
  const name = recipientName(t, group)
  const mapped = group.contacts.length > 0
  const headingId = `recipient-${group.key.replace(/[^a-z0-9]/gi, '_')}`
  return (
    <li className="u-mb-1-half u-p-1" style={{ border: '1px solid var(--dividerColor)', borderRadius: 8, listStyle: 'none' }} aria-labelledby={headingId}>
      <Typography variant="h5" component="h2" id={headingId} style={{ overflowWrap: 'anywhere' }}>
        {name}
        {group.kind === 'group' ? ` · ${t('shareAgain.group')}` : ''}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {t('shareAgain.resources', { smart_count: group.pending.length + group.done.length })} ·{' '}
        {mapped ? t('shareAgain.mappedTo', { names: group.contacts.map(c => c.name || c.id).join(', ') }) : t('shareAgain.notMapped')}
      </Typography>
      <ul className="u-mv-half u-p-0" style={{ listStyle: 'none' }}>
        {[...group.pending, ...group.done].map(item => {
          const share = item.share
          const title = share.resource.title || share.cozy.path || share.cozy.id
          return (
            <li key={share._id} className="u-flex u-flex-wrap u-flex-items-center u-flex-justify-between u-pv-half" style={{ gap: 8, borderTop: '1px solid var(--dividerColor)' }}>
              <div style={{ minWidth: 0, flex: '1 1 14rem' }}>
                <Typography variant="body1" style={{ overflowWrap: 'anywhere' }}>{title}</Typography>
                <Typography variant="caption" color="textSecondary">
                  {t(`shareAgain.roles.${item.role}`)} → {t(isReadOnly(item.role) ? 'shareAgain.access.readOnly' : 'shareAgain.access.readWrite')}
                  {share.cozy.path ? ` · ${share.cozy.path}` : ''}
                </Typography>
                {failures[share._id] && (
                  <Typography variant="caption" color="error" component="p" role="alert">
                    {t(failures[share._id])}
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
        })}
      </ul>
      <div className="u-flex u-flex-wrap" style={{ gap: 8 }}>
        <Button variant={mapped ? 'secondary' : 'primary'} label={mapped ? t('shareAgain.changeMapping') : t('shareAgain.map')} onClick={onMap} disabled={busy} />
        {group.pending.length > 0 && (
          <Button label={t(group.kind === 'group' ? 'shareAgain.shareAllGroup' : 'shareAgain.shareAll')} onClick={onShareAll} disabled={!mapped || busy} busy={busy} />
        )}
      </div>
    </li>
  )
}
