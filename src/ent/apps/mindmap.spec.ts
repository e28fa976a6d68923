// Mind maps: Wisemapping's XML (what the ENT stores) becomes a FreeMind map that a strict XML
// parser reads back with the same topic tree, notes, links and relationships; deep maps
// convert without exhausting the stack; the reader keeps the original and the description.
import path from 'path'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { deepMap, expectedNodes, readFreemind, REVISION_MAP, wisemappingXml, writeNotes2Archive, type MapSpec } from '../../../test/fixtures/notes2-cases'
import { ArchiveWarning, openArchiveFile, RichText } from '../node'
import { mindmapToFreemind, wisemappingToFreemind } from './mindmap-freemind'

const tmp = temporaryDirectory()
afterAll(() => tmp.remove())

describe('Wisemapping → FreeMind', () => {
  it('keeps the topic tree, floating topics under the root, in order', () => {
    const mm = readFreemind(wisemappingToFreemind(wisemappingXml(REVISION_MAP), REVISION_MAP.name).xml)
    expect(mm.version).toBe('1.0.1')
    expect(mm.nodes).toEqual(expectedNodes(REVISION_MAP))
    expect(mm.nodes).toEqual([
      '0:Brevet 2026',
      '1:Maths',
      '2:Fractions',
      '2:Théorème de\nPythagore',
      '1:Français "lettres"',
      '2:Molière & Racine',
      '1:Histoire',
      '1:Idée en vrac 💡'
    ])
  })

  it('keeps notes, links, sides, folding and relationships, escaped', () => {
    const mm = readFreemind(wisemappingToFreemind(wisemappingXml(REVISION_MAP), REVISION_MAP.name).xml)
    expect(mm.notes.get('Brevet 2026')).toBe('Réviser chaque soir.\nUne matière par jour.')
    expect(mm.notes.get('Théorème de\nPythagore')).toBe('a² + b² = c² <toujours>')
    expect(mm.attributes.get('Maths')?.LINK).toBe('https://ent.example/maths?a=1&b=2')
    expect([mm.attributes.get('Maths')?.POSITION, mm.attributes.get('Français "lettres"')?.POSITION]).toEqual(['right', 'left'])
    expect(mm.attributes.get('Français "lettres"')?.FOLDED).toBe('true')
    expect(mm.attributes.get('Fractions')?.POSITION).toBeUndefined()
    expect(mm.arrows).toEqual([['Fractions', 'Idée en vrac 💡']])
    const ids = [...mm.attributes.values()].map(a => a.ID)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('names the root after the map when there is no central topic or it has no text', () => {
    const empty = readFreemind(wisemappingToFreemind('<map name="MOLIERE" version="tango"></map>', 'MOLIERE').xml)
    expect(empty.nodes).toEqual(['0:MOLIERE'])
    const untitled: MapSpec = { name: 'Sans texte', central: { text: '', children: [{ text: 'Enfant' }] } }
    expect(readFreemind(wisemappingToFreemind(wisemappingXml(untitled), 'Sans texte').xml).nodes).toEqual(['0:Sans texte', '1:Enfant'])
    const free: MapSpec = { name: 'Libre', central: null, floating: [{ text: 'A', children: [{ text: 'A1' }] }, { text: 'B' }] }
    expect(readFreemind(wisemappingToFreemind(wisemappingXml(free), 'Libre').xml).nodes).toEqual(['0:Libre', '1:A', '2:A1', '1:B'])
  })

  it('reads older notes (URL-escaped text attribute), entities and control characters', () => {
    const xml = '<map version="pela"><topic central="true" text="A &amp; B &#233;t&#xe9;" id="1"><note text="Bonjour%20%E9l%E8ve%u2019s"/><topic position="-10,0" text="x\u0001y" id="1"/></topic></map>'
    const mm = readFreemind(wisemappingToFreemind(xml, 'Carte').xml)
    expect(mm.nodes).toEqual(['0:A & B été', '1:xy'])
    expect(mm.notes.get('A & B été')).toBe('Bonjour élève’s')
    // A repeated Wisemapping id: the first topic keeps it, the next one gets its own.
    expect([mm.attributes.get('A & B été')?.ID, mm.attributes.get('xy')?.ID]).toEqual(['ID_1', 'ID_n1'])
  })

  it('keeps colours FreeMind can read', () => {
    const xml = '<map version="tango"><topic central="true" text="C" id="1" fontStyle=";;#ff0000;bold;;" bgColor="#00ff00"><topic position="5,5" text="D" id="2" fontStyle=";;#abc;;;" bgColor="red"/></topic></map>'
    const mm = readFreemind(wisemappingToFreemind(xml, 'Couleurs').xml)
    expect([mm.attributes.get('C')?.COLOR, mm.attributes.get('C')?.BACKGROUND_COLOR]).toEqual(['#ff0000', '#00ff00'])
    expect([mm.attributes.get('D')?.COLOR, mm.attributes.get('D')?.BACKGROUND_COLOR]).toEqual([undefined, undefined])
  })

  it('converts a map 50,000 topics deep without recursion', () => {
    const spec = deepMap('Profonde', 50_000)
    const converted = wisemappingToFreemind(wisemappingXml(spec), 'Profonde')
    expect(converted.nodes).toBe(50_001)
    const nodes = readFreemind(converted.xml).nodes
    expect(nodes.length).toBe(50_001)
    expect(nodes[50_000]).toBe('50000:Niveau 50000')
    expect(nodes).toEqual(expectedNodes(spec))
  })

  it('keeps a FreeMind map as it is, and names what it cannot read', () => {
    const freemind = '<map version="0.9.0"><node TEXT="Racine"/></map>'
    expect(mindmapToFreemind(freemind, 'X')).toEqual({ kind: 'freemind', xml: freemind })
    const broken = mindmapToFreemind('<map version="tango"><topic central="true" text="A">', 'Carte cassée')
    expect(broken.kind).toBe('unreadable')
    expect(readFreemind(broken.xml).nodes).toEqual(['0:Carte cassée'])
    expect(mindmapToFreemind('<svg/>', 'Pas une carte').kind).toBe('unreadable')
  })
})

describe('the mind map reader', () => {
  it('yields the FreeMind map, the stored XML and the description; warns about an unreadable map', async () => {
    const file = path.join(tmp.dir, 'maps.zip')
    const revision = wisemappingXml(REVISION_MAP)
    await writeNotes2Archive(file, {
      mindmaps: [
        { id: 'm1', name: REVISION_MAP.name, spec: REVISION_MAP, description: 'Pour le brevet.\n\nÀ revoir en mai.' },
        { id: 'm2', name: 'Cassée', map: '<map version="tango"><topic central="true"' },
        { id: 'm3', name: 'Jamais ouverte' }
      ]
    })
    const archive = await openArchiveFile(file)
    const warnings: ArchiveWarning[] = []
    const items: RichText[] = []
    for await (const item of archive.readApp(archive.apps[0], w => warnings.push(w))) if (item.type === 'rich-text') items.push(item)
    await archive.close()
    const byId = new Map(items.map(i => [i.entId, i]))
    const m1 = byId.get('m1') as RichText
    expect(m1.mindmapSource).toBe(revision)
    expect(readFreemind(m1.mindmapXml as string).nodes).toEqual(expectedNodes(REVISION_MAP))
    expect(m1.plainText).toBe('Pour le brevet.\n\nÀ revoir en mai.')
    const m2 = byId.get('m2') as RichText
    expect([m2.mindmapSource, readFreemind(m2.mindmapXml as string).nodes]).toEqual(['<map version="tango"><topic central="true"', ['0:Cassée']])
    expect(warnings.map(w => w.code)).toEqual(['unreadable-entry'])
    // No map stored yet: the app's default map, a central topic named after it; nothing to keep beside.
    const m3 = byId.get('m3') as RichText
    expect([m3.mindmapSource, readFreemind(m3.mindmapXml as string).nodes]).toEqual([null, ['0:Jamais ouverte']])
  })
})
