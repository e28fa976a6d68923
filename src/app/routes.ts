import React from 'react'
import DownloadIcon from 'cozy-ui/transpiled/react/Icons/Download'
import ExchangeIcon from 'cozy-ui/transpiled/react/Icons/Exchange'
import SchoolIcon from 'cozy-ui/transpiled/react/Icons/School'
import ShareIcon from 'cozy-ui/transpiled/react/Icons/Share'
import UploadIcon from 'cozy-ui/transpiled/react/Icons/Upload'
import TrashIcon from 'cozy-ui/transpiled/react/Icons/Trash'

type PageComponent = React.ComponentType | React.LazyExoticComponent<React.ComponentType>

/**
 * A page loaded the first time it is shown, so that the shell starts with none of them
 * (scripts/bundle-budget.ts). The magic comment of each import names its chunk after the
 * page's folder: pages of one folder share it.
 */
function lazyPage<K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K): PageComponent {
  return React.lazy<React.ComponentType>(() => load().then(module => ({ default: module[name] })))
}

const ExportPage = lazyPage(() => import(/* webpackChunkName: "page-export" */ '../pages/export/ExportPage'), 'ExportPage')
const MovePage = lazyPage(() => import(/* webpackChunkName: "page-move" */ '../pages/move/MovePage'), 'MovePage')
const EntImportPage = lazyPage(
  () => import(/* webpackChunkName: "page-ent-import" */ '../pages/ent-import/EntImportPage'),
  'EntImportPage'
)
const ShareAgainPage = lazyPage(
  () => import(/* webpackChunkName: "page-share-again" */ '../pages/share-again/ShareAgainPage'),
  'ShareAgainPage'
)
const CozyImportPage = lazyPage(
  () => import(/* webpackChunkName: "page-cozy-import" */ '../pages/cozy-import/CozyImportPage'),
  'CozyImportPage'
)
const DeleteAccountPage = lazyPage(
  () => import(/* webpackChunkName: "page-delete-account" */ '../pages/delete-account/DeleteAccountPage'),
  'DeleteAccountPage'
)
/** The download page of one export, from the link of the export mail. */
export const ExportDownloadPage = lazyPage(
  () => import(/* webpackChunkName: "page-export" */ '../pages/export/ExportDownloadPage'),
  'ExportDownloadPage'
)

export interface AppRoute {
  path: string
  /** Key under `app.nav` for the menu label. */
  navKey: string
  icon: React.ComponentType<Record<string, unknown>>
  Page: PageComponent
  /** Whether the section has a place in the phone's bottom bar (home + three). */
  inPhoneBar: boolean
}

/** The pages of the app, in menu order. */
export const appRoutes: AppRoute[] = [
  { path: '/ent-import', navKey: 'entImport', icon: SchoolIcon, Page: EntImportPage, inPhoneBar: true },
  { path: '/share-again', navKey: 'shareAgain', icon: ShareIcon, Page: ShareAgainPage, inPhoneBar: false },
  { path: '/export', navKey: 'export', icon: DownloadIcon, Page: ExportPage, inPhoneBar: true },
  { path: '/move', navKey: 'move', icon: ExchangeIcon, Page: MovePage, inPhoneBar: true },
  { path: '/cozy-import', navKey: 'cozyImport', icon: UploadIcon, Page: CozyImportPage, inPhoneBar: false },
  { path: '/delete-account', navKey: 'deleteAccount', icon: TrashIcon, Page: DeleteAccountPage, inPhoneBar: false }
]
