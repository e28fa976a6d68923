/**
 * The MD5 of a Blob, base64 as the stack keeps it in `md5sum`, read in slices so that a
 * multi-GB archive never sits in memory. Web Crypto has no MD5, hence spark-md5.
 */
import SparkMD5 from 'spark-md5'

const SLICE_BYTES = 4 * 1024 * 1024

function hexToBase64(hex: string): string {
  let binary = ''
  for (let i = 0; i < hex.length; i += 2) binary += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16))
  return btoa(binary)
}

export async function blobMd5(blob: Blob, signal?: AbortSignal): Promise<string> {
  const hash = new SparkMD5.ArrayBuffer()
  for (let offset = 0; offset < blob.size; offset += SLICE_BYTES) {
    if (signal?.aborted) throw new DOMException('The hashing was cancelled.', 'AbortError')
    hash.append(await blob.slice(offset, offset + SLICE_BYTES).arrayBuffer())
  }
  return hexToBase64(hash.end())
}
