import type React from 'react'
import DownloadIcon from 'cozy-ui/transpiled/react/Icons/Download'
import ExchangeIcon from 'cozy-ui/transpiled/react/Icons/Exchange'
import SchoolIcon from 'cozy-ui/transpiled/react/Icons/School'
import ShareIcon from 'cozy-ui/transpiled/react/Icons/Share'
import UploadIcon from 'cozy-ui/transpiled/react/Icons/Upload'
import TrashIcon from 'cozy-ui/transpiled/react/Icons/Trash'
import { ExportPage } from '../pages/export/ExportPage'
import { MovePage } from '../pages/move/MovePage'
import { EntImportPage } from '../pages/ent-import/EntImportPage'
import { ShareAgainPage } from '../pages/share-again/ShareAgainPage'
import { CozyImportPage } from '../pages/cozy-import/CozyImportPage'
import { DeleteAccountPage } from '../pages/delete-account/DeleteAccountPage'

export interface AppRoute {
  path: string
  /** Key under `app.nav` for the menu label. */
  navKey: string
  icon: React.ComponentType<Record<string, unknown>>
  Page: React.ComponentType
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
