/**
 * What model/note/import.go does to a file named `*.cozy-note`: the Markdown (or a tar with
 * index.md) is parsed into a ProseMirror document and stored in the file's metadata
 * (`title`, `content`, `version`, `schema`), with mime text/vnd.cozy.note+markdown and class
 * text. The stand-in's parser covers the Markdown the project writes: headings, paragraphs,
 * lists, quotes, code blocks, rules, images, links, bold, italic and inline code.
 */

export interface PmNode {
  type: string
  attrs?: Record<string, unknown>
  content?: PmNode[]
  text?: string
  marks?: { type: string; attrs?: Record<string, unknown> }[]
}

/** model/note/import.go MaxMarkdownSize. */
export const MAX_MARKDOWN_SIZE = 2 * 1024 * 1024

/** The node and mark names the stand-in produces (the stack stores its full schema here). */
export const NOTE_SCHEMA = {
  nodes: ['doc', 'paragraph', 'text', 'heading', 'bulletList', 'orderedList', 'listItem', 'blockquote', 'codeBlock', 'rule', 'hardBreak', 'media', 'mediaSingle'],
  marks: ['strong', 'em', 'code', 'link'],
  topNode: 'doc'
}

/** CommonMark backslash escapes (any ASCII punctuation), as goldmark reads them in text and link destinations. */
function unescapePunctuation(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1')
}

function inline(text: string): PmNode[] {
  const out: PmNode[] = []
  const re = /(!\[([^\]]*)\]\(([^)\s]+)[^)]*\))|(\[([^\]]+)\]\(([^)\s]+)[^)]*\))|(\*\*([^*]+)\*\*)|(__([^_]+)__)|(\*([^*]+)\*)|(_([^_]+)_)|(`([^`]+)`)/g
  let last = 0
  let m: RegExpExecArray | null
  const push = (raw: string, marks?: PmNode['marks']) => {
    // goldmark drops the backslash of an escaped punctuation character, except in code spans.
    const t = marks?.some(m => m.type === 'code') ? raw : unescapePunctuation(raw)
    if (t) out.push(marks ? { type: 'text', text: t, marks } : { type: 'text', text: t })
  }
  while ((m = re.exec(text))) {
    push(text.slice(last, m.index))
    if (m[1]) out.push({ type: 'text', text: m[2] || m[3], marks: [{ type: 'link', attrs: { href: unescapePunctuation(m[3]) } }] })
    else if (m[4]) push(m[5], [{ type: 'link', attrs: { href: unescapePunctuation(m[6]) } }])
    else if (m[7]) push(m[8], [{ type: 'strong' }])
    else if (m[9]) push(m[10], [{ type: 'strong' }])
    else if (m[11]) push(m[12], [{ type: 'em' }])
    else if (m[13]) push(m[14], [{ type: 'em' }])
    else if (m[15]) push(m[16], [{ type: 'code' }])
    last = re.lastIndex
  }
  push(text.slice(last))
  return out
}

function paragraph(text: string): PmNode {
  const content = inline(text)
  return content.length ? { type: 'paragraph', content } : { type: 'paragraph' }
}

export function markdownToDoc(markdown: string): PmNode {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n')
  const blocks: PmNode[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i]
    if (/^\s*$/.test(line)) {
      i++
      continue
    }
    const fence = line.match(/^```(\w*)/)
    if (fence) {
      const code: string[] = []
      i++
      while (i < lines.length && !lines[i].startsWith('```')) code.push(lines[i++])
      i++
      blocks.push({ type: 'codeBlock', attrs: { language: fence[1] || null }, content: code.length ? [{ type: 'text', text: code.join('\n') }] : undefined })
      continue
    }
    const heading = line.match(/^(#{1,6})\s+(.*)$/)
    if (heading) {
      blocks.push({ type: 'heading', attrs: { level: heading[1].length }, content: inline(heading[2].trim()) })
      i++
      continue
    }
    if (/^(\*\s*\*\s*\*|-\s*-\s*-|_\s*_\s*_)[\s*_-]*$/.test(line)) {
      blocks.push({ type: 'rule' })
      i++
      continue
    }
    const image = line.match(/^!\[([^\]]*)\]\(([^)\s]+)[^)]*\)\s*$/)
    if (image) {
      blocks.push({ type: 'mediaSingle', attrs: { layout: 'center' }, content: [{ type: 'media', attrs: { type: 'file', alt: image[1], url: image[2] } }] })
      i++
      continue
    }
    if (line.startsWith('>')) {
      const quoted: string[] = []
      while (i < lines.length && lines[i].startsWith('>')) quoted.push(lines[i++].replace(/^>\s?/, ''))
      blocks.push({ type: 'blockquote', content: markdownToDoc(quoted.join('\n')).content ?? [paragraph('')] })
      continue
    }
    const bullet = /^\s*[-*+]\s+/
    const ordered = /^\s*\d+[.)]\s+/
    if (bullet.test(line) || ordered.test(line)) {
      const isOrdered = ordered.test(line)
      const marker = isOrdered ? ordered : bullet
      const items: PmNode[] = []
      while (i < lines.length && marker.test(lines[i])) {
        items.push({ type: 'listItem', content: [paragraph(lines[i].replace(marker, ''))] })
        i++
      }
      blocks.push({ type: isOrdered ? 'orderedList' : 'bulletList', content: items })
      continue
    }
    const para: string[] = []
    while (i < lines.length && !/^\s*$/.test(lines[i]) && !/^(#{1,6}\s|```|>|\s*[-*+]\s|\s*\d+[.)]\s)/.test(lines[i])) para.push(lines[i++])
    blocks.push(paragraph(para.join(' ')))
  }
  return { type: 'doc', content: blocks.length ? blocks : [{ type: 'paragraph' }] }
}

/** isTar in model/note/import.go: the "ustar" magic at offset 257. */
export function isTar(buf: Buffer): boolean {
  return buf.length >= 263 && buf.toString('latin1', 257, 262) === 'ustar' && buf[262] === 0
}

/** The index.md of a note archive (tar), or null. */
export function markdownFromTar(buf: Buffer): string | null {
  let offset = 0
  while (offset + 512 <= buf.length) {
    const header = buf.subarray(offset, offset + 512)
    const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '')
    if (!name) return null
    const size = parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8)
    const type = String.fromCharCode(header[156] || 48)
    const start = offset + 512
    if (name === 'index.md' && (type === '0' || type === '\0')) return buf.toString('utf8', start, start + size)
    offset = start + Math.ceil(size / 512) * 512
  }
  return null
}

/** The note metadata of a `.cozy-note` file (fillMetadata in model/note/import.go). */
export function noteMetadata(name: string, content: Buffer, previousRev?: string): Record<string, unknown> | null {
  if (content.length > MAX_MARKDOWN_SIZE) return null
  const markdown = isTar(content) ? markdownFromTar(content) : content.toString('utf8')
  if (markdown === null) return null
  const version = previousRev ? Number(previousRev.split('-')[0]) * 1000 : 1
  return { title: name.replace(/\.cozy-note$/, ''), content: markdownToDoc(markdown), version, schema: NOTE_SCHEMA }
}
