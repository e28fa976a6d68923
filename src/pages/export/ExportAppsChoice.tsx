import React from 'react'
import Checkbox from 'cozy-ui/transpiled/react/Checkbox'
import FormControlLabel from 'cozy-ui/transpiled/react/FormControlLabel'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { doctypeNameKey, type AppGroup } from './app-groups'

interface Props {
  groups: AppGroup[]
  /** Ids of the ticked groups; all of them means "everything". */
  ticked: ReadonlySet<string>
  onChange(ticked: Set<string>): void
  disabled?: boolean
}

/** One app of the list: its box, and the kinds of data it keeps (the box's description). */
function AppGroupItem({ group, checked, disabled, onToggle }: { group: AppGroup; checked: boolean; disabled?: boolean; onToggle(): void }): JSX.Element {
  const { t } = useTranslation()
  const descriptionId = `export-group-${group.id.replace(/[^a-z0-9]/gi, '-')}`
  const doctypes = group.doctypes
    .map(doctype => {
      const key = doctypeNameKey(doctype)
      return key ? t(key) : doctype
    })
    .join(', ')
  return (
    <li className="u-mb-half">
      <FormControlLabel
        control={<Checkbox checked={checked} disabled={disabled} onChange={onToggle} inputProps={{ 'aria-describedby': descriptionId }} />}
        label={group.labelKey ? t(group.labelKey) : group.name}
      />
      <Typography id={descriptionId} variant="caption" color="textSecondary" component="p" className="u-ml-2" style={{ overflowWrap: 'anywhere' }}>
        {t('export.apps.doctypes', { doctypes })}
        {group.hasWildcards ? ` ${t('export.apps.wildcards')}` : ''}
      </Typography>
    </li>
  )
}

/**
 * The list of applications to export, like the ENT's "Exporter" tab: one box for
 * everything, then one per app with the kinds of data it keeps.
 */
export function ExportAppsChoice({ groups, ticked, onChange, disabled }: Props): JSX.Element {
  const { t } = useTranslation()
  const all = groups.length > 0 && groups.every(g => ticked.has(g.id))
  const some = !all && groups.some(g => ticked.has(g.id))

  const toggle = (id: string) => {
    const next = new Set(ticked)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    onChange(next)
  }

  return (
    <fieldset className="u-bdw-0 u-p-0 u-m-0">
      <legend className="u-mb-half">
        <Typography variant="h5" component="span">
          {t('export.what.title')}
        </Typography>
      </legend>
      <Typography variant="body2" color="textSecondary" className="u-mb-half">
        {t('export.what.help')}
      </Typography>
      <FormControlLabel
        control={
          <Checkbox
            checked={all}
            mixed={some}
            disabled={disabled}
            onChange={() => onChange(all ? new Set() : new Set(groups.map(g => g.id)))}
            inputProps={{ 'aria-describedby': 'export-everything-help' }}
          />
        }
        label={<strong>{t('export.what.everything')}</strong>}
      />
      <Typography id="export-everything-help" variant="caption" color="textSecondary" component="p" className="u-ml-2 u-mb-half">
        {t('export.what.everythingHelp')}
      </Typography>
      <ul className="u-m-0 u-pl-1-half" style={{ listStyle: 'none' }} aria-label={t('export.what.listLabel')}>
        {groups.map(group => (
          <AppGroupItem key={group.id} group={group} checked={ticked.has(group.id)} disabled={disabled} onToggle={() => toggle(group.id)} />
        ))}
      </ul>
      {ticked.size === 0 && (
        <Typography variant="body2" color="error" role="alert">
          {t('export.what.noneTicked')}
        </Typography>
      )}
    </fieldset>
  )
}
