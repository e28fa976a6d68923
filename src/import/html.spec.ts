import { htmlToMarkdown, markdownPath, sanitizeEntHtml, workspaceDocumentId } from './html'

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
