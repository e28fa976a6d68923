/**
 * A small XML reader for the maps the mind map app stores: elements, attributes, text, CDATA,
 * comments and processing instructions, the five named entities and character references.
 * Neither the konnector (Node) nor the browser preview may rely on DOMParser, and a map can be
 * deep: the reader keeps its own stack, so depth costs memory, never call-stack frames.
 * No DTD, no namespaces (the maps have neither); malformed input throws.
 */

export interface XmlElement {
  name: string
  attrs: Record<string, string>
  children: XmlNode[]
}

export type XmlNode = XmlElement | string

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED[ref] ?? whole
  })
}

const NAME = /^[^\s/>=<"']+/
const ATTRIBUTE = /\s*([^\s/>=<"']+)\s*=\s*("([^"]*)"|'([^']*)')/y

function fail(message: string, at: number): never {
  throw new Error(`${message} at character ${at}`)
}

/** The document's root element. */
export function parseXml(xml: string): XmlElement {
  const open: XmlElement[] = []
  let root: XmlElement | null = null
  let at = 0
  const append = (node: XmlNode): void => {
    const parent = open[open.length - 1]
    if (parent) parent.children.push(node)
    else if (typeof node !== 'string' || node.trim() !== '') fail('content outside the root element', at)
  }
  while (at < xml.length) {
    const lt = xml.indexOf('<', at)
    if (lt === -1 || lt > at) {
      const end = lt === -1 ? xml.length : lt
      append(decodeEntities(xml.slice(at, end)))
      at = end
      continue
    }
    if (xml.startsWith('<!--', at)) {
      const end = xml.indexOf('-->', at + 4)
      if (end === -1) fail('unclosed comment', at)
      at = end + 3
    } else if (xml.startsWith('<![CDATA[', at)) {
      const end = xml.indexOf(']]>', at + 9)
      if (end === -1) fail('unclosed CDATA section', at)
      append(xml.slice(at + 9, end))
      at = end + 3
    } else if (xml.startsWith('<?', at)) {
      const end = xml.indexOf('?>', at + 2)
      if (end === -1) fail('unclosed processing instruction', at)
      at = end + 2
    } else if (xml.startsWith('<!', at)) {
      const end = xml.indexOf('>', at + 2)
      if (end === -1) fail('unclosed declaration', at)
      at = end + 1
    } else if (xml.startsWith('</', at)) {
      const end = xml.indexOf('>', at + 2)
      if (end === -1) fail('unclosed end tag', at)
      const name = xml.slice(at + 2, end).trim()
      const element = open.pop()
      if (!element || element.name !== name) fail(`unexpected </${name}>`, at)
      at = end + 1
    } else {
      const name = NAME.exec(xml.slice(at + 1, at + 1 + 256))?.[0]
      if (!name) fail('invalid tag', at)
      const element: XmlElement = { name, attrs: {}, children: [] }
      let cursor = at + 1 + name.length
      for (;;) {
        ATTRIBUTE.lastIndex = cursor
        const match = ATTRIBUTE.exec(xml)
        if (!match) break
        element.attrs[match[1]] = decodeEntities(match[3] ?? match[4] ?? '')
        cursor = ATTRIBUTE.lastIndex
      }
      while (cursor < xml.length && /\s/.test(xml[cursor])) cursor++
      const selfClosing = xml.startsWith('/>', cursor)
      if (!selfClosing && xml[cursor] !== '>') fail(`malformed <${name}>`, at)
      if (open.length === 0) {
        if (root) fail('a second root element', at)
        root = element
      } else append(element)
      if (!selfClosing) open.push(element)
      at = cursor + (selfClosing ? 2 : 1)
    }
  }
  if (open.length > 0) fail(`unclosed <${open[open.length - 1].name}>`, at)
  if (!root) fail('no root element', at)
  return root
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name))
}

/** Text and CDATA directly inside an element. */
export function textOf(element: XmlElement): string {
  return element.children.filter((c): c is string => typeof c === 'string').join('')
}
