/**
 * The calendar file: the event JSON of OPEN-ENT-NG/calendar (read from a generated archive)
 * written as RFC 5545 text: dates to the second, plain DESCRIPTION, HTML in X-ALT-DESC.
 */
import path from 'path'
import { temporaryDirectory } from '../../test/fixtures/paths'
import { writeWscalArchive } from '../../test/fixtures/wscal-cases'
import { openArchiveFile, type CalendarEventModel } from '../ent/node'
import { calendarIcs, descriptionParts, htmlToPlainText, icsEvent } from './ics'

/** The content lines of an iCalendar text, folded lines joined back (RFC 5545 §3.1). */
function unfold(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n')
}

const NBSP = '\u00a0'

describe('HTML descriptions as plain text', () => {
  it('keeps paragraphs and <br> as line breaks, an empty paragraph as a blank line', () => {
    expect(htmlToPlainText('<p>Un</p><p>Deux<br>Trois</p><p><br></p><p>Quatre</p>')).toBe('Un\nDeux\nTrois\n\nQuatre')
  })

  it('decodes entities, collapses source whitespace, lists items, drops scripts and styles', () => {
    expect(htmlToPlainText('<p>Salle&nbsp;12 &amp; 13 &lt;B&gt; &eacute;t&eacute; &#8217; &#x2014;</p>')).toBe(`Salle${NBSP}12 & 13 <B> été ’ —`)
    expect(htmlToPlainText('<div>\n  Bonjour\n   à   tous\n</div>')).toBe('Bonjour à tous')
    expect(htmlToPlainText('<ul><li>un</li><li>deux</li></ul>')).toBe('- un\n- deux')
    expect(htmlToPlainText('<p>Texte<script>alert(1)</script><style>p{}</style></p>')).toBe('Texte')
  })

  it('leaves plain text (older events) alone and gives no HTML for it', () => {
    expect(descriptionParts('Salle 12 <- à gauche')).toEqual({ text: 'Salle 12 <- à gauche', html: undefined })
    expect(descriptionParts('  ')).toEqual({ text: undefined, html: undefined })
    expect(descriptionParts(null)).toEqual({ text: undefined, html: undefined })
  })

  it('sanitises the HTML kept for X-ALT-DESC', () => {
    const parts = descriptionParts('<p onclick="x()">Ok<img src=x onerror="alert(1)"><script>alert(2)</script></p>')
    expect(parts.text).toBe('Ok')
    expect(parts.html).toBe('<p>Ok<img src="x" /></p>')
  })
})

describe('the .ics of an ENT event', () => {
  const tmp = temporaryDirectory('ics-')
  let event: CalendarEventModel
  let lines: string[]

  beforeAll(async () => {
    const target = path.join(tmp.dir, 'wscal.zip')
    await writeWscalArchive(target)
    const archive = await openArchiveFile(target)
    const location = archive.apps.find(a => a.app === 'calendar')
    if (!location) throw new Error('no calendar')
    for await (const item of archive.readApp(location)) if (item.type === 'event') event = item
    await archive.close()
    const ics = icsEvent(event)
    if (!ics) throw new Error('no ics event')
    lines = unfold(calendarIcs('Agenda de classe', [ics]))
  })

  afterAll(() => tmp.remove())

  it('keeps the seconds of CREATED and LAST-MODIFIED, in UTC', () => {
    expect(lines).toContain('CREATED:20260330T081542Z')
    expect(lines).toContain('LAST-MODIFIED:20260331T170409Z')
    expect(lines).toContain('DTSTART:20260402T150000Z')
    expect(lines).toContain('DTEND:20260402T163000Z')
  })

  it('writes the description as escaped plain text, and the HTML in X-ALT-DESC', () => {
    expect(lines).toContain(`DESCRIPTION:Salle${NBSP}12\\, bâtiment A\\nApportez vos cahiers & stylos\\nMerci`)
    // TEXT escaping applies inside the HTML too (`&amp\;`); clients unescape before rendering.
    expect(lines).toContain(`X-ALT-DESC;FMTTYPE=text/html:<p>Salle${NBSP}12\\, bâtiment A</p><p>Apportez <strong>vos</strong> cahiers &amp\\; stylos<br />Merci</p>`)
  })
})
