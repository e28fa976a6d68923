/**
 * Mind maps as FreeMind files. The ENT's mind map app stores Wisemapping's XML
 * (`<map version="tango"><topic central="true" text="…">`; OPEN-ENT-NG/mindmap
 * frontend/src/config/default-map/index.ts, saved by frontend/src/features/mindmap/
 * MindmapStorageManager.ts through @edifice-wisemapping/editor), which FreeMind and Freeplane
 * cannot open. The topic grammar followed here is Wisemapping's serializer
 * (edificeio/edifice-wisemapping packages/mindplot/src/components/persistence/
 * XMLSerializerTango.ts, model/NoteModel.ts, model/LinkModel.ts): a topic's text is its `text`
 * attribute or, when it spans lines, a `<text>` CDATA child; notes are `<note>` with CDATA (or
 * an older URL-escaped `text` attribute); links are `<link url>`; relationships sit at the map
 * level as `<relationship srcTopicId destTopicId>`; top-level topics other than the central
 * one float free. FreeMind has a single root, so those become children of the root.
 *
 * Both the reading and the writing walk the tree with their own stack: a map nested thousands
 * of levels deep must not exhaust the call stack.
 */
import { childElements, parseXml, textOf, XmlElement } from './xml-lite'

export interface FreemindMap {
  /** The `.mm` file's text. */
  xml: string
  /** Topics written as `<node>` (the root included). */
  nodes: number
}

// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

function clean(text: string): string {
  return text.replace(INVALID_XML, '')
}

export function escapeAttribute(text: string): string {
  return clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')
}

function escapeText(text: string): string {
  return clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** JavaScript's `unescape` (older Wisemapping notes): %XX and %uXXXX. */
function unescapeNote(text: string): string {
  return text.replace(/%u([0-9a-fA-F]{4})|%([0-9a-fA-F]{2})/g, (_, u: string | undefined, b: string | undefined) => String.fromCharCode(parseInt(u ?? b ?? '0', 16)))
}

/** True when the stored map is already FreeMind's (`<map><node …>`): kept as it is. */
export function isFreemind(root: XmlElement): boolean {
  return root.name === 'map' && childElements(root, 'node').length > 0 && childElements(root, 'topic').length === 0
}

function topicText(topic: XmlElement): string {
  if (topic.attrs.text !== undefined && topic.attrs.text !== '') return topic.attrs.text
  const text = childElements(topic, 'text')[0]
  return text ? textOf(text) : ''
}

function noteOf(topic: XmlElement): string | null {
  const parts: string[] = []
  for (const note of childElements(topic, 'note')) {
    const text = note.attrs.text !== undefined && note.attrs.text !== '' ? unescapeNote(note.attrs.text) : textOf(note)
    if (text.trim() !== '') parts.push(text)
  }
  return parts.length > 0 ? parts.join('\n\n') : null
}

function linkOf(topic: XmlElement): string | null {
  for (const link of childElements(topic, 'link')) if (link.attrs.url && link.attrs.url.trim() !== '') return link.attrs.url.trim()
  return null
}

/** A note as FreeMind's rich content: XHTML, one paragraph per line. */
function noteXml(note: string): string {
  const paragraphs = note.split(/\r?\n/).map(line => `<p>${escapeText(line)}</p>`)
  return `<richcontent TYPE="NOTE"><html><head></head><body>${paragraphs.join('')}</body></html></richcontent>`
}

// FreeMind reads #rrggbb only (Tools.xmlToColor).
const COLOR = /^#[0-9a-fA-F]{6}$/

interface Frame {
  /** The topic, or null for a root made up because the map has no central topic. */
  topic: XmlElement | null
  children: XmlElement[]
  next: number
}

/**
 * Wisemapping's map as a FreeMind 1.0 map. `mapName` names the root when the map has no
 * central topic or the central topic has no text (Wisemapping then shows the map's name).
 * Throws when the XML is not well-formed.
 */
export function wisemappingToFreemind(source: string, mapName: string): FreemindMap {
  return convertMap(parseXml(source), mapName)
}

function convertMap(map: XmlElement, mapName: string): FreemindMap {
  if (map.name !== 'map') throw new Error(`the root element is <${map.name}>, not <map>`)
  const topLevel = childElements(map, 'topic')
  const central = topLevel.find(t => t.attrs.central === 'true') ?? null
  const floating = topLevel.filter(t => t !== central)

  // Ids first, so that relationships can point forward; in document order, as Wisemapping
  // keeps the first topic of a repeated id.
  const ids = new Map<XmlElement, string>()
  const byWisemappingId = new Map<string, string>()
  let generated = 0
  const pending = [...topLevel].reverse()
  while (pending.length > 0) {
    const topic = pending.pop() as XmlElement
    const own = topic.attrs.id
    let id: string
    if (own && /^\d+$/.test(own) && !byWisemappingId.has(own)) {
      id = `ID_${own}`
      byWisemappingId.set(own, id)
    } else id = `ID_n${++generated}`
    ids.set(topic, id)
    const children = childElements(topic, 'topic')
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i])
  }
  const arrows = new Map<string, string[]>()
  for (const relationship of childElements(map, 'relationship')) {
    const from = byWisemappingId.get(relationship.attrs.srcTopicId ?? '')
    const to = byWisemappingId.get(relationship.attrs.destTopicId ?? '')
    if (!from || !to || from === to) continue
    arrows.set(from, [...(arrows.get(from) ?? []), to])
  }

  const out: string[] = ['<map version="1.0.1">\n']
  let nodes = 0
  const open = (topic: XmlElement | null, depth: number): void => {
    nodes++
    const attrs: string[] = []
    const text = topic ? topicText(topic) : ''
    attrs.push(`TEXT="${escapeAttribute(text === '' && depth === 0 ? mapName : text)}"`)
    attrs.push(`ID="${topic ? ids.get(topic) : 'ID_root'}"`)
    if (topic && depth === 1) {
      const x = Number.parseInt((topic.attrs.position ?? '').split(',')[0], 10)
      attrs.push(`POSITION="${Number.isFinite(x) && x < 0 ? 'left' : 'right'}"`)
    }
    if (topic && depth > 0 && topic.attrs.shrink === 'true' && childElements(topic, 'topic').length > 0) attrs.push('FOLDED="true"')
    const link = topic ? linkOf(topic) : null
    if (link) attrs.push(`LINK="${escapeAttribute(link)}"`)
    const color = topic?.attrs.fontStyle?.split(';')[2]
    if (color && COLOR.test(color)) attrs.push(`COLOR="${color}"`)
    if (topic?.attrs.bgColor && COLOR.test(topic.attrs.bgColor)) attrs.push(`BACKGROUND_COLOR="${topic.attrs.bgColor}"`)
    out.push(`<node ${attrs.join(' ')}>\n`)
    const note = topic ? noteOf(topic) : null
    if (note) out.push(`${noteXml(note)}\n`)
    for (const destination of (topic && arrows.get(ids.get(topic) as string)) || []) out.push(`<arrowlink DESTINATION="${destination}" STARTARROW="None" ENDARROW="Default"/>\n`)
  }

  const stack: Frame[] = [{ topic: central, children: [...(central ? childElements(central, 'topic') : []), ...floating], next: 0 }]
  open(central, 0)
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]
    if (frame.next >= frame.children.length) {
      out.push('</node>\n')
      stack.pop()
      continue
    }
    const child = frame.children[frame.next++]
    open(child, stack.length)
    stack.push({ topic: child, children: childElements(child, 'topic'), next: 0 })
  }
  out.push('</map>\n')
  return { xml: out.join(''), nodes }
}

/** The FreeMind text of a map as the ENT stored it, with what was done to it. */
export type MindmapConversion =
  | { kind: 'freemind'; xml: string }
  | { kind: 'converted'; xml: string; nodes: number }
  | { kind: 'unreadable'; xml: string; reason: string }

/**
 * A stored map to FreeMind: kept when it already is FreeMind, converted from Wisemapping, or,
 * when it cannot be read, a map with only its name (the caller keeps the original beside it).
 */
export function mindmapToFreemind(stored: string, mapName: string): MindmapConversion {
  try {
    const root = parseXml(stored)
    if (isFreemind(root)) return { kind: 'freemind', xml: stored }
    const converted = convertMap(root, mapName)
    return { kind: 'converted', xml: converted.xml, nodes: converted.nodes }
  } catch (err) {
    const xml = `<map version="1.0.1">\n<node TEXT="${escapeAttribute(mapName)}" ID="ID_root">\n</node>\n</map>\n`
    return { kind: 'unreadable', xml, reason: err instanceof Error ? err.message : String(err) }
  }
}
