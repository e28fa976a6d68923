import path from 'path'

/** filetype.ByExtension, for the extensions the project meets (ENT archives, notes, office files). */
const BY_EXTENSION: Record<string, string> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  '.xml': 'text/xml',
  '.json': 'application/json',
  '.js': 'application/javascript',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
  '.7z': 'application/x-7z-compressed',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.ics': 'text/calendar',
  '.eml': 'message/rfc822',
  '.mm': 'application/x-freemind',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.odp': 'application/vnd.oasis.opendocument.presentation',
  '.cozy-note': 'text/vnd.cozy.note+markdown'
}

export const DEFAULT_MIME = 'application/octet-stream'
export const NOTE_MIME = 'text/vnd.cozy.note+markdown'

export const SHORTCUT_MIME = 'application/internet-shortcut'

/** Classes of vfs.ExtractMimeAndClass (model/vfs/vfs.go); any other type is classed by its top-level type. */
const CLASS_BY_MIME: Record<string, string> = {
  [DEFAULT_MIME]: 'files',
  'application/x-apple-diskimage': 'binary',
  'application/x-msdownload': 'binary',
  'text/html': 'code',
  'text/css': 'code',
  'text/xml': 'code',
  'application/js': 'code',
  'text/x-c': 'code',
  'text/x-go': 'code',
  'text/x-python': 'code',
  'application/x-ruby': 'code',
  'application/pdf': 'pdf',
  'application/vnd.ms-powerpoint': 'slide',
  'application/x-iwork-keynote-sffkey': 'slide',
  'application/vnd.oasis.opendocument.presentation': 'slide',
  'application/vnd.oasis.opendocument.graphics': 'slide',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'slide',
  'application/vnd.ms-excel': 'spreadsheet',
  'application/x-iwork-numbers-sffnumbers': 'spreadsheet',
  'application/vnd.oasis.opendocument.spreadsheet': 'spreadsheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'spreadsheet',
  'application/msword': 'text',
  'application/x-iwork-pages-sffpages': 'text',
  'application/vnd.oasis.opendocument.text': 'text',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'text',
  'application/x-7z-compressed': 'zip',
  'application/x-rar-compressed': 'zip',
  'application/zip': 'zip',
  'application/gzip': 'zip',
  'application/x-tar': 'zip',
  [SHORTCUT_MIME]: 'shortcut'
}

/**
 * vfs.ExtractMimeAndClass (model/vfs/vfs.go): the MIME type without its parameters; the class
 * from the table, else the part before "/" (so "application/x-zip-compressed", what Windows
 * browsers send for a zip, is class "application", not "zip").
 */
export function mimeAndClass(contentType: string): { mime: string; class: string } {
  const mime = (contentType || DEFAULT_MIME).split(';')[0].trim()
  const slash = mime.indexOf('/')
  return { mime, class: CLASS_BY_MIME[mime] ?? (slash >= 0 ? mime.slice(0, slash) : mime) }
}

/** vfs.ExtractMimeAndClassFromFilename. */
export function mimeAndClassFromName(name: string): { mime: string; class: string } {
  return mimeAndClass(BY_EXTENSION[path.extname(name).toLowerCase()] ?? DEFAULT_MIME)
}

/** mime.ParseMediaType's acceptance: a token, optionally "/" and a token, then parameters. */
export function isValidMediaType(contentType: string): boolean {
  const token = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+"
  return new RegExp(`^${token}(/${token})?\\s*(;.*)?$`).test(contentType.trim())
}
