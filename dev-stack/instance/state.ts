import crypto from 'crypto'
import { bytes } from '../util/bytes'
import { promises as fs } from 'fs'
import path from 'path'

/** An installed app or konnector: where its files are and the port slot of its webapp origin. */
export interface InstalledApp {
  slug: string
  type: 'webapp' | 'konnector'
  dir: string
  /** Index of the webapp's port after the instance's own (webapps only; stable across restarts). */
  slot?: number
}

/** What an instance keeps in `instance.json` (the stack keeps it in the global io.cozy.instances doc). */
export interface InstanceState {
  name: string
  /** Secret that signs this instance's tokens (hex); another instance cannot verify them. */
  secret: string
  /** scrypt hash of the passphrase, "salt:hash" in hex. */
  passphraseHash: string
  locale: string
  email: string
  publicName: string
  /** Disk quota in bytes; null = unlimited (the stack omits `quota` then). */
  quota: number | null
  contextName: string
  apps: Record<string, InstalledApp>
  konnectors: Record<string, InstalledApp>
  /** Set by a move: the instance's data moved to this URL (the move engineer's routes use it). */
  movedTo?: string
  /** Free-form settings other modules keep here (the move engineer's module, for instance). */
  extra: Record<string, unknown>
}

export function hashPassphrase(passphrase: string): string {
  const salt = crypto.randomBytes(16)
  const hash = crypto.scryptSync(passphrase, bytes(salt), 32)
  return `${salt.toString('hex')}:${hash.toString('hex')}`
}

export function checkPassphrase(stored: string, passphrase: string): boolean {
  const [saltHex, hashHex] = stored.split(':')
  if (!saltHex || !hashHex) return false
  const hash = crypto.scryptSync(passphrase, bytes(Buffer.from(saltHex, 'hex')), 32)
  const expected = Buffer.from(hashHex, 'hex')
  return hash.length === expected.length && crypto.timingSafeEqual(bytes(hash), bytes(expected))
}

export function newState(name: string, options: { passphrase: string; locale?: string; quota?: number | null; email?: string }): InstanceState {
  return {
    name,
    secret: crypto.randomBytes(32).toString('hex'),
    passphraseHash: hashPassphrase(options.passphrase),
    locale: options.locale ?? 'fr',
    email: options.email ?? `${name}@cozy.localhost`,
    publicName: name.charAt(0).toUpperCase() + name.slice(1),
    quota: options.quota === undefined ? null : options.quota,
    contextName: 'default',
    apps: {},
    konnectors: {},
    extra: {}
  }
}

export async function loadState(dir: string): Promise<InstanceState | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, 'instance.json'), 'utf8')) as InstanceState
  } catch {
    return null
  }
}

/** Writes instance.json atomically (write then rename) so a crash never leaves half a file. */
export async function saveState(dir: string, state: InstanceState): Promise<void> {
  await fs.mkdir(dir, { recursive: true })
  const tmp = path.join(dir, `instance.json.${process.pid}.tmp`)
  await fs.writeFile(tmp, JSON.stringify(state, null, 2))
  await fs.rename(tmp, path.join(dir, 'instance.json'))
}
