import React from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import type { ChosenArchive } from './useChosenArchive'
import { formatBytes } from './format'

/** Back at the picker, the archive chosen before is still there: its preview is one click away. */
export function KeptArchive({ chosen, onBack }: { chosen: ChosenArchive; onBack(): void }): JSX.Element {
  const { t, lang } = useTranslation()
  return (
    <section aria-labelledby="ent-kept-title" className="u-mb-1 u-p-1" style={{ border: '1px solid var(--dividerColor)', borderRadius: 8 }}>
      <Typography variant="h6" component="h3" id="ent-kept-title" className="u-mb-half">
        {t('entImport.picker.kept.title')}
      </Typography>
      <Typography variant="body1" className="u-mb-half" style={{ overflowWrap: 'anywhere' }}>
        {t('entImport.picker.kept.file', { name: chosen.preview.fileName, size: formatBytes(chosen.preview.archiveBytes, lang) })}
      </Typography>
      <Button variant="secondary" label={t('entImport.picker.kept.back')} onClick={onBack} />
    </section>
  )
}
