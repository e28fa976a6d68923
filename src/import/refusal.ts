/**
 * When an archive is refused, and with which code: one set of checks for `mes-donnees inspect`
 * and the import (engine.ts), so that what one accepts the other accepts too, and both name a
 * refusal with the same code (the codes of ImportErrorCode, listed in bin/exit-codes.ts).
 */
import { EntArchiveError, type AppLocation, type EntArchive } from '../ent/node'
import type { ImportErrorCode } from './records'

/** The import's code for an archive that cannot be opened as an ENT export. */
export function archiveErrorCode(err: EntArchiveError): ImportErrorCode {
  switch (err.code) {
    case 'not-an-ent-export':
      return 'NOT_AN_ENT_EXPORT'
    case 'encrypted':
    case 'unsupported':
      return 'ARCHIVE_UNSUPPORTED'
    case 'too-large':
      return 'ARCHIVE_TOO_LARGE'
    case 'io':
      return 'NO_ARCHIVE'
    default:
      return 'ARCHIVE_CORRUPT'
  }
}

/** The apps whose data is in the archive: a Manifest line without its folder has nothing to import. */
export function appsWithData(apps: AppLocation[]): AppLocation[] {
  return apps.filter(app => app.folder !== null)
}

export const NO_APPLICATION_DATA = 'This archive holds no application data.'

/**
 * Why an opened archive is refused as a whole, or null. An export whose Manifest lists apps
 * none of which left a folder opens (it is an ENT export), but holds nothing to import.
 */
export function refusalOf(archive: EntArchive): { code: ImportErrorCode; message: string } | null {
  return appsWithData(archive.apps).length === 0 ? { code: 'EMPTY_SELECTION', message: NO_APPLICATION_DATA } : null
}
