/**
 * The browser preview of the Import from my ENT page on a generated 2 GB archive, in Chromium:
 * time from choosing the file to the list of apps on screen, and bytes of the file read, against
 * a baseline that reads the same file once through the same Blob API in the same page.
 */
import { existsSync, statSync } from 'fs'
import os from 'os'
import path from 'path'
import type { Page } from 'playwright-core'
import { Benchmark } from './bench'
import { writeEntArchive } from '../test/fixtures/ent-archive'
import { launchBrowser } from '../test/e2e/browser'
import { startShellServer } from '../dev-stack/shell-server'

/** The built app; BENCH_APP_DIR points elsewhere to compare two builds under the same load. */
const APP_DIR = path.resolve(process.env.BENCH_APP_DIR ?? path.join(__dirname, '../build/app'))
const RUNS = 5
/** The exporting user's name in the generated archive. */
const USER_NAME = 'Bernard Junior'

/** Counts every byte the page reads out of a Blob (slices' arrayBuffer() and stream()). */
function countBlobReads(): void {
  const counter = window as unknown as { __bytesRead: number }
  counter.__bytesRead = 0
  const arrayBuffer = Blob.prototype.arrayBuffer
  Blob.prototype.arrayBuffer = async function (this: Blob) {
    const buffer = await arrayBuffer.call(this)
    counter.__bytesRead += buffer.byteLength
    return buffer
  }
  const stream = Blob.prototype.stream
  Blob.prototype.stream = function (this: Blob) {
    const counted = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        counter.__bytesRead += chunk.byteLength
        controller.enqueue(chunk)
      }
    })
    return stream.call(this).pipeThrough(counted)
  } as typeof Blob.prototype.stream
}

/**
 * Records, in the page's clock, when the file input changes, when the preview's app list is on
 * screen, and when the user's name is (with the bytes read by then).
 */
async function armTimers(page: Page, userName: string): Promise<void> {
  await page.evaluate(name => {
    const w = window as unknown as { __t0?: number; __t1?: number; __t2?: number; __bytesAtName?: number; __bytesRead: number }
    w.__t0 = undefined
    w.__t1 = undefined
    w.__t2 = undefined
    document.addEventListener('change', () => {
      w.__t0 = performance.now()
      w.__bytesRead = 0
    }, { capture: true, once: true })
    const observer = new MutationObserver(() => {
      if (w.__t0 !== undefined && document.querySelector('fieldset li input[type="checkbox"]')) {
        w.__t1 = performance.now()
        observer.disconnect()
      }
    })
    observer.observe(document.body, { childList: true, subtree: true })
    const nameObserver = new MutationObserver(() => {
      if (w.__t0 !== undefined && document.body.textContent?.includes(name)) {
        w.__t2 = performance.now()
        w.__bytesAtName = w.__bytesRead
        nameObserver.disconnect()
      }
    })
    nameObserver.observe(document.body, { childList: true, subtree: true, characterData: true })
  }, userName)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

export const benchmark: Benchmark = {
  name: 'preview-2gb',
  description: 'browser preview of a generated 2 GB ENT archive (Chromium): time to the list of apps and bytes read',
  async run({ outDir, log }) {
    if (!existsSync(path.join(APP_DIR, 'index.html'))) throw new Error('build/app is missing: run `npm run build` first')
    const archive = path.join(outDir, 'ent-preview-2gb.zip')
    if (!existsSync(archive) || process.env.BENCH_REGENERATE) {
      log('generating the 2 GB archive (once; reused from bench/out)…')
      await writeEntArchive(archive, { workspaceFiles: 20000, workspaceFolders: 200, fileBytes: 100_000, resourcesPerApp: 2 })
    }
    const size = statSync(archive).size
    log(`archive: ${size} bytes`)
    const server = await startShellServer({ appDir: APP_DIR })
    const session = await launchBrowser()
    try {
      const context = await session.browser.newContext()
      await context.addInitScript(countBlobReads)
      const times: number[] = []
      const reads: number[] = []
      const nameTimes: number[] = []
      const nameGaps: number[] = []
      let apps = 0
      for (let run = 0; run < RUNS; run++) {
        const page = await context.newPage()
        await page.goto(`${server.url}?locale=fr#/ent-import`)
        await page.locator('#ent-archive-input').waitFor({ state: 'attached' })
        await armTimers(page, USER_NAME)
        await page.locator('#ent-archive-input').setInputFiles(archive)
        await page.locator('fieldset li input[type="checkbox"]').first().waitFor({ timeout: 120_000 })
        const listed = await page.evaluate(() => {
          const w = window as unknown as { __t0: number; __t1: number }
          return { ms: w.__t1 - w.__t0, apps: document.querySelectorAll('fieldset li').length }
        })
        // Then the exporting user's name, read from a small record: every byte read by then counts.
        await page.getByText(USER_NAME).waitFor({ timeout: 60_000 })
        const named = await page.evaluate(() => {
          const w = window as unknown as { __t0: number; __t2: number; __bytesAtName: number }
          return { ms: w.__t2 - w.__t0, bytes: w.__bytesAtName }
        })
        times.push(listed.ms)
        nameTimes.push(named.ms)
        nameGaps.push(named.ms - listed.ms)
        reads.push(named.bytes)
        apps = listed.apps
        log(`run ${run + 1}: list of apps ${Math.round(listed.ms)} ms, name ${Math.round(named.ms)} ms, ${named.bytes} bytes read, ${listed.apps} apps listed`)
        await page.close()
      }
      // Baseline: the same file read once, whole, through the same Blob API, in the same browser.
      const page = await context.newPage()
      await page.goto(`${server.url}?locale=fr#/ent-import`)
      await page.evaluate(() => {
        const input = document.createElement('input')
        input.type = 'file'
        input.id = 'bench-baseline-input'
        document.body.appendChild(input)
      })
      await page.locator('#bench-baseline-input').setInputFiles(archive)
      const baselineMs = await page.evaluate(async () => {
        const file = (document.querySelector('#bench-baseline-input') as HTMLInputElement).files?.[0]
        if (!file) throw new Error('no file')
        const start = performance.now()
        const chunk = 16 * 1024 * 1024
        for (let offset = 0; offset < file.size; offset += chunk) await file.slice(offset, offset + chunk).arrayBuffer()
        return performance.now() - start
      })
      await page.close()
      const ms = median(times)
      const bytes = median(reads)
      return {
        metrics: [
          { name: 'time to the list of apps (median of 5)', value: ms, unit: 'ms', goal: { max: 1000 } },
          { name: 'time to the list of apps (best of 5)', value: Math.min(...times), unit: 'ms' },
          { name: 'time to the user name too (median, at most)', value: median(nameTimes), unit: 'ms' },
          { name: 'from the list to the user name (median)', value: median(nameGaps), unit: 'ms', goal: { max: 200 } },
          { name: 'bytes read, name included (median)', value: bytes, unit: 'B' },
          { name: 'share of the file read', value: (bytes * 100) / size, unit: '%', goal: { max: 1 } },
          { name: 'baseline: read the whole file once', value: baselineMs, unit: 'ms' },
          { name: 'ratio preview / baseline (time)', value: ms / baselineMs, unit: 'x' }
        ],
        notes: [`archive ${size} bytes, ${apps} items listed`, `load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')}`]
      }
    } finally {
      await session.close()
      await server.close()
    }
  }
}
