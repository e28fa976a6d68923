import path from 'path'
import { renderIndexHtml, resolveAssetPath, contentTypeFor } from './serve-webapp'

describe('serving a built webapp', () => {
  const template = '<html lang="{{.Locale}}"><div role="application" data-cozy="{{.CozyData}}"></div>{{.ThemeCSS}}</html>'

  it('fills data-cozy with escaped JSON the app can parse back', () => {
    const html = renderIndexHtml(template, {
      domain: '127.0.0.1:8081',
      token: 'tok"<en>',
      locale: 'en',
      app: { slug: 'mes-donnees', name: 'Mes données', version: '0.1.0' }
    })
    expect(html).toContain('lang="en"')
    const attribute = /data-cozy="([^"]*)"/.exec(html)?.[1] ?? ''
    const decoded = attribute.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    expect(JSON.parse(decoded)).toMatchObject({ domain: '127.0.0.1:8081', token: 'tok"<en>', locale: 'en' })
    expect(html).not.toContain('{{')
  })

  it('never resolves a path outside the app folder', () => {
    const dir = path.resolve('/srv/app')
    expect(resolveAssetPath(dir, '/')).toBe(path.join(dir, 'index.html'))
    expect(resolveAssetPath(dir, '/app.js?x=1')).toBe(path.join(dir, 'app.js'))
    expect(resolveAssetPath(dir, '/../secret')).toBeNull()
    expect(resolveAssetPath(dir, '/%2e%2e/secret')).toBeNull()
    expect(resolveAssetPath(dir, '/..%2fsecret')).toBeNull()
    expect(resolveAssetPath(dir, '/a%00b')).toBeNull()
    expect(resolveAssetPath(dir, '/%E0%A4%A')).toBeNull()
  })

  it('names content types for the assets the build writes', () => {
    expect(contentTypeFor('index.html')).toMatch(/^text\/html/)
    expect(contentTypeFor('app.1234.js')).toMatch(/javascript/)
    expect(contentTypeFor('manifest.webapp')).toBe('application/octet-stream')
  })
})
