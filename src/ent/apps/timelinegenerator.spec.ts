import path from 'path'
import { EVENTS, TIMELINE, TIMELINE_FOLDER, writeNotes1Archive } from '../../../test/fixtures/notes1-cases'
import { temporaryDirectory } from '../../../test/fixtures/paths'
import { ArchiveWarning, ContentGroup, EntArchive, EntItem, openArchiveFile, RichText } from '../node'
import { eventPeriod } from './timelinegenerator'

const tmp = temporaryDirectory()
let archive: EntArchive
const items: EntItem[] = []
const warnings: ArchiveWarning[] = []

beforeAll(async () => {
  const written = await writeNotes1Archive(path.join(tmp.dir, 'timeline.zip'))
  archive = await openArchiveFile(written.path)
  const location = archive.apps.find(a => a.app === 'timelinegenerator')
  if (!location) throw new Error('no timeline app')
  for await (const item of archive.readApp(location, w => warnings.push(w))) items.push(item)
})

afterAll(async () => {
  await archive?.close()
  tmp.remove()
})

const notes = (): RichText[] => items.filter((i): i is RichText => i.type === 'rich-text')
const eventNote = (id: string): RichText => {
  const found = notes().find(n => n.entId === id && n.collection === 'timelinegeneratorevent')
  if (!found) throw new Error(`no event ${id}`)
  return found
}

describe('timeline generator reader', () => {
  it('finds the timeline, one note per event, and every file the exporter named', () => {
    expect(warnings).toEqual([])
    const group = items.find((i): i is ContentGroup => i.type === 'group')
    expect([group?.entId, group?.title, group?.description]).toEqual([TIMELINE._id, TIMELINE.title, TIMELINE.text])
    expect(notes().filter(n => n.collection === 'timelinegeneratorevent').map(n => [n.entId, n.title, n.groupId])).toEqual(EVENTS.map(e => [e._id, e.headline, TIMELINE._id]))
    expect(items.filter(i => i.type === 'binary').every(i => i.type === 'binary' && i.referenced)).toBe(true)
  })

  it('keeps the start, the end and the precision of each event', () => {
    const periods = EVENTS.map(e => eventNote(e._id).period)
    expect(periods.map(p => p && [p.start.toISOString(), p.end?.toISOString() ?? null, p.precision])).toEqual([
      ['1789-03-21T10:15:00.000Z', '1799-05-02T10:15:00.000Z', 'year'],
      // An empty endDate is an event without an end.
      ['1804-12-02T11:00:00.000Z', null, 'month'],
      ['1815-06-18T10:00:00.000Z', '1815-06-18T10:00:00.000Z', 'day'],
      // No dateFormat: the ENT's front end takes it as a day.
      ['2024-03-13T23:00:00.000Z', '2024-04-01T22:00:00.000Z', 'day']
    ])
  })

  it('reads the older Mongo date form, and drops an end before the start or a date it cannot use', () => {
    expect(eventPeriod({ startDate: { $date: -5694969600000 }, dateFormat: 'month' })).toEqual({ start: new Date(-5694969600000), end: null, precision: 'month' })
    expect(eventPeriod({ startDate: '2024-05-01T10:00:00.000Z', endDate: '2024-04-01T10:00:00.000Z', dateFormat: 'century' })).toEqual({ start: new Date('2024-05-01T10:00:00.000Z'), end: null, precision: 'day' })
    expect(eventPeriod({ startDate: 'not a date' })).toBeNull()
    expect(eventPeriod({ startDate: { $date: 8.64e15 } })).toBeNull()
  })

  it('puts the event picture and video inside the note, and resolves the picture to its Documents/ copy', () => {
    const withImage = EVENTS.find(e => e.img)
    const note = eventNote(String(withImage?._id))
    expect(note.html).toContain(`<img src="/workspace/document/${withImage?.img?.id}"`)
    expect(note.attachments.map(a => [a.documentId, a.file?.path])).toEqual([[withImage?.img?.id, `${TIMELINE_FOLDER}/Documents/bastille_${withImage?.img?.id}.jpg`]])
    const withVideo = EVENTS.find(e => e.video)
    expect(eventNote(String(withVideo?._id)).html).toContain('<a href="https://video.example/watch?v=bataille&amp;t=10">')
  })

  it('keeps the timeline text and picture in a note of its own, inside the timeline', () => {
    const own = notes().find(n => n.collection === 'timelinegenerator')
    expect([own?.entId, own?.title, own?.groupId]).toEqual([TIMELINE._id, TIMELINE.title, TIMELINE._id])
    expect(own?.html).toContain(TIMELINE.text)
    expect(own?.html).toContain(`<img src="/workspace/document/${TIMELINE.iconId}"`)
    expect(own?.shares).toEqual([])
    expect(own?.period).toBeUndefined()
  })
})
