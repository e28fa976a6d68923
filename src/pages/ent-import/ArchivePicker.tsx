import React, { useRef, useState } from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { DriveArchiveList } from './DriveArchiveList'
import type { DriveFile } from '../../stack-client/files-upload'

interface Props {
  onFile(file: File): void
  onDriveFile(file: DriveFile): void
  disabled?: boolean
  /** Shown under the step's title, before the drop zone (the archive chosen before, if any). */
  kept?: React.ReactNode
}

/** Step 1: drop the zip, pick it on the device, or choose one already in the Drive. */
export function ArchivePicker({ onFile, onDriveFile, disabled, kept }: Props): JSX.Element {
  const { t } = useTranslation()
  const input = useRef<HTMLInputElement>(null)
  const [over, setOver] = useState(false)
  const [drive, setDrive] = useState(false)

  const onDrop = (event: React.DragEvent<HTMLDivElement>) => {
    event.preventDefault()
    setOver(false)
    const file = event.dataTransfer.files[0]
    if (file && !disabled) onFile(file)
  }

  return (
    <section aria-labelledby="ent-import-picker-title" className="u-mb-2">
      <Typography variant="h5" component="h2" id="ent-import-picker-title" className="u-mb-1">
        {t('entImport.picker.title')}
      </Typography>
      {kept}
      <div
        data-testid="ent-drop-zone"
        onDragOver={event => {
          event.preventDefault()
          setOver(true)
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        className="u-p-1-half u-ta-center"
        style={{
          border: `2px dashed ${over ? 'var(--primaryColor)' : 'var(--dividerColor)'}`,
          borderRadius: 8,
          background: over ? 'var(--primaryBackgroundLight, #f0f6ff)' : 'transparent'
        }}
      >
        <Typography variant="body1" className="u-mb-1">
          {t('entImport.picker.dropHint')}
        </Typography>
        <input
          ref={input}
          id="ent-archive-input"
          type="file"
          accept=".zip,application/zip,application/x-zip-compressed"
          className="u-hide"
          aria-label={t('entImport.picker.chooseFile')}
          onChange={event => {
            const file = event.target.files?.[0]
            if (file) onFile(file)
            event.target.value = ''
          }}
        />
        <div className="u-flex u-flex-wrap u-flex-justify-center" style={{ gap: 8 }}>
          <Button label={t('entImport.picker.chooseFile')} onClick={() => input.current?.click()} disabled={disabled} />
          <Button variant="secondary" label={t('entImport.picker.fromDrive')} onClick={() => setDrive(true)} disabled={disabled} aria-expanded={drive} />
        </div>
      </div>
      {drive && (
        <DriveArchiveList
          onChoose={file => {
            setDrive(false)
            onDriveFile(file)
          }}
          onClose={() => setDrive(false)}
        />
      )}
    </section>
  )
}
