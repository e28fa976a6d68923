import { execFile } from 'child_process'
import { readFileSync } from 'fs'
import path from 'path'

const ROOT = path.resolve(__dirname, '..')

/**
 * Runs a bench child script through tsx and parses the JSON it prints. get-intrinsic is loaded
 * natively first, as bin/mes-donnees.js does: tsx miscompiles the .mjs "module-sync" exports it
 * requires (cozy-client's dependencies reach it), and a child would fail on its first import.
 */
export function runChild<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-r', 'get-intrinsic', '-r', 'tsx/cjs', script, ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
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
