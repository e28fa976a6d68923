import React, { useState } from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import { Dialog } from 'cozy-ui/transpiled/react/CozyDialogs'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { LoadingState, StackErrorAlert } from '../../components/QueryStates'
import { buildSubFoldersQuery, ROOT_DIR_ID } from '../../queries'
import { useDocQuery } from '../../queries/state'
import { toFolders } from './drive-files'

interface Props {
  onChoose(folder: { id: string; path: string }): void
  onCancel(): void
}

interface Place {
  id: string
  path: string
}

/** A small folder browser: open sub-folders, go up, choose the one shown. */
export function FolderPicker({ onChoose, onCancel }: Props): JSX.Element {
  const { t } = useTranslation()
  const [trail, setTrail] = useState<Place[]>([{ id: ROOT_DIR_ID, path: '/' }])
  const current = trail[trail.length - 1]
  const folders = useDocQuery(buildSubFoldersQuery(current.id), toFolders)
  return (
    <Dialog
      open
      onClose={onCancel}
      title={t('entImport.folders.title')}
      content={
        <div>
          <Typography variant="body1" className="u-mb-1">
            <strong>{current.path === '/' ? t('entImport.folders.root') : current.path}</strong>
          </Typography>
          {trail.length > 1 && <Button variant="text" size="small" label={t('entImport.folders.up')} onClick={() => setTrail(trail.slice(0, -1))} />}
          {folders.status === 'loading' && <LoadingState label={t('entImport.folders.loading')} />}
          {folders.status === 'error' && <StackErrorAlert error={folders.error} onRetry={folders.retry} />}
          {folders.status === 'ready' && folders.data.length === 0 && <Typography variant="body2">{t('entImport.folders.empty')}</Typography>}
          {folders.status === 'ready' && (
            <ul className="u-m-0 u-p-0" style={{ listStyle: 'none' }}>
              {folders.data.map(folder => (
                <li key={folder.id}>
                  <Button
                    variant="text"
                    label={folder.name}
                    aria-label={t('entImport.folders.open', { name: folder.name })}
                    onClick={() => setTrail([...trail, { id: folder.id, path: folder.path ?? `${current.path.replace(/\/$/, '')}/${folder.name}` }])}
                  />
                </li>
              ))}
            </ul>
          )}
        </div>
      }
      actions={
        <>
          <Button variant="secondary" label={t('entImport.folders.cancel')} onClick={onCancel} />
          <Button label={t('entImport.folders.choose')} onClick={() => onChoose(current)} />
        </>
      }
    />
  )
}
