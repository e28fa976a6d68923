import { execFile } from 'child_process'
import { readFileSync } from 'fs'
import path from 'path'

const ROOT = path.resolve(__dirname, '..')

/**
 * Node's arguments for a TypeScript child. get-intrinsic first, as bin/mes-donnees.js does:
 * tsx 4.19 miscompiles the "module-sync" .mjs files it requires (cozy-client, express and
 * jsdom's dependencies reach it); loaded natively first, it is served from the cache.
 */
export const TSX_NODE_ARGS = ['-r', 'get-intrinsic', '-r', 'tsx/cjs']

/** Runs a bench child script through tsx and parses the JSON it prints. */
export function runChild<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...TSX_NODE_ARGS, script, ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${script} failed: ${stderr || error.message}`))
      else resolve(JSON.parse(stdout) as T)
    })
  })
}

/** Peak RSS (VmHWM) of another process, in MiB, or NaN once it is gone. */
export function peakRssOf(pid: number | undefined): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find(l => l.startsWith('VmHWM:'))
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : NaN
  } catch {
    return NaN
  }
}

/** CPU time (user + system) another process has used so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return NaN
  }
}
