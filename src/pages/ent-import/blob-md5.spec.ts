import crypto from 'crypto'
import { blobMd5 } from './blob-md5'

describe('blobMd5', () => {
  it('gives the base64 MD5 the stack stores, over several slices', async () => {
    const bytes = new Uint8Array(crypto.randomBytes(9 * 1024 * 1024 + 17))
    const expected = crypto.createHash('md5').update(bytes).digest('base64')
    expect(await blobMd5(new Blob([bytes]))).toBe(expected)
    expect(await blobMd5(new Blob([]))).toBe(crypto.createHash('md5').digest('base64'))
  })
})
