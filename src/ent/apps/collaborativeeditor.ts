/** Pad (collaborative editor; format notes §7): one record per pad, its HTML under `Pad_<epName>`. */
import { roleTable } from '../shares'
import { CollectionSpec, readMongoApp, richText, str, titleOf } from './common'
import { AppReader, ShareRoleTable } from './reader'

function padHtml(record: Record<string, unknown>): string {
  for (const [key, value] of Object.entries(record)) {
    if (!key.startsWith('Pad_')) continue
    if (typeof value === 'string') return value
    if (value && typeof value === 'object' && typeof (value as { html?: unknown }).html === 'string') return (value as { html: string }).html
  }
  return ''
}

const specs: CollectionSpec[] = [
  {
    collection: 'collaborativeeditor',
    prefix: null,
    order: 0,
    convert: async (context, record, entId) => [
      richText(context, record, entId, {
        collection: 'collaborativeeditor',
        title: titleOf(record, null),
        html: padHtml(record) || (str(record.description) ?? ''),
        attachments: await context.attachments(record, `pad ${entId}`)
      })
    ]
  }
]

/** Share actions of this app's controllers and their roles. */
const SHARE_ROLES: ShareRoleTable = roleTable([
  ['read', 'CollaborativeEditorController', ['retrieve', 'session', 'deleteSession', 'embedPad']],
  ['contrib', 'CollaborativeEditorController', ['update']],
  ['manager', 'CollaborativeEditorController', ['delete', 'share', 'shareCollaborativeEditorSubmit', 'removeShareCollaborativeEditor', 'shareResource']]
])

export const collaborativeeditorReader: AppReader = {
  app: 'collaborativeeditor',
  labelKey: 'collaborativeeditor',
  cozyFolder: 'Pad',
  shareRoles: SHARE_ROLES,
  needs: ['workspace-documents'],
  folderNames: ['Pad', 'Collaborative Pad', 'Collaborative Editor'],
  sniffRecord: record => typeof record.epName === 'string',
  read: context => readMongoApp(context, specs)
}
