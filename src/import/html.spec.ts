import { htmlToMarkdown, markdownPath, sanitizeEntHtml, workspaceDocumentId } from './html'

import { markdownDangers } from '../../test/fixtures/markdown-safety'

/** What CommonMark readers turned back into links, images and raw HTML through the converter. */
const MARKDOWN_BREAKERS = [
  '<p><img src="https://ent.example/a.png?x=1)(javascript:alert(1)" alt="x"></p>',
  '<p><a href="https://ent.example/x)[y](javascript:alert(2)">lien</a></p>',
  '<p><a href="https://ent.example/" title="a&quot; onclick=&quot;alert(3)">titre</a></p>',
  '<p>&lt;img src=x onerror=alert(4)&gt; et &lt;script&gt;alert(5)&lt;/script&gt;</p>',
  '<p>&lt;javascript:alert(6)&gt; et [clic](javascript:alert(7)) et ![i](javascript:alert(8))</p>',
  '<p>&amp;lt;b&amp;gt; &amp;#60;i&amp;#62; &lt;!-- commentaire --&gt;</p>',
  '<p><a href="mailto:a@b.c">mail</a> <a href="https://ent.example/ok">sûr</a> <img src="https://ent.example/i.png" alt="image ] (javascript:x)"></p>',
  '<pre><code>&lt;script&gt;alert(9)&lt;/script&gt;</code></pre><p>`&lt;b&gt;`</p>'
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

  it('keeps what is safe: web links, images of the import, the text itself', () => {
    const markdown = htmlToMarkdown('<p>Voir <a href="https://ent.example/ok" title="Le &quot;site&quot;">le site</a> et <img src="/workspace/document/3f2a1b4c-0000-4000-8000-000000000001" alt="photo"> (1 &lt; 2)</p>', id => `Documents/photo%20${id}.png`)
    expect(markdown).toContain('[le site](https://ent.example/ok "Le \\"site\\"")')
    expect(markdown).toContain('![photo](Documents/photo%20')
    expect(markdown).toContain('(1 < 2)')
    expect(markdownDangers(markdown)).toEqual([])
  })
})
