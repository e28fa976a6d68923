/**
 * Child process, the 5 GB import check's reference: streams the largest entry of a zip out
 * with yauzl (not the project's reader), and prints its name, size, MD5 (base64, as the stack
 * gives `md5sum`) and whether its CRC-32 matches the central directory's.
 * argv: ARCHIVE
 */
import crypto from 'crypto'
import zlib from 'zlib'
import yauzl from 'yauzl'

function largest(path: string): Promise<{ zip: yauzl.ZipFile; entry: yauzl.Entry }> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err || !zip) return reject(err)
      let best: yauzl.Entry | null = null
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!best || entry.uncompressedSize > best.uncompressedSize) best = entry
        zip.readEntry()
      })
      zip.on('end', () => (best ? resolve({ zip, entry: best }) : reject(new Error('empty zip'))))
      zip.on('error', reject)
      zip.readEntry()
    })
  })
}

async function main(): Promise<void> {
  const { zip, entry } = await largest(process.argv[2])
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (err, s) => (err || !s ? reject(err) : resolve(s))))
  const md5 = crypto.createHash('md5')
  let crc = 0
  let bytes = 0
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    md5.update(chunk)
    crc = zlib.crc32(chunk, crc)
    bytes += chunk.length
  }
  zip.close()
  process.stdout.write(JSON.stringify({ path: entry.fileName, size: entry.uncompressedSize, bytes, md5: md5.digest('base64'), crcOk: crc >>> 0 === entry.crc32 >>> 0 }))
}

main().catch(err => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  process.exitCode = 1
})
