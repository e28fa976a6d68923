/**
 * The chunking check, too heavy for `npm test`: a generated ~300 MB archive imported
 * by the built konnector on the stand-in's konnector worker with COZY_TIME_LIMIT=30 (the
 * stand-in's konnector timeout 25 s, plus the stack's 5 s gap), so the import must stop
 * before each job's limit and continue in new jobs (@in triggers) until done. The result is
 * compared with an uninterrupted import of the same archive (one job, default limit):
 * same folders, files, sizes, MD5s and keys, same number of events and pending shares. Both
 * stand-ins wait 20 ms before each request, so that a fast machine still needs several jobs.
 * Needs `npm run build` first (the stand-in's --seed-demo installs build/konnectors/ent-import).
 */
import { createReadStream, existsSync, statSync } from 'fs'
import os from 'os'
import path from 'path'
import { writeEntArchive } from '../test/fixtures/ent-archive'
import { allDocs, snapshotTree } from '../test/integration/import/snapshot'
import { IMPORTS_DOCTYPE, PENDING_SHARES_DOCTYPE, type ImportRecord } from '../src/import/records'
import { StackClient } from '../src/import/stack/client'
import type { Benchmark } from './bench'
import { startStackProcess } from './stack-process'

const ROOT = path.resolve(__dirname, '..')

/** The stand-in's delay before each request, in both runs (`mes-donnees stack --request-latency`). */
const REQUEST_LATENCY_MS = 20

async function importThroughKonnector(archive: string, stackArgs: string[], log: (m: string) => void): Promise<{ ms: number; record: ImportRecord; state: Awaited<ReturnType<typeof snapshotTree>>; events: number; shares: number }> {
  const stack = await startStackProcess(['--seed-demo', ...stackArgs])
  try {
    const alice = stack.instances[0]
    const admin = new StackClient(alice.url, alice.cliToken)
    const file = await admin.uploadFile('io.cozy.files.root-dir', path.basename(archive), createReadStream(archive), { size: statSync(archive).size, contentType: 'application/zip' })
    const started = Date.now()
    await admin.queueJob('konnector', { konnector: 'ent-import', fileId: file._id, importId: 'bench' })
    let record: (ImportRecord & { _id: string }) | null = null
    let lastJobs = 0
    while (!record || (record.state !== 'done' && record.state !== 'failed')) {
      if (Date.now() - started > 30 * 60_000) throw new Error('the import did not finish in 30 minutes')
      await new Promise(resolve => setTimeout(resolve, 1000))
      record = await admin.getDoc<ImportRecord & { _id: string }>(IMPORTS_DOCTYPE, 'bench')
      if (record && record.jobs !== lastJobs) {
        lastJobs = record.jobs
        log(`  job ${record.jobs}: ${record.state}, ${record.progress.bytesDone} bytes written`)
      }
    }
    const ms = Date.now() - started
    if (record.state !== 'done') throw new Error(`the import ended ${record.state}: ${record.error?.message ?? ''}`)
    const state = await snapshotTree(admin, String(record.importFolder?.path))
    const events = (await allDocs(alice.url, alice.cliToken, 'io.cozy.calendar.events')).length
    const shares = (await allDocs(alice.url, alice.cliToken, PENDING_SHARES_DOCTYPE)).length
    return { ms, record, state, events, shares }
  } finally {
    await stack.stop()
  }
}

export const benchmark: Benchmark = {
  name: 'import-chunked',
  description: 'konnector import of a ~300 MB archive with COZY_TIME_LIMIT=30 and 20 ms per request: several jobs, same result as one uninterrupted job',
  async run({ outDir, log }) {
    if (!existsSync(path.join(ROOT, 'build/konnectors/ent-import/index.js'))) throw new Error('run npm run build first (the benchmark runs the built konnector)')
    const archive = path.join(outDir, 'ent-import-300mb.zip')
    if (!existsSync(archive) || process.env.BENCH_REGENERATE) {
      log(`generating ${archive} …`)
      await writeEntArchive(archive, { workspaceFiles: 600, workspaceFolders: 20, fileBytes: 500_000, resourcesPerApp: 3 })
    }
    const load = os.loadavg()[0]
    // 20 ms before every request, as a remote Cozy adds: the import then needs more than one
    // job's 10 s of work whatever the machine's speed (≈ 2,300 requests, 4 in flight).
    const latency = ['--request-latency', String(REQUEST_LATENCY_MS)]
    log(`chunked: konnector time limit 25 s (COZY_TIME_LIMIT=30), ${REQUEST_LATENCY_MS} ms per request …`)
    const chunked = await importThroughKonnector(archive, ['--konnector-time-limit', '25', ...latency], log)
    log('reference: one job, default limit, same latency …')
    const whole = await importThroughKonnector(archive, latency, log)
    const same = JSON.stringify(chunked.state.map(({ created: _c, ...e }) => e)) === JSON.stringify(whole.state.map(({ created: _c, ...e }) => e))
    const sameDates = JSON.stringify(chunked.state) === JSON.stringify(whole.state)
    return {
      metrics: [
        { name: 'chunked: jobs used', value: chunked.record.jobs, unit: '', goal: { min: 2 } },
        { name: 'chunked: total time (first job queued → done)', value: chunked.ms / 1000, unit: 's' },
        { name: 'one job: total time', value: whole.ms / 1000, unit: 's' },
        { name: 'ratio chunked / one job', value: chunked.ms / whole.ms, unit: 'x' },
        { name: 'same tree, sizes, MD5s and keys (1 = yes)', value: same && sameDates ? 1 : 0, unit: '', goal: { min: 1 } },
        { name: 'chunked: failed items', value: chunked.record.errorCount, unit: '', goal: { max: 0 } }
      ],
      notes: [
        `archive ${statSync(archive).size} bytes; ${chunked.state.length} folders and files; ${chunked.events} events and ${chunked.shares} pending shares (one job: ${whole.events} and ${whole.shares})`,
        `stand-in latency ${REQUEST_LATENCY_MS} ms per request in both runs; load average at start: ${load.toFixed(1)} on ${os.cpus().length} CPUs`
      ]
    }
  }
}
