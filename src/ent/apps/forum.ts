/** Forum (format notes §7): `cat_<name>` categories and `sub_<title>` subjects with embedded messages. */
import { roleTable } from '../shares'
import { parseEntDate } from '../dates'
import { RichTextMessage } from '../models'
import { CollectionSpec, group, hasPrefixedFiles, idOf, Json, readMongoApp, richText, str, titleOf } from './common'
import { AppReader, ShareRoleTable } from './reader'
import { escapeHtml } from '../../text/escape-html'

const specs: CollectionSpec[] = [
  {
    collection: 'forum.categories',
    prefix: 'cat_',
    order: 0,
    convert: async (context, record, entId) => [
      group(context, record, entId, { collection: 'forum.categories', title: titleOf(record, 'cat_', ['name', 'title']), attachments: await context.attachments({ icon: record.icon }, `category ${entId}`) })
    ]
  },
  {
    collection: 'forum.subjects',
    prefix: 'sub_',
    order: 1,
    async convert(context, record, entId) {
      const messages: RichTextMessage[] = (Array.isArray(record.messages) ? (record.messages as Json[]) : [])
        .filter(m => m && typeof m === 'object')
        .map(m => ({ author: context.person(m.owner), created: parseEntDate(m.created), html: str(m.content) ?? '' }))
      const html = messages
        .map(m => `<section><p><strong>${escapeHtml(m.author?.name ?? m.author?.entId ?? '')}</strong>${m.created ? ` — ${m.created.toISOString()}` : ''}</p>${m.html}</section>`)
        .join('\n')
      return [
        richText(context, record, entId, {
          collection: 'forum.subjects',
          title: titleOf(record, 'sub_'),
          html,
          groupId: idOf(record.category),
          messages,
          shareable: {},
          attachments: await context.attachments(record, `subject ${entId}`)
        })
      ]
    }
  }
]

/** Share actions of this app's controllers and their roles. */
const SHARE_ROLES: ShareRoleTable = roleTable([
  ['read', 'ForumController', ['getCategory', 'listSubjects', 'getSubject', 'listMessages', 'getMessage']],
  ['contrib', 'ForumController', ['createSubject', 'createMessage']],
  ['manager', 'ForumController', ['updateCategory', 'deleteCategory', 'shareCategory', 'shareCategorySubmit', 'removeShareCategory', 'shareResource']],
  ['publish', 'ForumController', ['updateSubject', 'deleteSubject', 'updateMessage', 'deleteMessage']]
])

export const forumReader: AppReader = {
  app: 'forum',
  labelKey: 'forum',
  cozyFolder: 'Forum',
  shareRoles: SHARE_ROLES,
  needs: ['workspace-documents'],
  folderNames: ['Forum'],
  sniff: folder => hasPrefixedFiles(folder.files, ['cat_', 'sub_']),
  read: context => readMongoApp(context, specs)
}
