/**
 * ENT HTML → Markdown for Cozy Notes. The HTML is hostile until proven otherwise: it is first
 * sanitised (sanitize-html: an allow-list of tags and attributes, only http/https/mailto
 * links, no scripts, styles, event handlers, iframes or data: images), with the ENT's
 * `/workspace/document/<id>` links rewritten to the imported files, then turned into Markdown
 * by turndown (the note importer of the stack reads Markdown).
 */
import sanitizeHtml from 'sanitize-html'
import TurndownService from 'turndown'

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

function converter(): TurndownService {
  if (!turndown) {
    turndown = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '*' })
  }
  return turndown
}

/** Sanitised Markdown of an ENT HTML fragment. */
export function htmlToMarkdown(html: string, resolve: LinkResolver = () => null): string {
  const clean = sanitizeEntHtml(html, resolve)
  if (clean.trim() === '') return ''
  return converter().turndown(clean).trim()
}

/** Escapes text for a Markdown line (titles, names). */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]#<>!|])/g, '\\$1')
}
