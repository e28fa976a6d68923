import WebSocket from 'ws'
import { startStack, type RunningStack, type StackInstance } from '../index'
import { call, pick } from '../testing/http'
import { writeWebapp } from '../testing/fixtures'
import { expireRequests } from './request-store'
import { resetExportRateLimit } from './instance-settings'
import { waitForMail } from './testing'

const WIZARD = 'http://127.0.0.1:9/wizard'
let stack: RunningStack
let alice: StackInstance
let bob: StackInstance
let aliceCookie: string

function form(cozy: StackInstance, path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL(path, cozy.url), { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() })
}

async function register(cozy: StackInstance, redirect = 'http://127.0.0.1:9/callback/target'): Promise<{ client_id: string; client_secret: string }> {
  const r = await call(cozy.url, 'POST', '/auth/register', { body: { client_name: 'Assistant', software_id: 'github.com/x/y', redirect_uris: [redirect] } })
  expect(r.status).toBe(201)
  return { client_id: String(pick(r.json, 'client_id')), client_secret: String(pick(r.json, 'client_secret')) }
}

/** Bob's side of the wizard: a token with the move scope. */
async function targetCredentials(): Promise<Record<string, string>> {
  const redirect = 'http://127.0.0.1:9/callback/target'
  const client = await register(bob, redirect)
  const auth = await form(bob, '/auth/authorize/move', { passphrase: bob.passphrase, state: 'st', client_id: client.client_id, redirect })
  expect(auth.status).toBe(303)
  const code = new URL(String(auth.headers.get('location'))).searchParams.get('code') ?? ''
  const token = await form(bob, '/auth/access_token', { grant_type: 'authorization_code', code, ...client })
  const body = (await token.json()) as { access_token: string }
  return { target_url: bob.url, target_token: body.access_token, target_client_id: client.client_id, target_client_secret: client.client_secret }
}

beforeAll(async () => {
  stack = await startStack({ instances: 2, moveWizardUrl: WIZARD })
  ;[alice, bob] = stack.instances
  aliceCookie = await alice.sessionCookie()
})
afterAll(() => stack.stop())
beforeEach(() => resetExportRateLimit(alice.instance))

describe('OAuth routes of a move wizard', () => {
  it('registers a client (201) and refuses what /auth/register refuses', async () => {
    const ok = await call(bob.url, 'POST', '/auth/register', { body: { client_name: 'A', software_id: 's', redirect_uris: ['https://wizard.example/cb'] } })
    expect(ok.status).toBe(201)
    expect(ok.json).toMatchObject({ client_secret_expires_at: 0, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: ['https://wizard.example/cb'] })
    const bad = (body: unknown, headers?: Record<string, string>) => call(bob.url, 'POST', '/auth/register', { body, headers })
    expect((await bad({ client_name: 'A', software_id: 's' })).json).toEqual({ error: 'invalid_redirect_uri', error_description: 'redirect_uris is mandatory' })
    expect((await bad({ client_name: 'A', software_id: 's', redirect_uris: [`${bob.url}cb`] })).status).toBe(400)
    expect((await bad({ client_name: 'A', software_id: 's', redirect_uris: ['https://w.example/cb#x'] })).status).toBe(400)
    expect((await bad({ software_id: 's', redirect_uris: ['https://w.example/cb'] })).json).toEqual({ error: 'invalid_client_metadata', error_description: 'client_name is mandatory' })
    expect((await bad({ client_name: 'A', redirect_uris: ['https://w.example/cb'] })).json).toEqual({ error: 'invalid_client_metadata', error_description: 'software_id is mandatory' })
    expect((await bad({}, { Accept: 'text/html' })).json).toEqual({ error: 'bad_accept_header' })
    const notJson = await call(bob.url, 'POST', '/auth/register', { raw: 'client_name=A', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
    expect(notJson.json).toEqual({ error: 'bad_content_type' })
    expect((await call(bob.url, 'POST', '/auth/register', { raw: '{', headers: { 'Content-Type': 'application/json' } })).status).toBe(500)
  })

  it('shows the password page only for a registered client and one of its redirect URIs', async () => {
    const client = await register(bob)
    const page = (q: Record<string, string>) => call(bob.url, 'GET', `/auth/authorize/move?${new URLSearchParams(q)}`)
    const good = { state: 's', client_id: client.client_id, redirect_uri: 'http://127.0.0.1:9/callback/target' }
    expect((await page(good)).status).toBe(200)
    expect((await page({ ...good, state: '' })).status).toBe(400)
    expect((await page({ ...good, client_id: 'unknown' })).text).toContain('No registered client')
    expect((await page({ ...good, redirect_uri: 'https://evil.example/' })).text).toContain('Incorrect redirect_uri')
  })

  it('gives a move code for the right password only, and the code once', async () => {
    const redirect = 'http://127.0.0.1:9/callback/target'
    const client = await register(bob, redirect)
    const wrong = await form(bob, '/auth/authorize/move', { passphrase: 'nope', state: 's', client_id: client.client_id, redirect }, { Accept: 'application/json' })
    expect(wrong.status).toBe(401)
    expect(Object.keys((await wrong.json()) as object)).toEqual(['error'])
    const evil = await form(bob, '/auth/authorize/move', { passphrase: bob.passphrase, state: 's', client_id: client.client_id, redirect: 'https://evil.example/' }, { Accept: 'application/json' })
    expect(evil.status).toBe(400)
    const ok = await form(bob, '/auth/authorize/move', { passphrase: bob.passphrase, state: 's', client_id: client.client_id, redirect }, { Accept: 'application/json' })
    const back = new URL(((await ok.json()) as { redirect: string }).redirect)
    expect([...back.searchParams.keys()].sort()).toEqual(['code', 'state', 'used', 'vault'])
    const code = String(back.searchParams.get('code'))
    const other = await register(bob, redirect)
    expect((await (await form(bob, '/auth/access_token', { grant_type: 'authorization_code', code, ...other })).json()) as object).toEqual({ error: 'invalid code' })
    expect((await (await form(bob, '/auth/access_token', { grant_type: 'authorization_code', code, client_id: client.client_id, client_secret: 'x' })).json()) as object).toEqual({ error: 'invalid client_secret' })
    const first = await form(bob, '/auth/access_token', { grant_type: 'authorization_code', code, ...client })
    const token = (await first.json()) as Record<string, string>
    expect(first.status).toBe(200)
    expect(token).toMatchObject({ token_type: 'bearer', scope: 'io.cozy.exports.requests io.cozy.imports' })
    const again = await form(bob, '/auth/access_token', { grant_type: 'authorization_code', code, ...client })
    expect(again.status).toBe(400)
    const refreshed = await form(bob, '/auth/access_token', { grant_type: 'refresh_token', refresh_token: token.refresh_token, ...client })
    expect(((await refreshed.json()) as { scope: string }).scope).toBe('io.cozy.exports.requests io.cozy.imports')
    for (const missing of ['grant_type', 'client_id', 'client_secret']) {
      const fields: Record<string, string> = { grant_type: 'authorization_code', code, ...client }
      delete fields[missing]
      expect((await (await form(bob, '/auth/access_token', fields)).json()) as object).toEqual({ error: `the ${missing} parameter is mandatory` })
    }
    // the move scope lets the token act on /move/ routes, nothing else
    expect((await call(bob.url, 'GET', '/settings/instance', { token: token.access_token })).status).toBe(403)
    expect((await call(bob.url, 'POST', '/move/abort', { token: token.access_token })).status).toBe(204)
    // a revoked client's token is refused
    const doc = await bob.instance.dbs.get('io.cozy.oauth.clients', client.client_id)
    await bob.instance.dbs.remove('io.cozy.oauth.clients', doc._id, String(doc._rev))
    const revoked = await call(bob.url, 'POST', '/move/abort', { token: token.access_token })
    expect(revoked.status).toBe(400)
    expect(revoked.json).toEqual({ error: 'Invalid JWT token' })
  })
})

describe('the move protocol routes', () => {
  it('sends /move/initialize without a session to the login page, with one to the wizard (307)', async () => {
    const anonymous = await form(alice, '/move/initialize', {})
    expect(anonymous.status).toBe(303)
    expect(String(anonymous.headers.get('location'))).toMatch(new RegExp(`^${alice.url}auth/login\\?redirect=`))
    const r = await form(alice, '/move/initialize', {}, { Cookie: aliceCookie })
    expect(r.status).toBe(307)
    const to = new URL(String(r.headers.get('location')))
    // initializeMove replaces the path of move.url
    expect(to.pathname).toBe('/initialize')
    expect([...to.searchParams.keys()].sort()).toEqual(['client_id', 'client_secret', 'code', 'cozy_url', 'used', 'vault'])
  })

  it('answers /move/authorize with a code of the fake "move" client (303, URL ending with #)', async () => {
    const uri = 'http://127.0.0.1:9/callback/source'
    const anonymous = await fetch(`${alice.url}move/authorize?state=x&redirect_uri=${encodeURIComponent(uri)}`, { redirect: 'manual' })
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.get('location')).toContain('/auth/login?redirect=')
    const r = await fetch(`${alice.url}move/authorize?state=x&redirect_uri=${encodeURIComponent(uri)}`, { redirect: 'manual', headers: { Cookie: aliceCookie } })
    expect(r.status).toBe(303)
    const location = String(r.headers.get('location'))
    expect(location.endsWith('#')).toBe(true)
    const code = new URL(location).searchParams.get('code') ?? ''
    const bad = await fetch(`${alice.url}move/authorize?state=x&redirect_uri=ftp://x`, { redirect: 'manual', headers: { Cookie: aliceCookie } })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({ error: 'bad url: bad scheme' })

    // flow B: the code goes to /move/request, which makes its own token
    const request = await form(alice, '/move/request', { code, ...(await targetCredentials()) })
    expect(request.status).toBe(200)
    const mail = await waitForMail(stack, alice, 'move_confirm')
    expect(mail.values).toMatchObject({ Source: alice.domain, Target: bob.domain })
  })

  it('refuses bad /move/request forms with the stack’s 400 error page', async () => {
    const target = await targetCredentials()
    const cases: [Record<string, string>, string][] = [
      [{ ...target, client_id: 'c', client_secret: 's' }, 'No code or token'],
      [{ ...target, token: 't', client_secret: 's' }, 'No client_id'],
      [{ ...target, token: 'forged', client_id: 'c', client_secret: 's' }, 'Invalid JWT token'],
      [{ ...target, token: bob.cliToken, client_id: 'c', client_secret: 's' }, 'Invalid JWT token'],
      [{ ...target, code: 'not-a-code' }, 'Invalid JWT token'],
      [{ ...target, code: 'x', target_url: '' }, 'Invalid JWT token'],
      [{ token: 't', client_id: 'c', client_secret: 's' }, 'Invalid JWT token']
    ]
    for (const [fields, message] of cases) {
      const r = await form(alice, '/move/request', fields)
      expect(r.status).toBe(400)
      expect(await r.text()).toContain(message)
    }
    // a genuine source token, but the target is alice herself
    const init = await form(alice, '/move/initialize', {}, { Cookie: aliceCookie })
    const q = new URL(String(init.headers.get('location'))).searchParams
    const source = { client_id: String(q.get('client_id')), client_secret: String(q.get('client_secret')) }
    const tok = (await (await form(alice, '/auth/access_token', { grant_type: 'authorization_code', code: String(q.get('code')), ...source })).json()) as { access_token: string }
    const self = await form(alice, '/move/request', { ...target, token: tok.access_token, ...source, target_url: alice.url })
    expect(await self.text()).toContain('Invalid target_url')
    const noTarget = await form(alice, '/move/request', { ...target, token: tok.access_token, ...source, target_token: '' })
    expect(await noTarget.text()).toContain('No target_token')
  })

  it('needs the session and a live secret on /move/go', async () => {
    const before = stack.outbox.list(alice.domain).filter(m => m.template === 'move_confirm').length
    const auth = await fetch(`${alice.url}move/authorize?state=x&redirect_uri=${encodeURIComponent('http://127.0.0.1:9/cb')}`, { redirect: 'manual', headers: { Cookie: aliceCookie } })
    const code = new URL(String(auth.headers.get('location'))).searchParams.get('code') ?? ''
    expect((await form(alice, '/move/request', { code, ...(await targetCredentials()) })).status).toBe(200)
    const mail = await waitForMail(stack, alice, 'move_confirm', before)
    const link = String(mail.links.find(l => l.includes('/move/go')))
    const anonymous = await fetch(link, { redirect: 'manual' })
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toEqual({ error: 'You must be authenticated' })
    const wrong = await fetch(`${alice.url}move/go?secret=0123456789abcdef`, { redirect: 'manual', headers: { Cookie: aliceCookie } })
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toContain('Invalid secret')
    expireRequests(alice.instance)
    const late = await fetch(link, { redirect: 'manual', headers: { Cookie: aliceCookie } })
    expect(late.status).toBe(400)
    expect(alice.instance.state.extra.settings).toBeUndefined()
  })

  it('guards /move/importing, /move/finalize and /move/abort with whole-type POST on io.cozy.imports', async () => {
    await bob.installApp(await writeWebapp({ slug: 'viewer', permissions: { files: { type: 'io.cozy.files', verbs: ['GET'] } } }))
    for (const p of ['/move/importing', '/move/finalize', '/move/abort']) {
      expect((await call(bob.url, 'POST', p)).status).toBe(401)
      expect((await call(bob.url, 'POST', p, { token: alice.cliToken })).status).toBe(400)
      expect((await call(bob.url, 'POST', p, { token: bob.tokenFor('viewer') })).status).toBe(403)
    }
    expect(bob.instance.state.extra.blocked).toBeUndefined()
  })

  it('blocks on POST /move/importing (503 outside /move/, the move waiting page) until /move/abort', async () => {
    const { target_token: token } = await targetCredentials()
    const cookie = await bob.sessionCookie()
    const blockIt = await call(bob.url, 'POST', `/move/importing?source=${encodeURIComponent(alice.domain)}`, { token })
    expect(blockIt.status).toBe(204)
    const files = await call(bob.url, 'GET', '/files/io.cozy.files.root-dir', { token: bob.cliToken })
    expect(files.status).toBe(503)
    const page = await call(bob.url, 'GET', '/move/importing')
    expect(page.text).toContain('Déménagement en cours')
    expect(page.text).toContain(alice.domain)
    expect(await bob.instance.sessionOf({ headers: { cookie } } as never)).toBeNull()
    const settings = bob.instance.state.extra.settings as Record<string, unknown>
    expect(settings.moved_from).toBe(alice.domain)
    expect((await call(bob.url, 'POST', '/move/abort', { token })).status).toBe(204)
    expect((await call(bob.url, 'GET', '/files/io.cozy.files.root-dir', { token: bob.cliToken })).status).toBe(200)
    // moved_from shows in the settings until the user's session clears it
    const shown = await call(bob.url, 'GET', '/settings/instance', { token: bob.cliToken })
    expect(pick(shown.json, 'data', 'attributes', 'moved_from')).toBe(alice.domain)
    expect((await call(bob.url, 'DELETE', '/settings/instance/moved_from', { token: bob.cliToken })).status).toBe(403)
    const cleared = await call(bob.url, 'DELETE', '/settings/instance/moved_from', { headers: { Cookie: await bob.sessionCookie() } })
    expect(cleared.status).toBe(204)
    expect(pick((await call(bob.url, 'GET', '/settings/instance', { token: bob.cliToken })).json, 'data', 'attributes', 'moved_from')).toBeUndefined()
  })

  it('tells the waiting page right away when no import is running', async () => {
    const ws = new WebSocket(`ws://${alice.domain}/move/importing/realtime`, 'io.cozy.websocket')
    const message = await new Promise<unknown>((resolve, reject) => {
      ws.on('message', data => resolve(JSON.parse(String(data))))
      ws.on('error', reject)
    })
    expect(message).toEqual({ redirect: `${alice.url}auth/login` })
    ws.close()
  })

  it('shows the passwords page of /move/vault to the logged-in user and clears import_vault', async () => {
    alice.instance.state.extra.settings = { import_vault: true }
    const anonymous = await fetch(`${alice.url}move/vault`, { redirect: 'manual' })
    expect(anonymous.status).toBe(303)
    const page = await fetch(`${alice.url}move/vault`, { redirect: 'manual', headers: { Cookie: aliceCookie } })
    expect(page.status).toBe(200)
    expect(alice.instance.state.extra.settings).toEqual({})
  })
})
