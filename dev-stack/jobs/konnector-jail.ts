/**
 * How the stand-in starts a konnector: as the stack's jailed runner does
 * (cozy-stack scripts/konnector-nsjail-node-run.sh), so that a konnector relying on a writable
 * disk, /tmp or the host's environment fails here as it would in production.
 *
 * - `jail`: bubblewrap with a read-only tmpfs as root and read-only binds of node, the library
 *   folders the nsjail script binds (/lib, /lib64, /usr/lib, plus any other library ldd names),
 *   /etc/resolv.conf, /etc/ssl/certs, /dev/urandom and the konnector folder at
 *   /usr/src/konnector; no /tmp; the host's network (nsjail's --disable_clone_newnet).
 * - `emulated`, where user namespaces are refused: the host's file system, but the same
 *   environment, TMPDIR on a path that does not exist and cannot be created, the same limits.
 *
 * Both: only the COZY_* variables and HOME (the konnector folder) in the environment, files
 * capped at 1 GiB and open files at 128 (prlimit, as nsjail's --rlimit_fsize/--rlimit_nofile),
 * no descriptor but stdio inherited (as nsjail).
 * DEV_STACK_KONNECTOR_RUNNER=jail|emulated|auto (default auto: the jail when it starts); with
 * CI=true only the jail is accepted, so that CI proves the konnector runs in it.
 */
import { execFileSync, spawnSync } from 'child_process'
import { realpathSync, statSync } from 'fs'
import path from 'path'

export type KonnectorRunner = 'jail' | 'emulated'

/** The jail's probe, once per process: undefined until made, null when the jail starts. */
let probed: string | null | undefined

/** RLIMIT_FSIZE and RLIMIT_NOFILE of the nsjail script (--rlimit_fsize 1024 MiB, --rlimit_nofile 128). */
export const FILE_SIZE_LIMIT = 1024 * 1024 * 1024
export const OPEN_FILES_LIMIT = 128

/** Where the nsjail script mounts the konnector, and its HOME. */
export const JAIL_KONNECTOR_DIR = '/usr/src/konnector'

/** procfs refuses to create anything, even for root: a TMPDIR no write can succeed in. */
export const EMULATED_TMPDIR = '/proc/konnector-has-no-tmp'

/** The library folders the nsjail script binds. */
const LIBRARY_DIRS = ['/lib', '/lib64', '/usr/lib']
/** Also bound by the nsjail script (name resolution, TLS roots). */
const ETC_FILES = ['/etc/resolv.conf', '/etc/ssl/certs']

export interface KonnectorLaunch {
  runner: KonnectorRunner
  command: string
  args: string[]
  env: NodeJS.ProcessEnv
  cwd: string
}

export class KonnectorRunnerError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KonnectorRunnerError'
  }
}

function exists(p: string): boolean {
  try {
    statSync(p)
    return true
  } catch {
    return false
  }
}

/** Shared libraries ldd names for a binary; [] when ldd is missing (the folders then suffice or not). */
function sharedLibraries(binary: string): string[] {
  try {
    const out = execFileSync('ldd', [binary], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    return [...out.matchAll(/(\/\S+) \(0x/g)].map(m => m[1])
  } catch {
    return []
  }
}

/** Read-only binds of a binary (at the path it is called by) and the libraries it loads. */
function binaryBinds(binary: string): string[] {
  const binds = ['--ro-bind', realpathSync(binary), binary]
  for (const lib of sharedLibraries(binary)) {
    if (LIBRARY_DIRS.some(dir => lib.startsWith(`${dir}/`))) continue
    binds.push('--ro-bind', realpathSync(lib), lib)
  }
  return binds
}

function envBinary(): string {
  const found = ['/usr/bin/env', '/bin/env'].find(exists)
  if (!found) throw new KonnectorRunnerError('env(1) is missing: the runner needs it to drop the variables bash and bubblewrap set')
  return found
}

/**
 * The bwrap arguments before the command. Everything but the user, pid, ipc, uts and cgroup
 * namespaces is the host's; `--remount-ro /` makes the tmpfs root read-only once the binds
 * are in place. bwrap always sets PWD: env(1), bound too, removes it before node starts.
 */
export function bwrapArgs(konnectorDir: string | null): string[] {
  const env = envBinary()
  const args = ['--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--die-with-parent', '--tmpfs', '/']
  for (const dir of LIBRARY_DIRS) args.push('--ro-bind-try', dir, dir)
  args.push(...binaryBinds(process.execPath), ...binaryBinds(env))
  for (const file of ETC_FILES) args.push('--ro-bind-try', file, file)
  args.push('--dev-bind', '/dev/urandom', '/dev/urandom', '--proc', '/proc')
  if (konnectorDir) args.push('--ro-bind', konnectorDir, JAIL_KONNECTOR_DIR)
  args.push('--remount-ro', '/', '--chdir', '/', ...dropShellVariables(env))
  return args
}

/**
 * Closes every descriptor above stdio, then execs the rest of the command line. The stand-in's
 * databases (leveldb) open their files without O_CLOEXEC: spawned as is, the konnector inherited
 * them (a way into the stand-in's data, and a third of its 128 open files gone). nsjail passes
 * only stdio; bwrap and prlimit pass everything, and node cannot close them before the
 * konnector runs. bash, not sh: dash only names descriptors 0 to 9 in redirections.
 */
const CLOSE_INHERITED_FDS = 'for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi; done; unset OLDPWD; exec "$@"'

/** bash exports `_` and SHLVL even once unset, bwrap sets PWD: env(1) drops them before node starts. */
function dropShellVariables(env: string): string[] {
  return [env, '-u', '_', '-u', 'PWD', '-u', 'SHLVL']
}

function bashBinary(): string {
  const found = ['/bin/bash', '/usr/bin/bash'].find(exists)
  if (!found) throw new KonnectorRunnerError('bash is missing: the konnector runner needs it to close the descriptors the stand-in would pass on')
  return found
}

/** prlimit's limits, then the descriptor closer, then the command. */
function limits(): string[] {
  return [`--fsize=${FILE_SIZE_LIMIT}`, `--nofile=${OPEN_FILES_LIMIT}`, '--', bashBinary(), '-c', CLOSE_INHERITED_FDS, 'close-inherited-fds']
}

/** The COZY_* variables given, and HOME. */
export function konnectorEnv(env: NodeJS.ProcessEnv, home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(env)) if (key.startsWith('COZY_') && value !== undefined) kept[key] = value
  return { ...kept, ...extra, HOME: home }
}

/** The entry relative to the konnector folder; an entry outside it could not be seen in the jail. */
function entryInside(konnectorDir: string, entry: string): string {
  const relative = path.relative(konnectorDir, entry)
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) throw new KonnectorRunnerError(`the konnector's entry ${entry} is outside its folder`)
  return relative
}

export function launchKonnector(runner: KonnectorRunner, konnectorDir: string, entry: string, cozyEnv: NodeJS.ProcessEnv): KonnectorLaunch {
  const relative = entryInside(konnectorDir, entry)
  if (runner === 'jail') {
    const args = [...limits(), 'bwrap', ...bwrapArgs(konnectorDir), process.execPath, path.posix.join(JAIL_KONNECTOR_DIR, relative)]
    return { runner, command: 'prlimit', args, env: konnectorEnv(cozyEnv, JAIL_KONNECTOR_DIR), cwd: konnectorDir }
  }
  return {
    runner,
    command: 'prlimit',
    args: [...limits(), ...dropShellVariables(envBinary()), process.execPath, path.join(konnectorDir, relative)],
    env: konnectorEnv(cozyEnv, konnectorDir, { TMPDIR: EMULATED_TMPDIR }),
    cwd: konnectorDir
  }
}

/** Why the jail cannot start here (bwrap missing, user namespaces refused…), or null when it can. */
export function jailUnavailable(): string | null {
  if (probed === undefined) probed = probeJail()
  return probed
}

function probeJail(): string | null {
  let args: string[]
  try {
    args = [...limits(), 'bwrap', ...bwrapArgs(null), process.execPath, '-e', '']
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
  const run = spawnSync('prlimit', args, { env: {}, encoding: 'utf8', timeout: 20_000 })
  if (run.error) return `${run.error.message} (bubblewrap and util-linux's prlimit are needed)`
  if (run.status !== 0) return `bwrap failed: ${(run.stderr || `exit status ${run.status}`).trim()}`
  return null
}

/** The runner DEV_STACK_KONNECTOR_RUNNER asks for, checked once per process. */
export function selectRunner(env: NodeJS.ProcessEnv = process.env, unavailableJail: () => string | null = jailUnavailable): { runner: KonnectorRunner; why: string } {
  const wanted = env.DEV_STACK_KONNECTOR_RUNNER || 'auto'
  if (wanted !== 'jail' && wanted !== 'emulated' && wanted !== 'auto') throw new KonnectorRunnerError(`DEV_STACK_KONNECTOR_RUNNER is jail, emulated or auto, not ${wanted}`)
  const ci = env.CI === 'true'
  if (wanted === 'emulated') {
    if (ci) throw new KonnectorRunnerError('CI=true requires the jailed konnector runner (DEV_STACK_KONNECTOR_RUNNER=emulated refused)')
    return { runner: 'emulated', why: 'DEV_STACK_KONNECTOR_RUNNER=emulated' }
  }
  const unavailable = unavailableJail()
  if (unavailable === null) return { runner: 'jail', why: wanted === 'jail' ? 'DEV_STACK_KONNECTOR_RUNNER=jail' : 'bubblewrap starts here' }
  if (wanted === 'jail' || ci) throw new KonnectorRunnerError(`the konnector jail cannot start${ci ? ' (required with CI=true)' : ''}: ${unavailable}`)
  return { runner: 'emulated', why: `no jail: ${unavailable}` }
}
