import { Command } from 'commander'
import { ArchiveDescription, EntArchive, EntArchiveError, describeArchive, openArchiveFile, openArchiveUrl } from '../../src/ent/node'
import type { ImportErrorCode } from '../../src/import/records'
import { archiveErrorCode, refusalOf } from '../../src/import/refusal'
import { EXIT_OK, exitCodeOf } from '../exit-codes'

interface InspectOptions {
  json?: boolean
  header?: string[]
}

function humanBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}

/** The human-readable report: who, when, one line per app, then the warnings. */
export function formatDescription(description: ArchiveDescription): string {
  const lines: string[] = []
  lines.push(`Export:    ${description.exportId ?? '(unknown)'}`)
  lines.push(`Exported:  ${description.exportedAt ?? '(unknown)'}`)
  lines.push(`User:      ${description.user.id ?? '(unknown)'}${description.user.name ? ` (${description.user.name})` : ''}`)
  lines.push('')
  const header = ['app', 'folder', 'version', 'items', 'resources', 'documents', 'bytes', 'shares']
  const rows = description.apps.map(a => [a.app, a.folder ?? '-', a.version ?? '-', String(a.items), String(a.resources), String(a.documents), humanBytes(a.bytes), String(a.shares)])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  const numeric = new Set([3, 4, 5, 6])
  const format = (cells: string[]): string =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  lines.push(format(header))
  for (const row of rows) lines.push(format(row))
  lines.push('')
  if (description.warnings.length === 0) lines.push('No warnings.')
  else {
    lines.push(`Warnings (${description.warnings.length}):`)
    for (const warning of description.warnings) lines.push(`  [${warning.code}] ${warning.message}`)
  }
  return `${lines.join('\n')}\n`
}

/** The archive as named in messages: URLs without query or credentials (they may carry tokens). */
function displayName(archive: string): string {
  if (!/^https?:\/\//i.test(archive)) return archive
  try {
    const url = new URL(archive)
    return `${url.origin}${url.pathname}`
  } catch {
    return 'the archive URL'
  }
}

function parseHeaders(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const value of values) {
    const colon = value.indexOf(':')
    if (colon <= 0) throw new EntArchiveError('io', `Bad --header "${value}": expected "Name: value".`)
    headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim()
  }
  return headers
}

/** An archive refused after opening, for the reason the import would refuse it. */
class Refused extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string
  ) {
    super(message)
  }
}

/** The code of what stopped `inspect` (bin/exit-codes.ts): the import's code for the same archive. */
function errorCodeOf(err: unknown): ImportErrorCode {
  if (err instanceof Refused) return err.code
  if (err instanceof EntArchiveError) return archiveErrorCode(err)
  return 'UNKNOWN_ERROR'
}

export function registerInspect(program: Command, setCode: (code: number) => void): void {
  program
    .command('inspect')
    .description('Describe an ENT "Mes données" archive: export, user, apps, counts, warnings')
    .argument('<archive>', 'path of the zip, or an http(s) URL served with Range support')
    .option('--json', 'print the description as JSON')
    .option('-H, --header <header...>', 'HTTP header for a URL archive, e.g. "Authorization: Bearer …"')
    .addHelpText('after', '\nExit codes: 0 described, 2 archive refused (its code and message on stderr, {"error":{"code","message"}} with --json: the code `import` gives the same archive), 1 a fault of this program (UNKNOWN_ERROR).')
    .action(async (archivePath: string, options: InspectOptions) => {
      let archive: EntArchive | null = null
      try {
        archive = /^https?:\/\//i.test(archivePath)
          ? await openArchiveUrl(archivePath, { headers: parseHeaders(options.header ?? []) })
          : await openArchiveFile(archivePath)
        const refused = refusalOf(archive)
        if (refused) throw new Refused(refused.code, refused.message)
        const description = await describeArchive(archive)
        process.stdout.write(options.json ? `${JSON.stringify(description, null, 2)}\n` : formatDescription(description))
        setCode(EXIT_OK)
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        const code = errorCodeOf(err)
        if (options.json) process.stdout.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`)
        process.stderr.write(`mes-donnees inspect: ${displayName(archivePath)}: ${code}: ${message}\n`)
        setCode(exitCodeOf(code))
      } finally {
        await archive?.close().catch(() => undefined)
      }
    })
}
