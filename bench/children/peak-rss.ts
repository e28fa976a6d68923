import { readFileSync } from 'fs'

/**
 * This process's peak resident memory in MiB: VmHWM of /proc/self/status, which starts again at
 * exec. Not resourceUsage().maxRSS: Linux carries ru_maxrss across exec, so a child forked from
 * the benchmark runner would report at least the runner's size at the fork.
 */
export function peakRssMiB(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return Number(hwm[1]) / 1024
  } catch {
    // not Linux: the rusage figure is all there is
  }
  return process.resourceUsage().maxRSS / 1024
}
