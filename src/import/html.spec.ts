import { escapeMarkdown, htmlToMarkdown, markdownPath, noteMarkdown, sanitizeEntHtml, TimeBudgetError, workspaceDocumentId } from './html'
import { checkRawHtml, conversionPieces, HtmlLimitError, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS } from './html-shape'
import { boldWordsParagraph, FLAT_PARAGRAPH, flatPost, nestedHtml, nestedPost } from '../../test/fixtures/html-cases'

import { markdownDangers, markdownText } from '../../test/fixtures/markdown-safety'

/** What CommonMark readers turned back into links, images and raw HTML through the converter. */
const MARKDOWN_BREAKERS = [
  '<p><img src="https://ent.example/a.png?x=1)(javascript:alert(1)" alt="x"></p>',
  '<p><a href="https://ent.example/x)[y](javascript:alert(2)">lien</a></p>',
  '<p><a href="https://ent.example/" title="a&quot; onclick=&quot;alert(3)">titre</a></p>',
  '<p>&lt;img src=x onerror=alert(4)&gt; et &lt;script&gt;alert(5)&lt;/script&gt;</p>',
  '<p>&lt;javascript:alert(6)&gt; et [clic](javascript:alert(7)) et ![i](javascript:alert(8))</p>',
  '<p>&amp;lt;b&amp;gt; &amp;#60;i&amp;#62; &lt;!-- commentaire --&gt;</p>',
  '<p><a href="mailto:a@b.c">mail</a> <a href="https://ent.example/ok">sûr</a> <img src="https://ent.example/i.png" alt="image ] (javascript:x)"></p>',
  '<pre><code>&lt;script&gt;alert(9)&lt;/script&gt;</code></pre><p>`&lt;b&gt;`</p>',
  // No scheme for the sanitiser, a colon once a CommonMark reader decodes the entity.
  '<p><a href="javascript&amp;#58;alert(10)">e</a> <img src="javascript&amp;colon;alert(11)" alt="i"> &lt;3@ent.example&gt;</p>'
]

describe('ENT HTML to Markdown', () => {
  it('keeps the text, emphasis, lists, headings and safe links', () => {
    const md = htmlToMarkdown('<h2>Titre</h2><p>Un <strong>mot</strong> et <em>un autre</em>.</p><ul><li>un</li><li>deux</li></ul><p><a href="https://ent.example/page?a=1">lien</a></p>')
    expect(md).toBe('## Titre\n\nUn **mot** et *un autre*.\n\n-   un\n-   deux\n\n[lien](https://ent.example/page?a=1)')
  })

  it.each([
    ['a script', '<p>ok</p><script>alert(1)</script>', /alert|script/i],
    ['an event handler', '<p onclick="alert(1)">ok<img src="https://x.example/i.png" onerror="alert(2)"></p>', /onclick|onerror|alert/i],
    ['a javascript: link in any case', '<a href=" JaVaScRiPt:alert(1)">ok</a>', /javascript|alert/i],
    ['a data: image', '<p>ok<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="pic"></p>', /data:|pic/i],
    ['an iframe, object and embed', '<iframe src="https://evil.example"></iframe><object data="x"></object><embed src="y">ok', /iframe|object|embed|evil/i],
    ['a style sheet', '<style>body{background:url(javascript:alert(1))}</style><p>ok</p>', /style|javascript|alert/i],
    ['an SVG with onload', '<svg onload="alert(1)"><circle /></svg><p>ok</p>', /svg|onload|alert/i],
    ['a protocol-relative link', '<a href="//evil.example/x">ok</a>', /evil/i]
  ])('removes %s', (_label, html, forbidden) => {
    const md = htmlToMarkdown(html)
    expect(md).toContain('ok')
    expect(md).not.toMatch(forbidden)
  })

  it('points /workspace/document/<id> links and images to the imported files', () => {
    const html = '<p><img src="/workspace/document/ABC-123?timestamp=1" alt="figure"><a href="https://ent.example/workspace/document/def-456">doc</a><a href="/workspace/document/zzz">gone</a></p>'
    const md = htmlToMarkdown(html, id => ({ 'abc-123': 'figure%201.png', 'def-456': '../Espace%20documentaire/doc.pdf' })[id] ?? null)
    expect(md).toBe('![figure](figure%201.png)[doc](../Espace%20documentaire/doc.pdf)gone')
  })

  it('finds the document id of ENT links', () => {
    expect(workspaceDocumentId('/workspace/document/26a7968e-f0d7-44c0-b141-b0d655d958e4')).toBe('26a7968e-f0d7-44c0-b141-b0d655d958e4')
    expect(workspaceDocumentId('/workspace/pub/document/ABC?x=1')).toBe('abc')
    expect(workspaceDocumentId('https://other.example/page')).toBeNull()
  })

  it('encodes paths so the Markdown link survives spaces, quotes and parentheses', () => {
    expect(markdownPath(['..', 'Espace documentaire', 'Capture d’écran (1).png'])).toBe('../Espace%20documentaire/Capture%20d%E2%80%99%C3%A9cran%20%281%29.png')
  })

  it('sanitises mail bodies with the same allow-list', () => {
    expect(sanitizeEntHtml('<p style="color:red" onmouseover="x()">Bonjour<script>x()</script></p>')).toBe('<p>Bonjour</p>')
  })
})

describe('notes read back as CommonMark', () => {
  it.each(MARKDOWN_BREAKERS)('holds no raw HTML and no link outside the web, the import and anchors: %s', html => {
    const markdown = htmlToMarkdown(html, id => `Documents/${id}.png`)
    expect([markdown, markdownDangers(markdown)]).toEqual([markdown, []])
  })

  it('leaves ordinary French prose as typed', () => {
    const prose = 'L’été (enfin)\u202f: Pierre & Marie, 1 < 2, «\u202fguillemets\u202f» et 50\u00a0%\u202f!'
    expect(htmlToMarkdown(`<p>${prose.replace('&', '&amp;').replace('<', '&lt;')}</p>`)).toBe(prose)
    expect(escapeMarkdown('Sortie (CM2) & goûter')).toBe('Sortie (CM2) & goûter')
    // What reads as an entity is shown as typed, not decoded.
    expect(markdownText(escapeMarkdown('&amp; &#60; &colon;'))).toBe('&amp; &#60; &colon;\n')
  })

  it('keeps what is safe: web links, images of the import, the text itself', () => {
    const markdown = htmlToMarkdown('<p>Voir <a href="https://ent.example/ok" title="Le &quot;site&quot;">le site</a> et <img src="/workspace/document/3f2a1b4c-0000-4000-8000-000000000001" alt="photo"> (1 &lt; 2)</p>', id => `Documents/photo%20${id}.png`)
    expect(markdown).toContain('[le site](https://ent.example/ok "Le \\"site\\"")')
    expect(markdown).toContain('![photo](Documents/photo%20')
    expect(markdown).toContain('(1 < 2)')
    expect(markdownDangers(markdown)).toEqual([])
  })
})

describe('bounded HTML', () => {
  const limitOf = (html: string): string | null => {
    try {
      checkRawHtml(html)
      return null
    } catch (err) {
      return err instanceof HtmlLimitError ? err.limit : `other: ${String(err)}`
    }
  }

  it('converts what nests up to the cap and refuses one level more, before sanitising', () => {
    expect(htmlToMarkdown(nestedHtml(MAX_HTML_DEPTH, 'au fond'))).toBe('au fond')
    expect(limitOf(nestedHtml(MAX_HTML_DEPTH + 1))).toBe('depth')
    expect(() => htmlToMarkdown(nestedHtml(MAX_HTML_DEPTH + 1))).toThrow(HtmlLimitError)
  })

  it('refuses 100,000 nested divs and a 1.2 MB nested post with the depth reason, not a stack overflow', () => {
    for (const html of [nestedHtml(100_000), nestedPost(1_200_000)]) {
      const outcome = noteMarkdown(html)
      expect(typeof outcome === 'object' && [outcome.limit, outcome.reason]).toEqual(['depth', expect.stringContaining('256')])
    }
    const outcome = noteMarkdown(nestedHtml(100_000))
    // French as the notes are, with its typography.
    expect(typeof outcome === 'object' && outcome.reason).toMatch(/^Ce texte n’a pas été converti\u202f: .* 256 niveaux\.$/)
  })

  it('measures depth as the parser builds it: closes in attributes, scripts and comments, or of nothing open, close nothing', () => {
    const deep = MAX_HTML_DEPTH + 1
    expect(limitOf('<div><a title="</div>">'.repeat(deep))).toBe('depth')
    expect(limitOf("<div><a title='</div>'>".repeat(deep))).toBe('depth')
    expect(limitOf('<div><script></div></script>'.repeat(deep))).toBe('depth')
    expect(limitOf('<div><style></div></STYLE>'.repeat(deep))).toBe('depth')
    expect(limitOf('<div></span></b>'.repeat(deep))).toBe('depth')
    expect(limitOf('<div><!-- </div> -->'.repeat(deep))).toBe('depth')
    expect(limitOf('<div><script></scripty></div></script>'.repeat(deep))).toBe('depth')
    expect(limitOf('<!--><div>-->'.repeat(deep))).toBe('depth')
    expect(limitOf('<!---><div>-->'.repeat(deep))).toBe('depth')
  })

  it('lets through what only looks deep: paragraphs, items and cells the parser closes by itself', () => {
    expect(limitOf('<p>un'.repeat(1000))).toBeNull()
    expect(limitOf(`<ul>${'<li>un'.repeat(1000)}</ul>`)).toBeNull()
    expect(limitOf(`<table>${'<tr><td>a<td>b'.repeat(1000)}</table>`)).toBeNull()
    expect(limitOf(('<div>'.repeat(200) + '</div>'.repeat(200)).repeat(50))).toBeNull()
    const md = htmlToMarkdown('<p>un<p>deux<ul><li>a<li>b</ul>')
    expect(md).toBe('un\n\ndeux\n\n-   a\n-   b')
  })

  it('refuses a post of more elements than the cap', () => {
    expect(limitOf('<br>'.repeat(MAX_HTML_ELEMENTS))).toBeNull()
    expect(limitOf('<br>'.repeat(MAX_HTML_ELEMENTS + 1))).toBe('elements')
    const outcome = noteMarkdown('<br>'.repeat(MAX_HTML_ELEMENTS + 1))
    expect(typeof outcome === 'object' && outcome.reason).toContain(`plus de ${MAX_HTML_ELEMENTS.toLocaleString('fr-FR')} éléments`)
  })

  it('refuses a paragraph whose conversion would copy too much, and keeps a long ordinary one', () => {
    const outcome = noteMarkdown(boldWordsParagraph(8_000))
    expect(typeof outcome === 'object' && outcome.limit).toBe('cost')
    const words = htmlToMarkdown(boldWordsParagraph(500))
    expect(words.match(/\*\*gras\*\*/g)).toHaveLength(500)
  })

  it('converts a long flat post piece by piece into the same Markdown as paragraph by paragraph', () => {
    const html = flatPost(300_000)
    const count = html.split('<p>').length - 1
    const md = htmlToMarkdown(`<div>${html}</div>`)
    const paragraphs = md.split('\n\n')
    expect(paragraphs).toHaveLength(count)
    expect(paragraphs[0]).toBe(htmlToMarkdown(FLAT_PARAGRAPH).replace('Bonjour', 'Bonjour 0'))
    expect(paragraphs[count - 1]).toBe(htmlToMarkdown(FLAT_PARAGRAPH).replace('Bonjour', `Bonjour ${count - 1}`))
    expect(markdownDangers(md)).toEqual([])
  })

  it('cuts only where blank lines separate blocks: lists, quotes and inline runs stay whole', () => {
    const html = '<div>Avant <b>gras</b><div><p>un</p>texte <i>penché</i></div><blockquote><p>cité</p><p>deux</p></blockquote><ol><li>a</li><li>b</li></ol><hr>fin</div>'
    expect(conversionPieces(sanitizeEntHtml(html))).toEqual(['Avant <b>gras</b>', '<p>un</p>', 'texte <i>penché</i>', '<blockquote><p>cité</p><p>deux</p></blockquote>', '<ol><li>a</li><li>b</li></ol>', '<hr />', 'fin'])
    expect(htmlToMarkdown(html)).toBe('Avant **gras**\n\nun\n\ntexte *penché*\n\n> cité\n> \n> deux\n\n1.  a\n2.  b\n\n* * *\n\nfin')
  })

  describe('the job\'s time budget inside one post', () => {
    const long = flatPost(60_000)

    it('stops between batches once the deadline has passed, without failing the item', () => {
      expect(() => htmlToMarkdown(long, () => null, Date.now() - 1)).toThrow(TimeBudgetError)
      // a budget error is no limit of the HTML: noteMarkdown lets it through for the engine
      expect(() => noteMarkdown(long, () => null, Date.now() - 1)).toThrow(TimeBudgetError)
    })

    it('converts the same post in full with time left, and one batch whatever the deadline', () => {
      const markdown = htmlToMarkdown(long, () => null, Date.now() + 60_000)
      expect(markdown).toBe(htmlToMarkdown(long))
      expect(htmlToMarkdown('<p>Un billet court.</p>', () => null, 0)).toBe('Un billet court.')
    })
  })
})
