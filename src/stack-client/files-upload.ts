/**
 * The files routes of the ENT import that are not cozy-client's queries or FileCollection calls
 * (folders are read and made by src/pages/ent-import/drive-files.ts): the URL a preview reads
 * with Range requests, and an upload that reports its progress and can be cancelled.
 * cozy-client reports progress through XMLHttpRequest (cozy-stack-client/dist/xhrFetch.js,
 * chosen by CozyStackClient.fetch when `onUploadProgress` is given) but never lets it be
 * aborted: that XHR is not exposed and `signal` is not read. So this upload is its own XHR.
 */
import type { StackFetcher } from './fetcher'
import { StackError, genericErrorKey, jsonApiErrorsOf, type ErrorRule } from './StackError'
import { singleResource, stringAttr, numberAttr, type JsonApiResource } from './jsonapi'

export interface DriveFile {
  id: string
  name: string
  type: 'file' | 'directory'
  path?: string
  dirId?: string
  size?: number
  mime?: string
  /** Base64 MD5 of the content, as the stack computes it at upload. */
  md5sum?: string
  updatedAt?: string
}

export interface UploadProgress {
  loaded: number
  total: number
}

export interface UploadRequest {
  dirId: string
  name: string
  onProgress?(progress: UploadProgress): void
  signal?: AbortSignal
}

/** Thrown when the user cancelled an upload. */
export class UploadCancelled extends Error {
  override readonly name = 'UploadCancelled'
}

const UPLOAD_RULES: ErrorRule[] = [
  // The stack checks the quota against Content-Length (vfs.ErrFileTooBig → 413).
  { status: 413, key: 'entImport.errors.notEnoughSpace' },
  { status: 409, key: 'entImport.errors.alreadyExists' }
]

export function toDriveFile(resource: JsonApiResource): DriveFile {
  const attrs = resource.attributes
  return {
    id: resource.id,
    name: stringAttr(attrs, 'name') ?? '',
    type: attrs.type === 'directory' ? 'directory' : 'file',
    path: stringAttr(attrs, 'path'),
    dirId: stringAttr(attrs, 'dir_id'),
    size: numberAttr(attrs, 'size'),
    mime: stringAttr(attrs, 'mime'),
    md5sum: stringAttr(attrs, 'md5sum'),
    updatedAt: stringAttr(attrs, 'updated_at')
  }
}

/** Builds the StackError of a failed XHR upload, with the same rules as fetchJSON calls. */
function uploadError(status: number, responseText: string): StackError {
  let body: unknown = responseText
  try {
    body = JSON.parse(responseText) as unknown
  } catch {
    // a plain-text answer
  }
  const errors = jsonApiErrorsOf(body)
  const rule = UPLOAD_RULES.find(r => r.status === status)
  return new StackError(status, rule?.key ?? genericErrorKey(status), errors)
}

export function filesApi(stack: StackFetcher) {
  return {
    /** URL of a file's content, read with Range requests by the preview. */
    downloadUrl(id: string): string {
      return `${stack.uri}/files/download/${encodeURIComponent(id)}`
    },

    authorization(): string | null {
      return stack.getAuthorizationHeader()
    },

    /** `POST /files/:dir-id?Type=file&Name=…` with the blob as body, progress and cancel. */
    upload(blob: Blob, request: UploadRequest): Promise<DriveFile> {
      return new Promise<DriveFile>((resolve, reject) => {
        const xhr = new XMLHttpRequest()
        const url = `${stack.uri}/files/${encodeURIComponent(request.dirId)}?Type=file&Name=${encodeURIComponent(request.name)}&Executable=false`
        xhr.open('POST', url)
        // The app token is bound to the user's session: the stack wants its cookie beside it (as cozy-client sends it).
        xhr.withCredentials = true
        const authorization = stack.getAuthorizationHeader()
        if (authorization) xhr.setRequestHeader('Authorization', authorization)
        xhr.setRequestHeader('Content-Type', blob.type || 'application/zip')
        xhr.upload.onprogress = event => request.onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : blob.size })
        xhr.onload = () => {
          if (xhr.status >= 200 && xhr.status < 300) {
            try {
              resolve(toDriveFile(singleResource(JSON.parse(xhr.responseText) as unknown)))
            } catch {
              reject(new StackError(xhr.status, 'stackErrors.server'))
            }
          } else reject(uploadError(xhr.status, xhr.responseText))
        }
        xhr.onerror = () => reject(new StackError(0, 'stackErrors.network'))
        xhr.onabort = () => reject(new UploadCancelled('Upload cancelled'))
        if (request.signal) {
          if (request.signal.aborted) return reject(new UploadCancelled('Upload cancelled'))
          request.signal.addEventListener('abort', () => xhr.abort(), { once: true })
        }
        xhr.send(blob)
      })
    }
  }
}

export type FilesApi = ReturnType<typeof filesApi>
