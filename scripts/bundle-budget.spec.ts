import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import path from 'path'
import { randomBytes } from 'crypto'
import { gzipSync } from 'zlib'
import { BudgetStats, checkBudget, KB } from './bundle-budget'

interface FakeScript {
  name: string
  bytes: Uint8Array
  minimized?: boolean
}

/** A build as webpack.config.js leaves it: the files, index.html and build/stats/<name>.json. */
function writeBuild(root: string, name: string, scripts: FakeScript[], options: { entry?: string[]; html?: string[] } = {}): void {
  const outputPath = path.join(root, name)
  mkdirSync(outputPath, { recursive: true })
  for (const script of scripts) writeFileSync(path.join(outputPath, script.name), script.bytes)
  const entry = options.entry ?? scripts.slice(0, 1).map(script => script.name)
  const html = options.html ?? entry
  writeFileSync(
    path.join(outputPath, 'index.html'),
    `<html><head><link href="app.css" rel="stylesheet"></head><body>${html.map(src => `<script defer src="${src}"></script>`).join('')}</body></html>`
  )
  const stats: BudgetStats = {
    name,
    mode: 'production',
    outputPath,
    entrypoints: { [name]: [...entry, 'app.css'] },
    assets: scripts.map(script => ({
      name: script.name,
      size: script.bytes.length,
      chunkNames: [],
      minimized: script.minimized ?? true
    }))
  }
  mkdirSync(path.join(root, 'stats'), { recursive: true })
  writeFileSync(path.join(root, 'stats', `${name}.json`), JSON.stringify(stats))
}

describe('bundle budget', () => {
  let root: string
  // Random bytes do not compress: their gzipped size is known within gzip's few bytes of framing.
  const app = new Uint8Array(randomBytes(150 * KB))
  const vendors = new Uint8Array(randomBytes(100 * KB))
  const lazyPage = new Uint8Array(randomBytes(300 * KB))

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'bundle-budget-'))
    writeBuild(root, 'services', [{ name: 'export-notification.js', bytes: new TextEncoder().encode('exports.a=1') }])
    writeBuild(root, 'konnector', [{ name: 'index.js', bytes: new TextEncoder().encode('exports.k=1') }])
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  const check = (budget?: number) => checkBudget({ statsDir: path.join(root, 'stats'), budget })

  it('sums the gzipped scripts index.html loads, and not the lazy chunks', () => {
    writeBuild(
      root,
      'app',
      [
        { name: 'app.js', bytes: app },
        { name: 'vendors.js', bytes: vendors },
        { name: 'page-export.js', bytes: lazyPage }
      ],
      { entry: ['vendors.js', 'app.js'] }
    )
    const result = check(400 * KB)
    expect(result.ok).toBe(true)
    expect(result.initialGzip).toBe(gzipSync(app).length + gzipSync(vendors).length)
    expect(result.lines.join('\n')).toMatch(/total {2}25\d\.\d KB \(budget 400\.0 KB, 1 KB = 1000 bytes\): ok/)
  })

  it('fails past the budget, saying by how much', () => {
    writeBuild(root, 'app', [{ name: 'app.js', bytes: app }])
    const result = check(100 * KB)
    expect(result.ok).toBe(false)
    expect(result.lines.join('\n')).toMatch(/OVER BUDGET[\s\S]*5\d\.\d KB over budget/)
  })

  it('fails when a service was not minified', () => {
    writeBuild(root, 'app', [{ name: 'app.js', bytes: app }])
    writeBuild(root, 'services', [
      { name: 'export-notification.js', bytes: new TextEncoder().encode('exports.a=1') },
      { name: 'import-notification.js', bytes: new TextEncoder().encode('exports.b = 2\n'), minimized: false }
    ])
    const result = check()
    expect(result.ok).toBe(false)
    expect(result.lines.join('\n')).toContain('not minified: import-notification.js')
  })

  it('fails when the konnector was not minified', () => {
    writeBuild(root, 'app', [{ name: 'app.js', bytes: app }])
    writeBuild(root, 'konnector', [{ name: 'index.js', bytes: new TextEncoder().encode('exports.k = 1\n'), minimized: false }])
    const result = check()
    expect(result.ok).toBe(false)
    expect(result.lines.join('\n')).toContain('not minified: index.js')
  })

  it('fails when index.html loads a script the entry point does not list', () => {
    writeBuild(root, 'app', [{ name: 'app.js', bytes: app }, { name: 'big.js', bytes: lazyPage }], { entry: ['app.js'], html: ['app.js', 'big.js'] })
    const result = check()
    expect(result.ok).toBe(false)
    expect(result.lines.join('\n')).toContain('index.html loads big.js, which the entry point does not list.')
  })

  it('fails when the files on disk are not those of the stats', () => {
    writeBuild(root, 'app', [{ name: 'app.js', bytes: app }])
    writeFileSync(path.join(root, 'app', 'app.js'), new Uint8Array([...app, ...vendors]))
    const result = check()
    expect(result.ok).toBe(false)
    expect(result.lines.join('\n')).toContain(`has ${app.length + vendors.length} bytes, build/stats/app.json says ${app.length}`)
  })

  it('asks for a build when there are no stats', () => {
    expect(() => check()).toThrow(/app\.json cannot be read .*run `npm run build` first/)
  })
})
