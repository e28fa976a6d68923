/**
 * One post's HTML to Markdown (issue 14.2: a 1.2 MB post of nested `<div>` took 107 s of
 * synchronous CPU). Each shape is converted in this process and timed in CPU time; what is past
 * the caps of src/import/html-shape.ts must be refused in a fraction of the time, what passes
 * must convert in about linear time. Baseline: the sanitiser alone on the flat post.
 */
import { htmlToMarkdown, sanitizeEntHtml } from '../src/import/html'
import { boldWordsParagraph, flatPost, nestedHtml, nestedPost } from '../test/fixtures/html-cases'
import { Benchmark, BenchMetric } from './bench'

const MB = 1_200_000

function cpuMs(work: () => void): number {
  const start = process.cpuUsage()
  work()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

function outcomeOf(html: string): string {
  try {
    return `${htmlToMarkdown(html).length} chars of Markdown`
  } catch (err) {
    return `refused (${err instanceof Error ? err.message : String(err)})`
  }
}

const SHAPES: Array<[string, () => string]> = [
  ['flat 1.2 MB (paragraphs)', () => flatPost(MB)],
  ['flat 1.2 MB inside one div', () => `<div>${flatPost(MB)}</div>`],
  ['nested 1.2 MB (divs)', () => nestedPost(MB)],
  ['100,000 nested divs', () => nestedHtml(100_000)],
  ['256 nested blockquotes × 180 (deepest accepted)', () => nestedHtml(256, 'x', 'blockquote').repeat(180)],
  ['99,990 elements (most accepted)', () => `<p>${'<b>mot</b> '.repeat(9)}</p>`.repeat(9_999)],
  ['one paragraph of 30,000 bold words', () => boldWordsParagraph(30_000)]
]

/** The change of the process's resident size since `before`, signed, in MiB. */
function rssChange(before: number): string {
  const mib = Math.round((process.memoryUsage().rss - before) / 1048576)
  return `${mib >= 0 ? '+' : '−'}${Math.abs(mib)} MiB`
}

export const benchmark: Benchmark = {
  name: 'html-post',
  description: 'HTML of one post (flat, nested, at and past the caps) to Markdown, CPU time',
  async run({ log }) {
    const metrics: BenchMetric[] = []
    const notes: string[] = []
    const flat = flatPost(MB)
    const baseline = cpuMs(() => sanitizeEntHtml(flat))
    metrics.push({ name: 'baseline: sanitiser alone, flat 1.2 MB', value: baseline, unit: 'ms' })
    for (const [name, build] of SHAPES) {
      const html = build()
      let outcome = ''
      const rssBefore = process.memoryUsage().rss
      const ms = cpuMs(() => (outcome = outcomeOf(html)))
      log(`${name}: ${ms.toFixed(0)} ms, ${outcome}`)
      notes.push(`${name}: ${html.length} chars of HTML, ${outcome}, RSS ${rssChange(rssBefore)}`)
      metrics.push({ name, value: ms, unit: 'ms', goal: { max: 10_000 } })
    }
    return { metrics, notes }
  }
}
