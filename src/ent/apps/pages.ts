/** Pages (websites; format notes §7): generic Mongo export of `pages`. */
import { roleTable } from '../shares'
import { readMongoApp } from './common'
import { AppReader, ShareRoleTable } from './reader'
import { isWebsite, websiteSpecs } from './website'

const specs = websiteSpecs('pages')

/** Share actions of Pages (also used by Communities, built on Pages). */
export const PAGES_SHARE_ROLES: ShareRoleTable = roleTable([
  ['read', 'PagesController', ['get']],
  ['contrib', 'PagesController', ['update']],
  ['manager', 'PagesController', ['delete', 'share', 'shareSubmit', 'removeShare', 'shareResource']]
])

export const pagesReader: AppReader = {
  app: 'pages',
  labelKey: 'pages',
  cozyFolder: 'Pages',
  shareRoles: PAGES_SHARE_ROLES,
  needs: ['workspace-documents'],
  folderNames: ['Pages'],
  sniffRecord: isWebsite,
  read: context => readMongoApp(context, specs)
}
