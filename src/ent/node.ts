/**
 * Reading ENT archives from Node (konnector, command line): everything from the browser-safe
 * index, plus files on disk, HTTP Range URLs (a file stored in a Cozy) and zlib decompression.
 */
import { EntArchive, OpenOptions } from './archive'
import { fileSource } from './zip/node-file-source'
import { HttpSourceOptions, httpRangeSource } from './zip/node-http-source'
import { downloadingSource } from './zip/node-download-source'
import { nodePlatform } from './zip/node-platform'

export * from './index'
export { fileSource } from './zip/node-file-source'
export { httpRangeSource } from './zip/node-http-source'
export type { HttpSourceOptions } from './zip/node-http-source'
export { nodePlatform } from './zip/node-platform'

/** Opens an archive on the local disk. */
export async function openArchiveFile(path: string, options: OpenOptions = {}): Promise<EntArchive> {
  const source = await fileSource(path)
  try {
    return await EntArchive.open(source, { platform: nodePlatform, ...options })
  } catch (err) {
    await source.close()
    throw err
  }
}

/**
 * Opens a remote archive through HTTP Range requests, e.g.
 * `openArchiveUrl(`${cozyUrl}/files/download/${fileId}`, {headers: {Authorization: `Bearer ${token}`}})`.
 */
export async function openArchiveUrl(url: string, options: OpenOptions & HttpSourceOptions = {}): Promise<EntArchive> {
  const { headers, maxRedirects, timeoutMs, ...open } = options
  const source = await httpRangeSource(url, { headers, maxRedirects, timeoutMs })
  return EntArchive.open(source, { platform: nodePlatform, ...open })
}

/**
 * Opens a remote archive while copying it to `copyPath` (a new file the caller removes): reads
 * are served from the copy as it fills, by Range requests ahead of it (node-download-source.ts).
 */
export async function openArchiveDownloading(url: string, copyPath: string, options: OpenOptions & HttpSourceOptions = {}): Promise<EntArchive> {
  const { headers, maxRedirects, timeoutMs, ...open } = options
  const source = await downloadingSource(url, copyPath, { headers, maxRedirects, timeoutMs })
  try {
    return await EntArchive.open(source, { platform: nodePlatform, ...open })
  } catch (err) {
    await source.close()
    throw err
  }
}
