import WebSocket from 'ws'
import { startStack, type RunningStack, type StackInstance } from '../../../dev-stack'
import { call, pick } from '../../../dev-stack/testing/http'
import { writeKonnector } from '../../../dev-stack/testing/fixtures'
import { ROOT_DIR_ID } from '../../../dev-stack/files/vfs'
import { mkdir, upload, waitFor, waitForMail } from '../../../dev-stack/move/testing'

/**
 * A move between two instances of the stand-in at the protocol level (reference
 * cozy-stack-api.md §3.2, flow A), the test playing the move wizard's part: alice's
 * /move/initialize, the code exchange, bob's /auth/register, /auth/authorize/move and
 * /auth/access_token, alice's /move/request, the confirmation mail, /move/go, then the export
 * on alice, the import into bob and the finalize on alice.
 */

const WIZARD = 'http://127.0.0.1:9/'
let stack: RunningStack
let alice: StackInstance
let bob: StackInstance

const FILES: Record<string, string> = {
  '/Documents/Lisez-moi.txt': 'Bonjour !\n',
  '/Documents/École/Liste des fournitures.txt': 'cahiers, stylos, règle\n'.repeat(20),
  '/photo.bin': 'x'.repeat(700)
}

async function form(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() })
}

async function read(cozy: StackInstance, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${cozy.url}files/download?Path=${encodeURIComponent(path)}`, { headers: { Authorization: `Bearer ${cozy.cliToken}` } })
  return { status: res.status, text: await res.text() }
}

async function contacts(cozy: StackInstance): Promise<string[]> {
  const r = await call(cozy.url, 'GET', '/data/io.cozy.contacts/_all_docs?include_docs=true', { token: cozy.cliToken })
  return ((pick(r.json, 'rows') as { doc: { fullname?: string } }[]) ?? []).map(x => String(x.doc.fullname)).sort()
}

beforeAll(async () => {
  stack = await startStack({ instances: 2, moveWizardUrl: WIZARD, exportMinimalPartsSize: 512 })
  ;[alice, bob] = stack.instances
  const docs = await mkdir(alice, ROOT_DIR_ID, 'Documents')
  const school = await mkdir(alice, docs, 'École')
  await upload(alice, docs, 'Lisez-moi.txt', FILES['/Documents/Lisez-moi.txt'])
  await upload(alice, school, 'Liste des fournitures.txt', FILES['/Documents/École/Liste des fournitures.txt'])
  await upload(alice, ROOT_DIR_ID, 'photo.bin', FILES['/photo.bin'])
  for (const fullname of ['Inès Durand', 'Paul Martin']) await call(alice.url, 'POST', '/data/io.cozy.contacts/', { token: alice.cliToken, body: { fullname } })
  // a konnector with a trigger on alice: finalize deletes it
  const konnector = await writeKonnector({ slug: 'ent', permissions: {} }, 'process.exit(0)')
  await alice.installKonnector(konnector)
  const trigger = await call(alice.url, 'POST', '/jobs/triggers', {
    token: alice.cliToken,
    body: { data: { attributes: { type: '@cron', arguments: '0 0 0 * * 0', worker: 'konnector', message: { konnector: 'ent' } } } }
  })
  expect(trigger.status).toBe(201)
  await bob.installKonnector(konnector)
  await upload(bob, ROOT_DIR_ID, 'à-écraser.txt', 'old')
})
afterAll(() => stack.stop())

it('moves alice into bob: export on alice, import into bob, alice finalized', async () => {
  const aliceCookie = await alice.sessionCookie()
  const bobCookie = await bob.sessionCookie()

  // 1. Settings posts a form to alice's /move/initialize with the session: 307 to the wizard
  const init = await form(`${alice.url}move/initialize`, {}, { Cookie: aliceCookie })
  expect(init.status).toBe(307)
  const toWizard = new URL(String(init.headers.get('location')))
  expect(`${toWizard.origin}${toWizard.pathname}`).toBe(`${WIZARD}initialize`)
  expect(toWizard.searchParams.get('cozy_url')).toBe(alice.url)
  expect(Number(toWizard.searchParams.get('used'))).toBe(Object.values(FILES).reduce((n, s) => n + Buffer.byteLength(s), 0))
  expect(toWizard.searchParams.get('vault')).toBe('false')

  // 2. the wizard exchanges the code for alice's token
  const sourceClient = { client_id: String(toWizard.searchParams.get('client_id')), client_secret: String(toWizard.searchParams.get('client_secret')) }
  const sourceTokenRes = await form(`${alice.url}auth/access_token`, { grant_type: 'authorization_code', code: String(toWizard.searchParams.get('code')), ...sourceClient })
  expect(sourceTokenRes.status).toBe(200)
  const sourceToken = (await sourceTokenRes.json()) as { access_token: string; scope: string }
  expect(sourceToken.scope).toBe('io.cozy.exports.requests io.cozy.imports')

  // 3. the wizard registers on bob, bob's user types the password, the wizard exchanges bob's code
  const callback = `${WIZARD}callback/target`
  const reg = await call(bob.url, 'POST', '/auth/register', { body: { client_name: 'Assistant', software_id: 'github.com/mes-donnees/move-wizard', redirect_uris: [callback] } })
  expect(reg.status).toBe(201)
  const targetClient = { client_id: String(pick(reg.json, 'client_id')), client_secret: String(pick(reg.json, 'client_secret')) }
  const authorizePage = await call(bob.url, 'GET', `/auth/authorize/move?${new URLSearchParams({ state: 's1', client_id: targetClient.client_id, redirect_uri: callback })}`)
  expect(authorizePage.status).toBe(200)
  expect(authorizePage.text).toContain('name="passphrase"')
  const authorized = await form(`${bob.url}auth/authorize/move`, { passphrase: bob.passphrase, state: 's1', client_id: targetClient.client_id, redirect: callback }, { Accept: 'application/json' })
  expect(authorized.status).toBe(200)
  const back = new URL(((await authorized.json()) as { redirect: string }).redirect)
  expect(back.searchParams.get('state')).toBe('s1')
  const targetTokenRes = await form(`${bob.url}auth/access_token`, { grant_type: 'authorization_code', code: String(back.searchParams.get('code')), ...targetClient })
  const targetToken = ((await targetTokenRes.json()) as { access_token: string }).access_token

  // 4. the wizard hands over to alice's /move/request: a confirmation mail
  const request = await form(`${alice.url}move/request`, {
    token: sourceToken.access_token,
    ...sourceClient,
    target_url: bob.url,
    target_token: targetToken,
    target_client_id: targetClient.client_id,
    target_client_secret: targetClient.client_secret
  })
  expect(request.status).toBe(200)
  expect(await request.text()).toContain(alice.instance.state.email)
  const confirm = await waitForMail(stack, alice, 'move_confirm')
  expect(confirm.to).toBe(alice.instance.state.email)
  const goLink = confirm.links.find(l => l.startsWith(`${alice.url}move/go?secret=`))
  expect(goLink).toMatch(/secret=[0-9a-f]{16}$/)

  // 5. the user opens the link where alice is logged in: bob is blocked, the browser goes to bob's waiting page
  const go = await fetch(String(goLink), { redirect: 'manual', headers: { Cookie: aliceCookie } })
  expect(go.status).toBe(303)
  expect(go.headers.get('location')).toBe(`${bob.url}move/importing`)
  const ws = new WebSocket(`ws://${bob.domain}/move/importing/realtime`, 'io.cozy.websocket')
  const redirect = new Promise<unknown>((resolve, reject) => {
    ws.on('message', data => resolve(JSON.parse(String(data))))
    ws.on('error', reject)
  })
  // bob's sessions were closed when it was blocked
  expect(await bob.instance.sessionOf({ headers: { cookie: bobCookie } } as never)).toBeNull()

  // 6. export on alice, import into bob, finalize on alice
  await waitForMail(stack, bob, 'move_success')
  expect(await redirect).toEqual({ redirect: `${bob.url}auth/login` })
  ws.close()
  await waitFor('alice to be finalized', () => (alice.instance.state.extra.moved === true ? true : undefined))

  const aliceSettings = await call(alice.url, 'GET', '/settings/instance', { token: alice.cliToken })
  expect(pick(aliceSettings.json, 'data', 'attributes', 'moved_to')).toBe(bob.url)
  expect(pick(aliceSettings.json, 'data', 'attributes', 'moved_to_subdomain_type')).toBe('flat')
  expect(alice.instance.state.movedTo).toBe(new URL(bob.url).origin)
  expect((await alice.instance.jobs.allTriggers()).filter(t => t.worker === 'konnector')).toEqual([])

  const bobSettings = await call(bob.url, 'GET', '/settings/instance', { token: bob.cliToken })
  expect(bobSettings.status).toBe(200)
  expect(pick(bobSettings.json, 'data', 'attributes', 'moved_from')).toBe(alice.domain)
  expect(pick(bobSettings.json, 'data', 'attributes', 'email')).toBe(bob.instance.state.email)
  for (const [p, content] of Object.entries(FILES)) expect(await read(bob, p)).toEqual({ status: 200, text: content })
  expect((await read(bob, '/à-écraser.txt')).status).toBe(404)
  expect(await contacts(bob)).toEqual(await contacts(alice))
  // the konnector's trigger came along (bob has the konnector), alice's are gone
  expect((await bob.instance.jobs.allTriggers()).map(t => t.worker)).toEqual(['konnector'])
  // OAuth clients of alice now get 410 Gone with where she went (instance.MovedError)
  const gone = await call(alice.url, 'POST', '/move/abort', { token: sourceToken.access_token })
  expect(gone.status).toBe(410)
  expect(pick(gone.json, 'errors', 0)).toMatchObject({ status: '410', title: 'Cozy has been moved', code: 'moved', links: { related: bob.url } })
  // alice still works (the stand-in, like the stack, does not block the source)
  expect((await read(alice, '/Documents/Lisez-moi.txt')).status).toBe(200)
  // no move ever sent a failure mail
  expect(stack.outbox.list().filter(m => /error/.test(m.template))).toEqual([])
})

it('aborts a move whose export fails: the target is unblocked and keeps its data, the source mails export_error (flow B)', async () => {
  const other = await startStack({ instances: 2 })
  try {
    const [carol, dave] = other.instances
    await upload(dave, ROOT_DIR_ID, 'à-garder.txt', 'reste là')
    const carolCookie = await carol.sessionCookie()
    // flow B: the wizard sends the browser to carol's /move/authorize and keeps only the code
    const uri = 'http://127.0.0.1:9/callback/source'
    const auth = await fetch(`${carol.url}move/authorize?state=b&redirect_uri=${encodeURIComponent(uri)}`, { redirect: 'manual', headers: { Cookie: carolCookie } })
    expect(auth.status).toBe(303)
    const code = String(new URL(String(auth.headers.get('location'))).searchParams.get('code'))
    const callback = 'http://127.0.0.1:9/callback/target'
    const reg = await call(dave.url, 'POST', '/auth/register', { body: { client_name: 'Assistant', software_id: 'w', redirect_uris: [callback] } })
    const client = { client_id: String(pick(reg.json, 'client_id')), client_secret: String(pick(reg.json, 'client_secret')) }
    const ok = await form(`${dave.url}auth/authorize/move`, { passphrase: dave.passphrase, state: 't', client_id: client.client_id, redirect: callback })
    const targetCode = String(new URL(String(ok.headers.get('location'))).searchParams.get('code'))
    const tokenRes = await form(`${dave.url}auth/access_token`, { grant_type: 'authorization_code', code: targetCode, ...client })
    const targetToken = ((await tokenRes.json()) as { access_token: string }).access_token
    const request = await form(`${carol.url}move/request`, { code, target_url: dave.url, target_token: targetToken, target_client_id: client.client_id, target_client_secret: client.client_secret })
    expect(request.status).toBe(200)
    const link = String((await waitForMail(other, carol, 'move_confirm')).links.find(l => l.includes('/move/go')))

    // another export is still being created on carol: this one will fail with the 409
    await carol.instance.dbs.put('io.cozy.exports', { _id: 'busy', domain: carol.domain, state: 'exporting', created_at: new Date().toISOString(), expires_at: new Date(Date.now() + 1e6).toISOString(), parts_cursors: [] })
    const go = await fetch(link, { redirect: 'manual', headers: { Cookie: carolCookie } })
    expect(go.status).toBe(303)
    // dave was blocked by /move/go (it remembers where the move came from)…
    expect(dave.instance.state.extra.settings).toMatchObject({ moved_from: carol.domain })
    await waitForMail(other, carol, 'export_error')
    // …and /move/abort from carol's failed export unblocks it
    await waitFor('dave to be unblocked', () => (dave.instance.state.extra.blocked === undefined ? true : undefined))
    expect((await read(dave, '/à-garder.txt')).text).toBe('reste là')
    expect(other.outbox.list(dave.domain).filter(m => m.template.startsWith('move_'))).toEqual([])
    expect(carol.instance.state.extra.moved).toBeUndefined()
  } finally {
    await other.stop()
  }
})
