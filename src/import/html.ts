/**
 * ENT HTML → Markdown for Cozy Notes. The HTML is hostile until proven otherwise: it is first
 * sanitised (sanitize-html: an allow-list of tags and attributes, only http/https/mailto
 * links, no scripts, styles, event handlers, iframes or data: images), with the ENT's
 * `/workspace/document/<id>` links rewritten to the imported files, then turned into Markdown
 * by turndown (the note importer of the stack reads Markdown).
 */
import sanitizeHtml from 'sanitize-html'
import TurndownService from 'turndown'
import { contentTexts, fillIn } from './content-texts'
import { checkRawHtml, conversionPieces, type HtmlLimit, HtmlLimitError, MAX_HTML_CONVERSION_COST, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS } from './html-shape'

/** Answers the new URL of an ENT-internal link (`/workspace/document/<id>`), or null to drop it. */
export type LinkResolver = (documentId: string, tag: 'a' | 'img') => string | null

const WORKSPACE_LINK = /^(?:https?:\/\/[^/]+)?\/workspace\/(?:pub\/)?document\/([0-9a-zA-Z-]+)/

/** Document id of an ENT workspace link, or null. */
export function workspaceDocumentId(url: string | undefined): string | null {
  if (!url) return null
  const match = WORKSPACE_LINK.exec(url.trim())
  return match ? match[1].toLowerCase() : null
}

/** A relative path usable in a Markdown link: every segment percent-encoded (spaces, parentheses). */
export function markdownPath(segments: string[]): string {
  return segments.map(s => (s === '..' ? s : encodeURIComponent(s).replace(/[()']/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))).join('/')
}

function rewrite(url: string | undefined, resolve: LinkResolver, tag: 'a' | 'img'): string | undefined {
  const id = workspaceDocumentId(url)
  if (!id) return url
  return resolve(id, tag) ?? undefined
}

/** `imageSchemes`: more schemes images may use (mails point to their own parts with `cid:`). */
export function sanitizeEntHtml(html: string, resolve: LinkResolver = () => null, imageSchemes: string[] = []): string {
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'h1', 'h2', 'del', 's', 'u', 'sup', 'sub'],
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https', ...imageSchemes] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    // Deeper tags are dropped, their text kept: what reaches a converter never nests past the cap.
    nestingLimit: MAX_HTML_DEPTH,
    transformTags: {
      a: (tagName, attribs) => {
        const href = rewrite(attribs.href, resolve, 'a')
        const { href: _old, ...rest } = attribs
        return { tagName, attribs: href === undefined ? rest : { ...rest, href } }
      },
      img: (tagName, attribs) => {
        const src = rewrite(attribs.src, resolve, 'img')
        const { src: _old, ...rest } = attribs
        return { tagName, attribs: src === undefined ? rest : { ...rest, src } }
      }
    },
    exclusiveFilter: frame => frame.tag === 'img' && !frame.attribs.src
  })
}

let turndown: TurndownService | null = null

/**
 * Where a note's link or image may point once a CommonMark reader reads it: the web, a file of
 * the import (a relative path), or an anchor. Anything else (javascript:, data:, mailto:…) is
 * dropped, whatever the sanitiser let through.
 */
export function isSafeNoteUrl(url: string): boolean {
  const trimmed = url.trim()
  if (trimmed === '' || trimmed.startsWith('#')) return true
  if (/^https?:\/\//i.test(trimmed)) return true
  // a relative path: no scheme, not protocol-relative
  return !/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !trimmed.startsWith('//') && !trimmed.startsWith('\\')
}

/** An `&` that a CommonMark reader would take for the start of an entity (`&#58;` is a colon). */
const ENTITY_AMPERSAND = /&(?=#?[A-Za-z0-9]+;)/g

/**
 * A destination no CommonMark reader can cut short or decode into another URL: spaces,
 * controls, `<`, `>` and backslashes percent-encoded; parentheses and the `&` of what reads as
 * an entity backslash-escaped (CommonMark 0.31, "Links": the URL keeps its characters).
 */
function markdownDestination(url: string): string {
  return url
    .trim()
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0020<>\\\u007f]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
    .replace(/[()]/g, '\\$&')
    .replace(ENTITY_AMPERSAND, '\\&')
}

/** A link title in double quotes: its quotes, backslashes and entity-like `&` escaped, no line breaks. */
function markdownTitle(title: string | null): string {
  if (!title) return ''
  return ` "${title.replace(/[\r\n]+/g, ' ').replace(/(["\\])/g, '\\$1').replace(ENTITY_AMPERSAND, '\\&')}"`
}

/**
 * Escapes what turndown leaves and CommonMark would read as markup: a `<` followed by
 * anything but a space (raw HTML, autolinks, e-mail autolinks) and an `&` that reads as an
 * entity. `1 < 2`, `Pierre & Marie`, apostrophes and parentheses stay as typed.
 */
function escapeText(text: string, base: (text: string) => string): string {
  return base(text)
    .replace(/<(?!\s)/g, '\\<')
    .replace(ENTITY_AMPERSAND, '\\&')
}

function converter(): TurndownService {
  if (!turndown) {
    const service = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '*' })
    const base = service.escape.bind(service)
    service.escape = (text: string) => escapeText(text, base)
    service.addRule('safe-link', {
      filter: node => node.nodeName === 'A' && !!node.getAttribute('href'),
      replacement: (content, node) => {
        const element = node as HTMLElement
        const href = element.getAttribute('href') ?? ''
        if (!isSafeNoteUrl(href)) return content
        return `[${content}](${markdownDestination(href)}${markdownTitle(element.getAttribute('title'))})`
      }
    })
    service.addRule('safe-image', {
      filter: 'img',
      replacement: (_content, node) => {
        const element = node as HTMLElement
        const src = element.getAttribute('src') ?? ''
        if (!src || !isSafeNoteUrl(src)) return ''
        const alt = escapeMarkdown(element.getAttribute('alt') ?? '').replace(/[\r\n]+/g, ' ')
        return `![${alt}](${markdownDestination(src)}${markdownTitle(element.getAttribute('title'))})`
      }
    })
    turndown = service
  }
  return turndown
}

// Pieces converted in one call: few enough that turndown's copying stays small (html-shape.ts).
const BATCH_PIECES = 64
const BATCH_CHARS = 32 * 1024

/**
 * The job's time ran out in the middle of one post: the item is not failed, the import stops
 * before it and the next job converts it from the start with a fresh budget.
 */
export class TimeBudgetError extends Error {
  constructor() {
    super('the job\'s time budget ran out while converting one item')
  }
}

/** The pieces' Markdown between blank lines, converted a batch at a time, the deadline checked between batches. */
function convertPieces(pieces: string[], deadline: number | null): string {
  const parts: string[] = []
  for (let i = 0; i < pieces.length; ) {
    if (deadline !== null && i > 0 && Date.now() >= deadline) throw new TimeBudgetError()
    let batch = ''
    let count = 0
    while (i < pieces.length && count < BATCH_PIECES && (count === 0 || batch.length + pieces[i].length <= BATCH_CHARS)) {
      batch += `<div>${pieces[i++]}</div>`
      count++
    }
    const markdown = converter().turndown(batch).trim()
    if (markdown !== '') parts.push(markdown)
  }
  return parts.join('\n\n')
}

/**
 * Sanitised Markdown of an ENT HTML fragment. Throws HtmlLimitError (html-shape.ts) for a
 * fragment past the caps on depth, elements and conversion work, before any of it is
 * sanitised or converted: the caller fails that item alone.
 */
export function htmlToMarkdown(html: string, resolve: LinkResolver = () => null, deadline: number | null = null): string {
  checkRawHtml(html)
  const clean = sanitizeEntHtml(html, resolve)
  if (clean.trim() === '') return ''
  const pieces = conversionPieces(clean)
  try {
    return convertPieces(pieces, deadline)
  } catch (err) {
    // The caps keep turndown's recursion far from the stack's end; this is the last guard.
    if (err instanceof RangeError) throw new HtmlLimitError('depth', MAX_HTML_DEPTH)
    throw err
  }
}

const LIMIT_TEXTS = { depth: 'htmlTooDeep', elements: 'htmlTooManyElements', cost: 'htmlTooCostly' } as const
const LIMIT_VALUES = { depth: MAX_HTML_DEPTH, elements: MAX_HTML_ELEMENTS, cost: MAX_HTML_CONVERSION_COST }

/** A note's Markdown, or why its HTML is past the caps (in the words the import writes, locales' importedContent). */
export function noteMarkdown(html: string, resolve: LinkResolver = () => null, deadline: number | null = null): string | { limit: HtmlLimit; reason: string } {
  try {
    return htmlToMarkdown(html, resolve, deadline)
  } catch (err) {
    if (!(err instanceof HtmlLimitError)) throw err
    return { limit: err.limit, reason: fillIn(contentTexts()[LIMIT_TEXTS[err.limit]], { max: LIMIT_VALUES[err.limit].toLocaleString('fr-FR') }) }
  }
}

/** Escapes text for a Markdown line (titles, names), an `&` only where it would read as an entity. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]#<>!|])/g, '\\$1').replace(ENTITY_AMPERSAND, '\\&')
}
