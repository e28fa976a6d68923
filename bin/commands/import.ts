import { Command } from 'commander'
import { ImportError, runImport, type ArchiveAccess, type ImportOutcome } from '../../src/import/engine'
import type { ImportReport } from '../../src/import/records'
import { StackClient } from '../../src/import/stack/client'
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, exitCodeOf } from '../exit-codes'

/** The import stopped at its time limit (--time-limit): run the same command again to go on. */
export const EXIT_PAUSED = 3
export const EXIT_ALREADY_IMPORTED = 4

interface ImportCliOptions {
  fileId?: string
  cozy?: string
  token?: string
  only?: string
  into?: string
  dryRun?: boolean
  json?: boolean
  includeTrash?: boolean
  concurrency?: string
  timeLimit?: string
  access?: string
  importId?: string
  copy?: boolean
}

/** What `--json` prints (the issue's contract), plus the import id and the time per app. */
export function jsonReport(outcome: ImportOutcome): Record<string, unknown> {
  const report = outcome.report
  return {
    state: outcome.state,
    ...(outcome.alreadyDone ? { alreadyDone: true } : {}),
    importId: outcome.importId,
    importFolder: report.importFolder,
    apps: report.apps.map(a => ({ app: a.app, folder: a.folder, items: a.items, imported: a.imported, skipped: a.skipped, notSelected: a.notSelected, failed: a.failed, bytes: a.bytes, durationMs: a.durationMs })),
    pendingShares: report.pendingShares,
    errors: report.errors,
    notices: report.notices ?? []
  }
}

export function formatReport(state: string, report: ImportReport, dryRun: boolean): string {
  const lines: string[] = []
  lines.push(`${dryRun ? 'Dry run' : 'Import'}: ${state}${report.importFolder ? ` into ${report.importFolder.path}` : ''}`)
  const header = ['app', 'items', dryRun ? 'planned' : 'imported', 'already there', 'not selected', 'failed', 'bytes', 'seconds']
  const rows = report.apps.map(a => [a.app, String(a.items), String(a.imported), String(a.skipped), String(a.notSelected), String(a.failed), String(a.bytes), (a.durationMs / 1000).toFixed(1)])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  const format = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  lines.push(format(header))
  for (const row of rows) lines.push(format(row))
  lines.push(`Pending shares: ${report.pendingShares}`)
  if (report.errors.length) {
    lines.push(`Failed items (${report.errors.length}):`)
    for (const e of report.errors) lines.push(`  [${e.app}] ${e.item}: ${e.reason}`)
  }
  if (report.notices?.length) {
    lines.push(`Imported with a change (${report.notices.length}):`)
    for (const n of report.notices) lines.push(`  [${n.app}] ${n.item}: ${n.reason}`)
  }
  return `${lines.join('\n')}\n`
}

export function registerImport(program: Command, setCode: (code: number) => void): void {
  program
    .command('import')
    .description('Import an ENT "Mes données" archive into a Cozy (files, notes, events, mails, pending shares)')
    .usage('(ARCHIVE | --file-id ID) --cozy URL --token TOKEN [--only app,…] [--into PATH] [--dry-run] [--json]')
    .argument('[archive]', 'path of the zip on this machine')
    .option('--file-id <id>', 'io.cozy.files id of an archive already stored in the Cozy')
    .option('--cozy <url>', 'the Cozy (instance URL)')
    .option('--token <token>', 'a token with the konnector\'s permissions (or set COZY_TOKEN)')
    .option('--only <apps>', 'comma-separated ENT apps to import (as `mes-donnees inspect` names them)')
    .option('--into <path>', 'folder in which the import folder is created', '/Mes données ENT')
    .option('--include-trash', 'import the workspace trash too')
    .option('--dry-run', 'plan and count, write nothing')
    .option('--json', 'print the report as JSON')
    .option('--concurrency <n>', 'uploads in flight at once', '4')
    .option('--time-limit <seconds>', 'stop cleanly after this many seconds (exit 3: run again to go on)')
    .option('--access <mode>', 'for --file-id: read the archive by HTTP Range requests (range), from a temporary copy (copy: NO_TEMP_DIR when no writable temporary folder holds it), or copy up to 512 MiB where such a folder exists (auto)', 'auto')
    .option('--import-id <id>', 'import record id (default: derived from the archive)')
    .option('--copy', 'import the archive again into a folder of its own, even if this export was imported before')
    .addHelpText('after', '\nExit codes: 0 done, 1 failed, 2 bad usage or unreadable archive, 3 paused at --time-limit (run again), 4 already imported (see --copy).')
    .action(async (archivePath: string | undefined, options: ImportCliOptions) => {
      const fail = (code: number, message: string): void => {
        process.stderr.write(`mes-donnees import: ${message}\n`)
        setCode(code)
      }
      if (!archivePath === !options.fileId) return fail(EXIT_USAGE, 'give either an ARCHIVE path or --file-id')
      const token = options.token ?? process.env.COZY_TOKEN
      if (!options.dryRun && (!options.cozy || !token)) return fail(EXIT_USAGE, '--cozy and --token are required (except with --dry-run on a local archive)')
      if (options.fileId && (!options.cozy || !token)) return fail(EXIT_USAGE, '--file-id needs --cozy and --token')
      const access = options.access as ArchiveAccess
      if (access !== 'range' && access !== 'copy' && access !== 'auto') return fail(EXIT_USAGE, '--access is range, copy or auto')
      const concurrency = Number(options.concurrency)
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) return fail(EXIT_USAGE, '--concurrency is a whole number from 1 to 64')
      const timeLimit = options.timeLimit === undefined ? null : Number(options.timeLimit)
      if (timeLimit !== null && !(timeLimit > 0)) return fail(EXIT_USAGE, '--time-limit is a number of seconds')
      const selection = options.only
        ? options.only
            .split(',')
            .map(s => s.trim())
            .filter(Boolean)
        : null
      const client = options.cozy && token ? new StackClient(options.cozy, token) : null
      try {
        const outcome = await runImport({
          client,
          archive: archivePath ? { kind: 'file', path: archivePath } : { kind: 'cozy', fileId: String(options.fileId), access },
          selection,
          includeTrash: options.includeTrash === true,
          destination: { path: options.into },
          importId: options.importId,
          deadline: timeLimit === null ? null : Date.now() + timeLimit * 1000,
          concurrency,
          dryRun: options.dryRun === true,
          force: true,
          copy: options.copy === true,
          refuseEarlier: options.importId === undefined,
          log: options.json ? undefined : line => process.stderr.write(`${line}\n`)
        })
        if (outcome.alreadyDone && !options.json) process.stderr.write(`import ${outcome.importId} was already done: nothing written; its report follows.\n`)
        process.stdout.write(options.json ? `${JSON.stringify(jsonReport(outcome), null, 2)}\n` : formatReport(outcome.state, outcome.report, options.dryRun === true))
        setCode(outcome.state === 'paused' ? EXIT_PAUSED : EXIT_OK)
      } catch (err) {
        if (err instanceof ImportError) {
          if (options.json) process.stdout.write(`${JSON.stringify({ state: 'failed', error: { code: err.code, message: err.message } }, null, 2)}\n`)
          if (err.code === 'ALREADY_IMPORTED') return fail(EXIT_ALREADY_IMPORTED, err.message)
          return fail(exitCodeOf(err.code), `${err.code}: ${err.message}`)
        }
        const message = err instanceof Error ? err.message : String(err)
        if (options.json) process.stdout.write(`${JSON.stringify({ state: 'failed', error: { code: 'UNKNOWN_ERROR', message } }, null, 2)}\n`)
        fail(EXIT_FAILURE, `UNKNOWN_ERROR: ${message}`)
      }
    })
}
