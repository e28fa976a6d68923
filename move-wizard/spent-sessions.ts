import { promises as fs } from 'fs'
import path from 'path'

/**
 * Sessions live in sealed cookies, so a copy of the cookie taken before the hand-over would
 * otherwise stay valid until it expires, and could replay the move's tokens. The hand-over
 * uses the session up: its id is written here, and every later request carrying it is refused.
 * An id only needs remembering until the session's absolute end (after which the cookie is
 * refused anyway), so the store stays as small as the moves of the last few hours.
 */
export interface SpentSessions {
  /** Marks the id used up until `untilSeconds` (Unix time); false when it already was. */
  spend(id: string, untilSeconds: number, nowMs?: number): Promise<boolean>
  isSpent(id: string, nowMs?: number): Promise<boolean>
}

/** One process: a map, swept of ids whose session has ended. */
export class MemorySpentSessions implements SpentSessions {
  private readonly spent = new Map<string, number>()

  async spend(id: string, untilSeconds: number, nowMs = Date.now()): Promise<boolean> {
    this.sweep(nowMs)
    if (this.spent.has(id)) return false
    this.spent.set(id, untilSeconds)
    return true
  }

  async isSpent(id: string, nowMs = Date.now()): Promise<boolean> {
    const until = this.spent.get(id)
    return until !== undefined && until * 1000 > nowMs
  }

  private sweep(nowMs: number): void {
    for (const [id, until] of this.spent) if (until * 1000 <= nowMs) this.spent.delete(id)
  }
}

const ID = /^[A-Za-z0-9_-]{16,64}$/

/**
 * Several replicas: a directory they all mount (MOVE_WIZARD_STATE_DIR). Spending creates the
 * file `<id>` with O_CREAT|O_EXCL, which exactly one replica wins even when two receive the
 * same cookie at once; the file holds the session's end, after which any replica may delete it.
 */
export class DirectorySpentSessions implements SpentSessions {
  private lastSweep = 0

  constructor(private readonly dir: string) {}

  async spend(id: string, untilSeconds: number, nowMs = Date.now()): Promise<boolean> {
    if (!ID.test(id)) return false
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 })
    await this.sweep(nowMs)
    try {
      await fs.writeFile(path.join(this.dir, id), String(untilSeconds), { flag: 'wx', mode: 0o600 })
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw err
    }
  }

  async isSpent(id: string, nowMs = Date.now()): Promise<boolean> {
    if (!ID.test(id)) return true
    try {
      const until = Number(await fs.readFile(path.join(this.dir, id), 'utf8'))
      // A file being written reads empty: count it as spent.
      return !Number.isFinite(until) || until === 0 || until * 1000 > nowMs
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
      throw err
    }
  }

  /** At most once a minute: deletes the files of sessions that have ended. */
  private async sweep(nowMs: number): Promise<void> {
    if (nowMs - this.lastSweep < 60_000) return
    this.lastSweep = nowMs
    for (const name of await fs.readdir(this.dir)) {
      if (!ID.test(name)) continue
      const file = path.join(this.dir, name)
      const until = Number(await fs.readFile(file, 'utf8').catch(() => ''))
      if (Number.isFinite(until) && until > 0 && until * 1000 <= nowMs) await fs.rm(file, { force: true })
    }
  }
}

export function spentSessionsFor(stateDir: string | undefined): SpentSessions {
  return stateDir ? new DirectorySpentSessions(stateDir) : new MemorySpentSessions()
}
