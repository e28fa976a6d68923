/**
 * The stand-in for cozy-stack in a child process (`mes-donnees stack --port 0 --json`), for
 * benchmarks: its work is not counted in the measured processes, and the bench runner does not
 * need to load Express and PouchDB itself. Data go to a temporary folder removed at stop().
 */
import { spawn } from 'child_process'
import { mkdtempSync, rmSync } from 'fs'
import os from 'os'
import path from 'path'
import readline from 'readline'

const ROOT = path.resolve(__dirname, '..')

export interface StackProcess {
  instances: Array<{ name: string; url: string; cliToken: string }>
  /** The stand-in's process id (its memory is read from /proc/<pid>/status). */
  pid: number | undefined
  stop(): Promise<void>
}

export function startStackProcess(extraArgs: string[], log: (line: string) => void = () => undefined): Promise<StackProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-stack-'))
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/mes-donnees.js'), 'stack', '--port', '0', '--data', dataDir, '--json', ...extraArgs], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  readline.createInterface({ input: child.stderr }).on('line', log)
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const closed = new Promise(resolve => child.once('close', resolve))
      child.kill('SIGTERM')
      await closed
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout })
    lines.once('line', line => {
      try {
        const description = JSON.parse(line) as { instances: StackProcess['instances'] }
        resolve({ instances: description.instances, pid: child.pid, stop })
      } catch (err) {
        void stop()
        reject(err instanceof Error ? err : new Error(String(err)))
      }
    })
    child.once('exit', code => reject(new Error(`mes-donnees stack exited with ${code}`)))
  })
}
