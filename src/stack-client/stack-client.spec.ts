import http from 'http'
import type { AddressInfo } from 'net'
import CozyClient from 'cozy-client'
import { stackApiOf, StackError, toStackError, type StackApi } from './index'
import { parseExportLink } from './exports'
import { isImportableExportLink } from './imports'
import { buildInstanceQuery, buildWebappsQuery, installedAppsFromDocs, instanceFromDoc } from '../queries/settings'

/**
 * The client against a real HTTP server on 127.0.0.1 that answers like the stack does
 * (statuses and bodies from web/move/move.go, model/move/errors.go), through cozy-client's
 * own stack client, so the request shapes and the error mapping are tested end to end.
 */
interface Recorded {
  method: string
  url: string
  authorization?: string
  body: unknown
}

type Responder = (req: Recorded) => { status: number; json?: unknown; text?: string; headers?: Record<string, string> }

let server: http.Server
let base: string
let responder: Responder
let recorded: Recorded[]
let api: StackApi

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Uint8Array[] = []
    req.on('data', (c: Uint8Array) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      const entry: Recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body: raw ? (JSON.parse(raw) as unknown) : undefined
      }
      recorded.push(entry)
      const answer = responder(entry)
      if (answer.json !== undefined) {
        res.writeHead(answer.status, { 'Content-Type': 'application/vnd.api+json', ...answer.headers })
        res.end(JSON.stringify(answer.json))
      } else {
        res.writeHead(answer.status, { 'Content-Type': 'text/plain', ...answer.headers })
        res.end(answer.text ?? '')
      }
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  api = stackApiOf(new CozyClient({ uri: base, token: 'app-token', schema: {} }))
})

afterAll(() => new Promise<void>(resolve => server.close(() => resolve())))

beforeEach(() => {
  recorded = []
})

const jsonApiError = (status: number, detail: string) => ({
  errors: [{ status: String(status), title: http.STATUS_CODES[status], detail }]
})

async function caught(promise: Promise<unknown>): Promise<StackError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof StackError) return err
    throw err
  }
  throw new Error('expected a StackError')
}

const MAC = 'AAAAAGZ3dGVzdC1leHBvcnQtbWFjLXZhbHVlX19fX19fXw=='

describe('exports', () => {
  it('posts the options the stack reads, with the app token', async () => {
    responder = () => ({ status: 201 })
    await api.exports.request({ partsSize: 2 * 1024 ** 3, withDoctypes: ['io.cozy.files', 'io.cozy.contacts'] })
    expect(recorded).toEqual([
      {
        method: 'POST',
        url: '/move/exports',
        authorization: 'Bearer app-token',
        body: {
          data: {
            type: 'io.cozy.exports',
            attributes: { parts_size: 2147483648, with_doctypes: ['io.cozy.files', 'io.cozy.contacts'] }
          }
        }
      }
    ])
  })

  it('leaves the part size and doctypes to the stack when not chosen', async () => {
    responder = () => ({ status: 201 })
    await api.exports.request({ partsSize: 10, withDoctypes: [] })
    expect(recorded[0].body).toEqual({ data: { type: 'io.cozy.exports', attributes: {} } })
  })

  it.each([
    [404, 'Not found', 'stackErrors.exports.rateLimited'],
    [409, 'export: an archive is already being created', 'stackErrors.exports.alreadyRunning'],
    [403, 'no permission', 'stackErrors.forbidden'],
    [500, 'boom', 'stackErrors.server']
  ])('maps a %i "%s" on POST /move/exports to %s', async (status, detail, key) => {
    responder = () => ({ status, json: jsonApiError(status, detail) })
    const err = await caught(api.exports.request())
    expect(err.status).toBe(status)
    expect(err.translationKey).toBe(key)
    expect(err.errors[0].detail).toBe(detail)
  })

  it('reads an export and builds the top-level part links', async () => {
    responder = () => ({
      status: 200,
      json: {
        data: {
          type: 'io.cozy.exports',
          id: 'exp1',
          attributes: {
            domain: 'alice.localhost',
            parts_size: 1073741824,
            parts_cursors: ['io.cozy.files/0f3c', 'io.cozy.files.versions/9e04/c1d2'],
            with_doctypes: [],
            state: 'done',
            created_at: '2026-01-10T10:00:00Z',
            expires_at: '2026-01-17T10:00:00Z',
            total_size: 523412
          }
        }
      }
    })
    const doc = await api.exports.get(MAC)
    expect(recorded[0].url).toBe(`/move/exports/${MAC}`)
    expect(doc).toMatchObject({ id: 'exp1', state: 'done', partsSize: 1073741824, expiresAt: '2026-01-17T10:00:00Z' })
    expect(api.exports.partUrls(MAC, doc)).toEqual([
      { index: 0, url: `${base}/move/exports/data/${MAC}` },
      { index: 1, url: `${base}/move/exports/data/${MAC}?cursor=io.cozy.files%2F0f3c` },
      { index: 2, url: `${base}/move/exports/data/${MAC}?cursor=io.cozy.files.versions%2F9e04%2Fc1d2` }
    ])
  })

  it.each([
    [401, 'exports: invalid mac', 'stackErrors.exports.invalidLink'],
    [404, 'exports: has expired', 'stackErrors.exports.expired'],
    [404, 'exports: not found', 'stackErrors.exports.notFound']
  ])('maps a %i "%s" on GET /move/exports/:mac', async (status, detail, key) => {
    responder = () => ({ status, json: jsonApiError(status, detail) })
    expect((await caught(api.exports.get(MAC))).translationKey).toBe(key)
  })

  it('refuses a MAC that is not base64url without calling the stack', async () => {
    expect((await caught(api.exports.get('../../settings/instance'))).translationKey).toBe('stackErrors.exports.invalidLink')
    expect(recorded).toEqual([])
  })
})

describe('imports', () => {
  const link = `https://alice-settings.example.net/#/exports/${MAC}`

  it('prechecks then starts with the mailed link', async () => {
    responder = req => (req.url === '/move/imports' ? { status: 200, text: '<html>Import en cours</html>' } : { status: 204 })
    await api.imports.precheck(link)
    expect(await api.imports.start(link)).toBe(`${base}/move/importing`)
    expect(recorded.map(r => [r.method, r.url, r.body])).toEqual([
      ['POST', '/move/imports/precheck', { data: { type: 'io.cozy.imports', attributes: { url: link } } }],
      ['POST', '/move/imports', { data: { type: 'io.cozy.imports', attributes: { url: link } } }]
    ])
  })

  it.each([
    [412, 'stackErrors.imports.invalidLink'],
    [413, 'stackErrors.imports.notEnoughSpace'],
    [422, 'stackErrors.imports.notEnoughSpace']
  ])('maps a %i precheck to %s', async (status, key) => {
    responder = () => ({ status, json: jsonApiError(status, 'url') })
    expect((await caught(api.imports.precheck(link))).translationKey).toBe(key)
  })

  it('refuses something that is not an export link before calling the stack', async () => {
    expect((await caught(api.imports.precheck('bonjour'))).translationKey).toBe('stackErrors.imports.invalidLink')
    expect(recorded).toEqual([])
  })
})

describe('settings and apps', () => {
  it('reads the instance with its move state and the disk usage numbers given as strings', async () => {
    responder = req =>
      req.url === '/settings/instance'
        ? {
            status: 200,
            json: {
              data: {
                type: 'io.cozy.settings',
                id: 'io.cozy.settings.instance',
                attributes: { email: 'alice@example.net', public_name: 'Alice', moved_to: 'https://alice.newhost.example' }
              }
            }
          }
        : { status: 200, json: { data: { type: 'io.cozy.settings', attributes: { used: '12345678', files: '1' } } } }
    const client = new CozyClient({ uri: base, token: 'app-token', schema: {} })
    const { definition, options } = buildInstanceQuery()
    expect(instanceFromDoc(((await client.query(definition, options)) as { data: unknown }).data)).toEqual({
      email: 'alice@example.net',
      publicName: 'Alice',
      locale: undefined,
      movedTo: 'https://alice.newhost.example',
      movedFrom: undefined
    })
    expect(await api.settings.getDiskUsage()).toEqual({ used: 12345678, quota: undefined })
  })

  it('lists apps with the doctypes of their permissions, through AppCollection', async () => {
    responder = () => ({
      status: 200,
      json: {
        meta: { count: 1 },
        data: [
          {
            type: 'io.cozy.apps',
            id: 'io.cozy.apps/contacts',
            attributes: {
              slug: 'contacts',
              name: 'Contacts',
              permissions: { a: { type: 'io.cozy.contacts' }, b: { type: 'io.cozy.contacts.groups' }, c: { type: 'io.cozy.contacts' } }
            },
            links: { related: 'https://alice-contacts.example.net/' }
          }
        ]
      }
    })
    const client = new CozyClient({ uri: base, token: 'app-token', schema: {} })
    const { definition, options } = buildWebappsQuery()
    const result = (await client.query(definition, options)) as { data: unknown }
    expect(recorded.map(r => `${r.method} ${r.url}`)).toEqual(['GET /apps/'])
    expect(installedAppsFromDocs(result.data, 'webapp')).toEqual([
      {
        slug: 'contacts',
        name: 'Contacts',
        kind: 'webapp',
        permissionTypes: ['io.cozy.contacts', 'io.cozy.contacts.groups'],
        url: 'https://alice-contacts.example.net/'
      }
    ])
  })

  it('reports an unreachable stack as a network error', async () => {
    const offline = stackApiOf(new CozyClient({ uri: 'http://127.0.0.1:1', token: 't', schema: {} }))
    const err = await caught(offline.settings.getDiskUsage())
    expect(err.status).toBe(0)
    expect(err.translationKey).toBe('stackErrors.network')
  })

  it('reads the bare JSON:API errors array a collection rethrows (FileCollection getDirectoryOrCreate) like a FetchError', () => {
    const errors = [{ status: '403', title: 'Forbidden', detail: 'no permission' }]
    expect(toStackError(errors)).toMatchObject({ status: 403, translationKey: 'stackErrors.forbidden', errors })
    expect(toStackError(errors, [{ status: 403, detail: /no permission/, key: 'x.y' }]).translationKey).toBe('x.y')
    // Not an errors array: still the network's message.
    expect(toStackError([]).translationKey).toBe('stackErrors.network')
    expect(toStackError([{ status: 'ok' }]).translationKey).toBe('stackErrors.network')
  })
})

describe('notifications', () => {
  it('posts the notification attributes the stack reads', async () => {
    responder = () => ({ status: 201, json: { data: { type: 'io.cozy.notifications', id: 'n1', attributes: {} } } })
    await api.notifications.create({
      category: 'export-ready',
      title: 'Ready',
      message: 'Your export is ready',
      contentHtml: '<p>Ready</p>',
      preferredChannels: ['mobile', 'mail'],
      data: { redirectLink: 'mes-donnees/#/export' }
    })
    expect(recorded[0]).toMatchObject({
      method: 'POST',
      url: '/notifications',
      body: {
        data: {
          type: 'io.cozy.notifications',
          attributes: {
            category: 'export-ready',
            title: 'Ready',
            message: 'Your export is ready',
            content_html: '<p>Ready</p>',
            preferred_channels: ['mobile', 'mail'],
            data: { redirectLink: 'mes-donnees/#/export' }
          }
        }
      }
    })
  })
})

describe('export links', () => {
  it('finds the MAC in a mailed link, this app\'s link or the bare MAC', () => {
    expect(parseExportLink(`https://alice-settings.example.net/#/exports/${MAC}`)).toBe(MAC)
    expect(parseExportLink(`  https://settings.alice.example.net/#/exports/${MAC}\n`)).toBe(MAC)
    expect(parseExportLink(MAC)).toBe(MAC)
    expect(parseExportLink('https://example.net/#/exports/../../x')).toBeNull()
    expect(parseExportLink('hello')).toBeNull()
    expect(isImportableExportLink(`https://alice-settings.example.net/#/exports/${MAC}`)).toBe(true)
    expect(isImportableExportLink(MAC)).toBe(false)
    expect(isImportableExportLink(`javascript:alert(1)//#/exports/${MAC}`)).toBe(false)
  })
})
