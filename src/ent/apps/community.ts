/** Communautés (format notes §7): the community's pages (`communityPages`); the community itself is SQL and not exported. */
import { PAGES_SHARE_ROLES } from './pages'
import { readMongoApp } from './common'
import { AppReader } from './reader'
import { websiteSpecs } from './website'

const specs = websiteSpecs('communityPages')

export const communityReader: AppReader = {
  app: 'community',
  labelKey: 'community',
  cozyFolder: 'Communautés',
  shareRoles: PAGES_SHARE_ROLES,
  needs: ['workspace-documents'],
  folderNames: ['Communautes', 'Community'],
  read: context => readMongoApp(context, specs)
}
