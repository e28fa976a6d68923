/**
 * Bounds on the work one ENT post's HTML may cost, measured by linear scans before the
 * sanitiser and the converter run. Both recurse or copy in ways that blow up on hostile
 * shapes: turndown recurses once per level of nesting (100,000 nested `<div>` end in
 * "Maximum call stack size exceeded") and, for every child of an element, copies the Markdown
 * written so far for that element (a 1.2 MB post took minutes). A post past a bound is not
 * converted: its note is reported failed with the reason, its siblings are imported.
 *
 * The caps, far above what the ENT's editor produces (its posts nest a few levels, a long
 * post holds a few thousand elements):
 * - MAX_HTML_DEPTH elements nested in one another;
 * - MAX_HTML_ELEMENTS elements in one post;
 * - MAX_HTML_CONVERSION_COST, the characters the converter would copy (see conversionCost).
 */

export const MAX_HTML_DEPTH = 256
export const MAX_HTML_ELEMENTS = 100_000
/** Estimated characters copied; measured, 1 billion take 1 to 2 s of turndown, a 270 kB paragraph of 30,000 bold words 16 billion and 15 s. */
export const MAX_HTML_CONVERSION_COST = 400_000_000

export type HtmlLimit = 'depth' | 'elements' | 'cost'

/** A post past one of the caps: `measured` is how far the scan got when it stopped. */
export class HtmlLimitError extends Error {
  constructor(readonly limit: HtmlLimit, readonly measured: number) {
    super(`the HTML is past its ${limit} limit (${measured})`)
    this.name = 'HtmlLimitError'
  }
}

// The tags the sanitiser's parser (htmlparser2 8, lib/Parser.js: voidElements, openImpliesClose)
// treats as void or closes when another opens; the subset kept here only ever closes less than
// the parser does, so the depth measured is never below the parser's.
const VOID = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr'])
const P_ONLY = new Set(['p'])
const IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'div', 'ul', 'ol', 'table', 'pre', 'blockquote', 'section', 'article', 'header', 'footer', 'nav', 'aside', 'address', 'dl', 'figure', 'form', 'hr'].map(tag => [tag, P_ONLY] as [string, Set<string>])
])
// Their content is text up to their end tag (htmlparser2 8, lib/Tokenizer.js: Sequences).
const RAW_TEXT = new Map(['script', 'style', 'title'].map(tag => [tag, new RegExp(`</${tag}(?=[\\s/>])`, 'gi')]))

const TAG_NAME = /[A-Za-z][^\s/>]*/y

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 12 || code === 13
}

/** Where the tag whose attributes start at `from` ends (after its `>`): quoted values may hold `>` and `<`. */
function tagEnd(html: string, from: number): number {
  let i = from
  while (i < html.length) {
    const c = html[i]
    if (c === '>') return i + 1
    if (c !== '=') { i++; continue }
    i++
    while (i < html.length && isSpace(html.charCodeAt(i))) i++
    const quote = html[i]
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, i + 1)
      if (close < 0) return html.length
      i = close + 1
    }
  }
  return html.length
}

/** Where the text after `from` goes on: past a comment, a raw-text element's content or nothing. */
function skipSpecial(html: string, at: number, name: string | null): number {
  if (name === null) {
    if (!html.startsWith('<!--', at)) return at + 1
    // `<!-->` and `<!--->` are whole (empty) comments for the parser.
    const empty = /^<!---?>/.exec(html.slice(at, at + 6))
    return empty ? at + empty[0].length : html.indexOf('-->', at + 4) + 1 || html.length
  }
  const endTag = RAW_TEXT.get(name) as RegExp
  endTag.lastIndex = at
  return endTag.exec(html)?.index ?? html.length
}

/**
 * Throws HtmlLimitError when the raw HTML nests deeper than MAX_HTML_DEPTH or holds more than
 * MAX_HTML_ELEMENTS elements, as the sanitiser's parser would build them. One pass, no
 * recursion; a close tag looks down the stack only as far as the depth cap.
 */
export function checkRawHtml(html: string): void {
  const stack: string[] = []
  let elements = 0
  let i = html.indexOf('<')
  while (i >= 0 && i < html.length) {
    const closing = html.charCodeAt(i + 1) === 47
    TAG_NAME.lastIndex = i + (closing ? 2 : 1)
    const match = TAG_NAME.exec(html)
    if (!match) {
      i = html.indexOf('<', skipSpecial(html, i, null))
      continue
    }
    const name = match[0].toLowerCase()
    const end = tagEnd(html, TAG_NAME.lastIndex)
    if (closing) {
      const at = stack.lastIndexOf(name)
      if (at >= 0) stack.length = at
    } else {
      if (++elements > MAX_HTML_ELEMENTS) throw new HtmlLimitError('elements', elements)
      const closes = IMPLIES_CLOSE.get(name)
      while (closes && stack.length > 0 && closes.has(stack[stack.length - 1])) stack.pop()
      if (!VOID.has(name)) stack.push(name)
      if (stack.length > MAX_HTML_DEPTH) throw new HtmlLimitError('depth', stack.length)
    }
    i = html.indexOf('<', !closing && RAW_TEXT.has(name) ? skipSpecial(html, end, name) : end)
  }
}

// Blocks turndown writes as nothing but their content between blank lines (no rule of their
// own in turndown 7, src/commonmark-rules.js): a post can be cut at them.
const TRANSPARENT = new Set(['div', 'section', 'article', 'main', 'header', 'footer', 'aside', 'nav', 'address', 'hgroup', 'figure'])
// Other blocks (turndown 7, src/utilities.js: blockElements) stand alone between blank lines.
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'blockquote', 'pre', 'table', 'hr', 'dl', 'figcaption', 'dd', 'dt', 'li', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot'])
const SANITISED_TAG = /<(\/?)([a-z][a-z0-9]*)[^>]*>/g

interface Frame { name: string; start: number; children: number; cut: boolean }

/**
 * What the converter would copy for an element: for each of its children, what it has
 * written so far (turndown 7 joins each child's Markdown to the whole output before it), and
 * the whole again to trim it. Measured on the element's HTML, which its Markdown never exceeds
 * by much.
 */
function conversionCost(frame: { children: number; start: number }, end: number): number {
  return (frame.children + 1) * Math.max(0, end - frame.start)
}

/**
 * The sanitised HTML cut into pieces the converter can take one by one: the content of
 * transparent blocks nested only in one another, and each other block at that level. The
 * Markdown of the whole is the pieces' Markdown between blank lines. Throws HtmlLimitError
 * when converting the pieces would cost more than MAX_HTML_CONVERSION_COST. In the
 * sanitiser's output `<` only ever opens a tag (text and attributes are escaped).
 */
export function conversionPieces(clean: string): string[] {
  const pieces: string[] = []
  const stack: Frame[] = []
  let cutLevel = 0
  let from = 0
  let run = { children: 0, start: 0 }
  let cost = 0
  let elements = 0
  const flush = (end: number, next: number): void => {
    if (end > from && clean.slice(from, end).trim() !== '') pieces.push(clean.slice(from, end))
    if (stack.length === cutLevel) cost += conversionCost(run, end)
    from = next
    run = { children: 0, start: next }
  }
  const count = (at: number, previousEnd: number): void => {
    const parent = stack.length > cutLevel ? stack[stack.length - 1] : run
    if (at > previousEnd) parent.children++
  }
  let previousEnd = 0
  SANITISED_TAG.lastIndex = 0
  for (let match = SANITISED_TAG.exec(clean); match; match = SANITISED_TAG.exec(clean)) {
    const [tag, closing, name] = match
    const at = match.index
    const end = at + tag.length
    count(at, previousEnd)
    previousEnd = end
    if (closing) {
      let open = stack.length - 1
      while (open >= 0 && stack[open].name !== name) open--
      if (open < 0) continue
      while (stack.length > open) {
        const frame = stack.pop() as Frame
        if (frame.cut) {
          cutLevel--
          flush(at, end)
        } else {
          cost += conversionCost(frame, at)
          if (stack.length === cutLevel && BLOCKS.has(frame.name)) flush(end, end)
        }
      }
    } else {
      if (++elements > MAX_HTML_ELEMENTS) throw new HtmlLimitError('elements', elements)
      const atCut = stack.length === cutLevel
      if (atCut && (TRANSPARENT.has(name) || BLOCKS.has(name))) flush(at, TRANSPARENT.has(name) ? end : at)
      else count(at, at - 1)
      if (!VOID.has(name)) stack.push({ name, start: end, children: 0, cut: atCut && TRANSPARENT.has(name) })
      if (atCut && TRANSPARENT.has(name)) cutLevel++
      else if (atCut && VOID.has(name) && BLOCKS.has(name)) flush(end, end)
      if (stack.length > MAX_HTML_DEPTH) throw new HtmlLimitError('depth', stack.length)
    }
    if (cost > MAX_HTML_CONVERSION_COST) throw new HtmlLimitError('cost', cost)
  }
  count(clean.length, previousEnd)
  while (stack.length > 0) {
    const frame = stack.pop() as Frame
    if (!frame.cut) cost += conversionCost(frame, clean.length)
  }
  cutLevel = 0
  flush(clean.length, clean.length)
  if (cost > MAX_HTML_CONVERSION_COST) throw new HtmlLimitError('cost', cost)
  return pieces
}
