import { promises as fs } from 'fs'
import path from 'path'

/** The values the stack substitutes into a webapp's index.html (docs/apps.md, "index.html"). */
export interface TemplateValues {
  domain: string
  token: string
  locale: string
  app: { slug: string; name: string; version: string; icon?: string }
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * Fills the stack's template placeholders the way cozy-stack does for `{{.CozyData}}`,
 * `{{.Locale}}` and friends, so the built index.html runs unchanged in a real Cozy and here.
 */
export function renderIndexHtml(template: string, values: TemplateValues): string {
  const cozyData = JSON.stringify({
    domain: values.domain,
    token: values.token,
    locale: values.locale,
    subdomain: 'flat',
    app: values.app,
    flags: {},
    capabilities: {}
  })
  return template
    .replace(/\{\{\.CozyData\}\}/g, escapeAttribute(cozyData))
    .replace(/\{\{\.Locale\}\}/g, escapeAttribute(values.locale))
    .replace(/\{\{\.ThemeCSS\}\}/g, '')
    .replace(/\{\{\.CozyFonts\}\}/g, '')
    .replace(/\{\{\.CozyBar\}\}/g, '')
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff'
}

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * Resolves a request path inside the app folder; anything that would leave it (`..`,
 * encoded separators) resolves to null so it is answered 404, never read.
 */
export function resolveAssetPath(appDir: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0])
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  const resolved = path.resolve(appDir, relative)
  const root = path.resolve(appDir)
  if (resolved !== root && !resolved.startsWith(root + path.sep)) return null
  return resolved
}

export async function readAsset(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file)
  } catch {
    return null
  }
}
