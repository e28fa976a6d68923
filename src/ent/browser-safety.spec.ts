// The webapp imports `src/ent` (index.ts): nothing it reaches may need Node's modules, or the
// browser bundle would break. Walks the real import graph from the source files.
import { builtinModules } from 'module'
import { existsSync, readFileSync } from 'fs'
import path from 'path'

const NODE_BUILTINS = new Set(builtinModules.flatMap(m => [m, `node:${m}`]))

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8')
  const specifiers: string[] = []
  for (const m of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) specifiers.push(m[1])
  // Modules loaded on first use count too.
  for (const m of source.matchAll(/\bimport\(\s*(?:\/\*[^*]*\*\/\s*)?['"]([^'"]+)['"]\s*\)/g)) specifiers.push(m[1])
  return specifiers
}

function resolveLocal(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier)
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (existsSync(candidate)) return candidate
  return null
}

describe('src/ent browser entry point', () => {
  it('reaches no Node built-in module and no Node-only source', () => {
    const entry = path.join(__dirname, 'index.ts')
    const seen = new Set<string>([entry])
    const queue = [entry]
    const external = new Set<string>()
    while (queue.length > 0) {
      const file = queue.pop() as string
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith('.')) {
          external.add(specifier)
          continue
        }
        const resolved = resolveLocal(file, specifier)
        if (!resolved) throw new Error(`${file}: cannot resolve ${specifier}`)
        if (!seen.has(resolved)) {
          seen.add(resolved)
          queue.push(resolved)
        }
      }
    }
    expect([...external].filter(m => NODE_BUILTINS.has(m))).toEqual([])
    // The one package it uses is the zip library made for browsers, checked below.
    expect([...external]).toEqual(['@zip.js/zip.js'])
    const nodeOnly = [...seen].map(f => path.relative(__dirname, f)).filter(f => /(^|\/)node[-.]/.test(f))
    expect(nodeOnly).toEqual([])
    // The graph is the whole reader, not a stub.
    expect(seen.size).toBeGreaterThan(30)
  })

  it('uses a zip library whose browser build reaches no Node module and no other package', () => {
    const root = path.dirname(require.resolve('@zip.js/zip.js/package.json'))
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, { import: { default: string } }> }
    const entry = path.join(root, manifest.exports['.'].import.default)
    const seen = new Set<string>([entry])
    const queue = [entry]
    const external = new Set<string>()
    while (queue.length > 0) {
      const file = queue.pop() as string
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith('.')) {
          external.add(specifier)
          continue
        }
        const resolved = path.resolve(path.dirname(file), specifier)
        if (!existsSync(resolved)) throw new Error(`${file}: cannot resolve ${specifier}`)
        if (!seen.has(resolved)) {
          seen.add(resolved)
          queue.push(resolved)
        }
      }
    }
    expect([...external]).toEqual([])
    expect(seen.size).toBeGreaterThan(10)
  })
})
