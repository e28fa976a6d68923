/**
 * Finds the page modules that reach the stack by hand instead of through cozy-client's
 * queries and the typed stack client: a `fetch(` call, the stack client's `fetchJSON` or
 * `getStackClient`, or an import of the stack client's raw HTTP helpers.
 */
import { readdirSync, readFileSync, statSync } from 'fs'
import { join, relative } from 'path'

const RAW_HELPERS = ['fetcher', 'jsonapi']

const RULES: Array<{ name: string; pattern: RegExp }> = [
  { name: 'fetch(', pattern: /(^|[^\w.$])fetch\s*\(/ },
  { name: 'fetchJSON', pattern: /\bfetchJSON\b/ },
  { name: 'getStackClient', pattern: /\bgetStackClient\b/ },
  {
    name: 'raw stack-client helper import',
    pattern: new RegExp(`from\\s+['"][^'"]*stack-client/(${RAW_HELPERS.join('|')})['"]`)
  }
]

/** The rules a module's text breaks, comments left aside so that a comment may name them. */
export function rawHttpUses(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
  return RULES.filter(rule => rule.pattern.test(code)).map(rule => rule.name)
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx)$/.test(name) ? [path] : []
  })
}

/** `path: rule, rule` for every offending module under `dir`, relative to `root`. */
export function rawHttpOffenders(dir: string, root: string): string[] {
  return sourceFiles(dir)
    .map(path => ({ path: relative(root, path), uses: rawHttpUses(readFileSync(path, 'utf8')) }))
    .filter(entry => entry.uses.length > 0)
    .map(entry => `${entry.path}: ${entry.uses.join(', ')}`)
    .sort()
}
