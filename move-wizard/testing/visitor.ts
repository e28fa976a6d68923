/**
 * A user's browser, reduced to what the wizard's tests need: it keeps cookies per host,
 * never follows redirects by itself (each test step looks at them), and reads forms.
 */
export interface Visit {
  status: number
  location?: string
  text: string
  /** The HTML with its character references decoded, for checking what the user reads. */
  plain: string
  headers: Headers
}

function unescapeHtml(value: string): string {
  return value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&')
}

export class Visitor {
  private readonly jar = new Map<string, Map<string, string>>()

  constructor(private readonly acceptLanguage = 'fr') {}

  private cookieFor(url: URL): string {
    const cookies = this.jar.get(url.host)
    return cookies ? [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') : ''
  }

  private keep(url: URL, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      const cookies = this.jar.get(url.host) ?? new Map<string, string>()
      if (attrs.some(a => /max-age=0\b/i.test(a.trim())) || value === '') cookies.delete(name)
      else cookies.set(name, value)
      this.jar.set(url.host, cookies)
    }
  }

  /** The cookie value a host set, if any. */
  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name)
  }

  setCookie(host: string, name: string, value: string): void {
    const cookies = this.jar.get(host) ?? new Map<string, string>()
    cookies.set(name, value)
    this.jar.set(host, cookies)
  }

  async request(method: 'GET' | 'POST', address: string, form?: Record<string, string> | [string, string][]): Promise<Visit> {
    const url = new URL(address)
    const headers: Record<string, string> = { 'Accept-Language': this.acceptLanguage }
    const cookie = this.cookieFor(url)
    if (cookie) headers.Cookie = cookie
    let body: string | undefined
    if (form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(form).toString()
    }
    const response = await fetch(url, { method, headers, body, redirect: 'manual' })
    this.keep(url, response.headers)
    const location = response.headers.get('location') ?? undefined
    const text = await response.text()
    return {
      status: response.status,
      location: location ? new URL(location, url).href : undefined,
      text,
      plain: unescapeHtml(text),
      headers: response.headers
    }
  }

  get(address: string): Promise<Visit> {
    return this.request('GET', address)
  }

  post(address: string, form: Record<string, string> | [string, string][] = {}): Promise<Visit> {
    return this.request('POST', address, form)
  }
}

/** The hidden fields of the page's forms (or of the form posting to `action`), in order. */
export function hiddenFields(html: string, action?: string): [string, string][] {
  const fields: [string, string][] = []
  if (action !== undefined) {
    const form = new RegExp(`<form[^>]*action="${action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</form>`).exec(html)
    if (!form) throw new Error(`no form posting to ${action}`)
    html = form[1]
  }
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields.push([unescapeHtml(match[1]), unescapeHtml(match[2])])
  }
  return fields
}

export function csrfOf(html: string): string {
  const field = hiddenFields(html).find(([name]) => name === 'csrf')
  if (!field) throw new Error('no csrf field in page')
  return field[1]
}
