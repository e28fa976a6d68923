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

/** vfs.ExtractMimeAndClass (model/vfs/vfs.go). */
export function mimeAndClass(contentType: string): { mime: string; class: string } {
  const mime = (contentType || DEFAULT_MIME).split(';')[0].trim()
  let cls: string
  switch (mime) {
    case DEFAULT_MIME:
      cls = 'files'
      break
    case 'text/html':
    case 'text/css':
    case 'text/xml':
    case 'application/js':
      cls = 'code'
      break
    case 'application/pdf':
      cls = 'pdf'
      break
    case 'application/vnd.ms-powerpoint':
    case 'application/vnd.oasis.opendocument.presentation':
    case 'application/vnd.openxmlformats-officedocument.presentationml.presentation':
      cls = 'slide'
      break
    case 'application/vnd.ms-excel':
    case 'application/vnd.oasis.opendocument.spreadsheet':
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      cls = 'spreadsheet'
      break
    case 'application/msword':
    case 'application/vnd.oasis.opendocument.text':
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      cls = 'text'
      break
    case 'application/x-7z-compressed':
    case 'application/x-rar-compressed':
    case 'application/zip':
    case 'application/gzip':
    case 'application/x-tar':
      cls = 'zip'
      break
    default: {
      const top = mime.split('/')[0]
      cls = ['image', 'audio', 'video', 'text'].includes(top) ? top : 'files'
    }
  }
  return { mime, class: cls }
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
