import { AppFolderView, FolderFile } from './reader'

/** The workspace index: the single top-level file named like its folder (very old exports: `Documents`). */
export function workspaceIndexFile(view: AppFolderView): FolderFile | undefined {
  const top = view.files.filter(f => !f.rel.includes('/') && f.rel !== 'skipDocs')
  return top.find(f => f.rel === view.name) ?? top.find(f => f.rel === 'Documents') ?? (top.length === 1 ? top[0] : undefined)
}
