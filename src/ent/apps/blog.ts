/** Blog (format notes §7): `blog_<title>` blogs and `post_<title>` posts, all posts of exported blogs. */
import { CollectionSpec, group, hasPrefixedFiles, readMongoApp, refId, richText, str, titleOf } from './common'
import { AppReader } from './reader'

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

export const blogReader: AppReader = {
  app: 'blog',
  folderNames: ['Blog'],
  sniff: folder => hasPrefixedFiles(folder.files, ['blog_', 'post_']),
  read: context => readMongoApp(context, specs)
}
