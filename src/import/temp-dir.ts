/**
 * Whether an archive may be copied to local disk before reading. The stack runs konnectors in
 * a jail (cozy-stack scripts/konnector-nsjail-node-run.sh): read-only root, no /tmp, files
 * capped at 1 GiB by RLIMIT_FSIZE. Writing past that limit raises SIGXFSZ, which kills the
 * process, so nothing is assumed: a folder is used only once a file was created in it, its
 * free space covers the copy, and the copy stays under the process's file-size limit.
 */
import { randomBytes } from 'crypto'
import { constants, promises as fs } from 'fs'
import os from 'os'
import path from 'path'

/** Room left free beside a copy (the stack's own temporary files, logs). */
export const FREE_SPACE_MARGIN = 16 * 1024 * 1024

export interface TempDir {
  dir: string
  /** Bytes an unprivileged process may still write there (statfs bavail × bsize). */
  freeBytes: number
  /** The soft RLIMIT_FSIZE of this process, Infinity when unlimited. */
  fileSizeLimit: number
}

/**
 * The soft "Max file size" of /proc/<pid>/limits, in bytes. Null when the line is absent or
 * unreadable: the limit is then unknown.
 */
export function parseFileSizeLimit(limits: string): number | null {
  const line = limits.split('\n').find(l => l.startsWith('Max file size'))
  if (!line) return null
  const soft = line.slice('Max file size'.length).trim().split(/\s+/)[0]
  if (soft === 'unlimited') return Infinity
  const bytes = Number(soft)
  return Number.isFinite(bytes) && bytes >= 0 ? bytes : null
}

/**
 * This process's file-size limit. Linux tells it in /proc; when /proc is not mounted (a jail
 * may leave it out) the limit cannot be known and counts as 0 (no copy). Other systems have no
 * /proc and no such jail: no limit is assumed there.
 */
export async function fileSizeLimit(): Promise<number> {
  if (process.platform !== 'linux') return Infinity
  const text = await fs.readFile('/proc/self/limits', 'utf8').catch(() => null)
  return (text === null ? null : parseFileSizeLimit(text)) ?? 0
}

/** Creates then removes a file with O_EXCL in `dir`: the only proof that it is writable. */
async function canCreateIn(dir: string): Promise<boolean> {
  const probe = path.join(dir, `.ent-import-probe-${process.pid}-${randomBytes(6).toString('hex')}`)
  let handle: fs.FileHandle
  try {
    handle = await fs.open(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600)
  } catch {
    return false
  }
  await handle.close()
  try {
    await fs.unlink(probe)
  } catch {
    // A folder where a file can be created but not removed would fill up with copies.
    return false
  }
  return true
}

/** The folder, when a file can be created in it, with its free space and the size limit. */
export async function probeTempDir(dir: string): Promise<TempDir | null> {
  if (!(await canCreateIn(dir))) return null
  const stats = await fs.statfs(dir).catch(() => null)
  if (!stats) return null
  return { dir, freeBytes: stats.bavail * stats.bsize, fileSizeLimit: await fileSizeLimit() }
}

/** Whether a copy of `bytes` fits in the folder and under the file-size limit. */
export function fits(temp: TempDir, bytes: number): boolean {
  return bytes <= temp.fileSizeLimit && bytes + FREE_SPACE_MARGIN <= temp.freeBytes
}

/** The given folder, else the system's (TMPDIR, TMP, TEMP, then /tmp: os.tmpdir()). */
export function tempDirCandidates(explicit?: string): string[] {
  return explicit ? [explicit] : [os.tmpdir()]
}

/** The first candidate proven writable where a copy of `bytes` fits; null when none. */
export async function tempDirFor(bytes: number, candidates: string[]): Promise<TempDir | null> {
  for (const dir of candidates) {
    const temp = await probeTempDir(dir)
    if (temp && fits(temp, bytes)) return temp
  }
  return null
}
