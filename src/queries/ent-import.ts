/**
 * What the ENT import pages read, as cozy-client query definitions with their `as` names and
 * fetch policies, the way cozy-drive's src/queries/index.js lists its own. RealTimeQueries on
 * the same doctypes keeps these queries up to date while a page is open.
 */
import { Q, fetchPolicies } from 'cozy-client'
import { IMPORTS_DOCTYPE } from '../import/records'

export const FILES_DOCTYPE = 'io.cozy.files'
export const JOBS_DOCTYPE = 'io.cozy.jobs'
export const ROOT_DIR_ID = 'io.cozy.files.root-dir'
export const TRASH_DIR_ID = 'io.cozy.files.trash-dir'

/** The MIME types a browser gives a .zip: application/x-zip-compressed on Windows. */
export const ZIP_MIME_TYPES = ['application/zip', 'application/x-zip-compressed', 'application/x-zip']

/** Data read less than this long ago is shown as is when a page opens again; realtime keeps it fresh meanwhile. */
const defaultFetchPolicy = fetchPolicies.olderThan(30 * 1000)

/** Every import record (a handful per user), sorted newest first by the page. */
export const buildImportRecordsQuery = () => ({
  definition: () => Q(IMPORTS_DOCTYPE).limitBy(null),
  options: { as: IMPORTS_DOCTYPE, fetchPolicy: defaultFetchPolicy }
})

export const buildImportRecordQuery = (id: string) => ({
  definition: () => Q(IMPORTS_DOCTYPE).getById(id),
  options: { as: `${IMPORTS_DOCTYPE}/${id}`, fetchPolicy: defaultFetchPolicy, singleDocData: true }
})

/**
 * The konnector job an import record names: its own state says why an import never ran. No
 * fetch policy: the page reads it again while the import has not ended (no realtime on jobs).
 */
export const buildJobQuery = (id: string) => ({
  definition: () => Q(JOBS_DOCTYPE).getById(id),
  options: { as: `${JOBS_DOCTYPE}/${id}`, singleDocData: true }
})

/**
 * Zip files in the Drive. The stack classes a zip by the MIME type it was uploaded with
 * (cozy-stack model/vfs/vfs.go ExtractMimeAndClass): `zip` for application/zip, but
 * `application` for the application/x-zip-compressed that Windows browsers send.
 */
export const buildDriveZipsQuery = () => ({
  definition: () =>
    Q(FILES_DOCTYPE)
      .where({ type: 'file', trashed: false, $or: [{ class: 'zip' }, { mime: { $in: ZIP_MIME_TYPES } }] })
      .indexFields(['type', 'trashed'])
      .limitBy(100),
  options: { as: 'ent-import/drive-zips', fetchPolicy: defaultFetchPolicy }
})

/** Sub-folders of a folder, by name, like cozy-drive's buildDriveQuery. */
export const buildSubFoldersQuery = (dirId: string) => ({
  definition: () =>
    Q(FILES_DOCTYPE)
      .where({ dir_id: dirId, type: 'directory', name: { $gt: null } })
      .indexFields(['dir_id', 'type', 'name'])
      .sortBy([{ dir_id: 'asc' }, { type: 'asc' }, { name: 'asc' }])
      .limitBy(100),
  options: { as: `ent-import/folders/${dirId}`, fetchPolicy: defaultFetchPolicy }
})
