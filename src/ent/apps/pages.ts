/** Pages (websites; format notes §7): generic Mongo export of `pages`. */
import { readMongoApp } from './common'
import { AppReader } from './reader'
import { isWebsite, websiteSpecs } from './website'

const specs = websiteSpecs('pages')

export const pagesReader: AppReader = {
  app: 'pages',
  folderNames: ['Pages'],
  sniffRecord: isWebsite,
  read: context => readMongoApp(context, specs)
}
