/** Child process, the baseline: lists every entry of the zip's central directory with yauzl. */
import yauzl from 'yauzl'
import { peakRssMiB } from './peak-rss'

const started = process.hrtime.bigint()
yauzl.open(process.argv[2], { lazyEntries: true, decodeStrings: false }, (err, zip) => {
  if (err || !zip) throw err
  let entries = 0
  let bytes = 0
  zip.on('entry', (entry: yauzl.Entry) => {
    entries++
    bytes += entry.uncompressedSize
    zip.readEntry()
  })
  zip.on('end', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    const cpu = process.cpuUsage()
    process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: peakRssMiB(), entries, bytes }))
  })
  zip.readEntry()
})
