import type CozyClient from 'cozy-client'
import type { DriveFile } from '../../stack-client/files-upload'
import { readDriveZips } from './drive-files'

/**
 * The same zip already in the Drive (same size, then same MD5 as the stack computed it), so
 * that dropping it twice does not store it twice. Only a zip of the very same size costs
 * reading the local file.
 */
export async function storedCopyOf(client: CozyClient, file: Blob, signal?: AbortSignal): Promise<DriveFile | null> {
  const candidates = (await readDriveZips(client)).filter(zip => zip.size === file.size && zip.md5sum)
  if (candidates.length === 0) return null
  const { blobMd5 } = await import('./blob-md5')
  const md5 = await blobMd5(file, signal)
  return candidates.find(zip => zip.md5sum === md5) ?? null
}
