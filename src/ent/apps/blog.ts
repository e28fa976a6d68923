/** Blog (format notes §7): `blog_<title>` blogs and `post_<title>` posts, all posts of exported blogs. */
import { roleTable } from '../shares'
import { CollectionSpec, group, hasPrefixedFiles, readMongoApp, refId, richText, str, titleOf } from './common'
import { AppReader, ShareRoleTable } from './reader'

const specs: CollectionSpec[] = [
  {
    collection: 'blogs',
    prefix: 'blog_',
    order: 0,
    convert: async (context, record, entId) => [
      group(context, record, entId, { collection: 'blogs', title: titleOf(record, 'blog_'), attachments: await context.attachments(record, `blog ${entId}`) })
    ]
  },
  {
    collection: 'posts',
    prefix: 'post_',
    order: 1,
    convert: async (context, record, entId) => [
      richText(context, record, entId, {
        collection: 'posts',
        title: titleOf(record, 'post_'),
        groupId: refId(record.blog),
        state: str(record.state),
        attachments: await context.attachments(record, `post ${entId}`)
      })
    ]
  }
]

/** Share actions of this app's controllers and their roles. */
const SHARE_ROLES: ShareRoleTable = roleTable([
  ['read', 'BlogController', ['get']],
  ['read', 'PostController', ['get', 'list', 'comments']],
  ['contrib', 'PostController', ['create', 'update', 'delete', 'submit', 'unpublish']],
  ['manager', 'BlogController', ['update', 'delete', 'shareJson', 'shareJsonSubmit', 'removeShare', 'shareResource', 'updatePublicBlog']],
  ['manager', 'PostController', ['publish', 'publishComment']],
  ['comment', 'PostController', ['comment', 'updateComment', 'deleteComment']]
])

export const blogReader: AppReader = {
  app: 'blog',
  labelKey: 'blog',
  cozyFolder: 'Blog',
  shareRoles: SHARE_ROLES,
  needs: ['workspace-documents'],
  folderNames: ['Blog'],
  sniff: folder => hasPrefixedFiles(folder.files, ['blog_', 'post_']),
  read: context => readMongoApp(context, specs)
}
