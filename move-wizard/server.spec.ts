import { promises as fs } from 'fs'
import os from 'os'
import path from 'path'
import { loadConfig, type WizardConfig } from './config'
import { startWizard, type RunningWizard } from './server'
import { startStackDouble, type StackDouble, type StackDoubleOptions } from './testing/stack-double'
import { csrfOf, hiddenFields, Visitor, type Visit } from './testing/visitor'

const SECRET = 'a-test-secret-that-is-long-enough-1234567890'
const GB = 1e9

interface Setup {
  wizard: RunningWizard
  config: WizardConfig
  logs: string[]
  stacks: StackDouble[]
}

let setup: Setup | undefined

afterEach(async () => {
  if (!setup) return
  await setup.wizard.close()
  await Promise.all(setup.stacks.map(s => s.close()))
  setup = undefined
})

async function start(env: Record<string, string> = {}): Promise<Setup> {
  const config = loadConfig({ MOVE_WIZARD_SECRET: SECRET, MOVE_WIZARD_DEV: '1', ...env })
  const logs: string[] = []
  const wizard = await startWizard(config, 0, '127.0.0.1', { log: line => logs.push(line), publicUrlFromPort: !env.MOVE_WIZARD_PUBLIC_URL })
  setup = { wizard, config, logs, stacks: [] }
  return setup
}

async function cozy(options: StackDoubleOptions = {}): Promise<StackDouble> {
  if (!setup) throw new Error('start the wizard first')
  const stack = await startStackDouble({ moveUrl: setup.wizard.url.replace(/\/$/, ''), ...options })
  setup.stacks.push(stack)
  return stack
}

function wizardUrl(path: string): string {
  if (!setup) throw new Error('start the wizard first')
  return new URL(path, setup.wizard.url).href
}

/** Flow A, steps 1–2: the source's /move/initialize sends the browser (307, still a POST) to the wizard. */
async function initializeFrom(visitor: Visitor, source: StackDouble): Promise<Visit> {
  const fromStack = await visitor.post(`${source.url}move/initialize`, { csrf_token: 'settings-form' })
  expect(fromStack.status).toBe(307)
  expect(fromStack.location).toMatch(new RegExp(`^${wizardUrl('initialize')}\\?`))
  return visitor.post(fromStack.location as string, { csrf_token: 'settings-form' })
}

/** Chooses a side's Cozy by its address and comes back through its authorisation page. */
async function chooseTarget(visitor: Visitor, target: StackDouble): Promise<Visit> {
  const form = await visitor.get(wizardUrl('address/target'))
  expect(form.status).toBe(200)
  const sent = await visitor.post(wizardUrl('address/target'), { csrf: csrfOf(form.text), address: target.url })
  expect(sent.status).toBe(303)
  const authorize = new URL(sent.location as string)
  expect(authorize.origin + authorize.pathname).toBe(`${target.url}auth/authorize/move`)
  expect(authorize.searchParams.get('redirect_uri')).toBe(wizardUrl('callback/target'))
  const page = await visitor.get(authorize.href)
  expect(page.status).toBe(200)
  const approved = await visitor.post(`${target.url}auth/authorize/move`, {
    passphrase: 'cozy',
    state: authorize.searchParams.get('state') ?? '',
    client_id: authorize.searchParams.get('client_id') ?? '',
    redirect: authorize.searchParams.get('redirect_uri') ?? ''
  })
  expect(approved.status).toBe(200)
  const back = await visitor.get((JSON.parse(approved.text) as { redirect: string }).redirect)
  return back
}

async function chooseSourceByAuthorize(visitor: Visitor, source: StackDouble): Promise<Visit> {
  await visitor.get(wizardUrl('/'))
  const form = await visitor.get(wizardUrl('address/source'))
  const sent = await visitor.post(wizardUrl('address/source'), { csrf: csrfOf(form.text), address: source.url })
  expect(sent.status).toBe(303)
  const authorize = new URL(sent.location as string)
  expect(authorize.origin + authorize.pathname).toBe(`${source.url}move/authorize`)
  expect(authorize.searchParams.get('redirect_uri')).toBe(wizardUrl('callback/source'))
  const fromStack = await visitor.get(authorize.href)
  expect(fromStack.status).toBe(303)
  return visitor.get(fromStack.location as string)
}

/** From the summary to the 307, then the browser's re-post of the same body to the source. */
async function confirmAndHandOver(visitor: Visitor): Promise<{ handOver: Visit; atSource: Visit; fields: [string, string][] }> {
  const confirm = await visitor.get(wizardUrl('confirm'))
  expect(confirm.status).toBe(200)
  expect(confirm.plain).toMatch(/Attention|Warning/)
  expect(confirm.plain).toMatch(/Écraser les données|Overwrite the data/)
  const fields = hiddenFields(confirm.text, '/move')
  const handOver = await visitor.post(wizardUrl('move'), fields)
  const atSource = handOver.location ? await visitor.post(handOver.location, fields) : handOver
  return { handOver, atSource, fields }
}

describe('flow A: started from the source Cozy', () => {
  it('exchanges the code, registers on the destination, and hands over to the source with 307', async () => {
    const { logs } = await start()
    const source = await cozy({ used: 1_234_000_000, quota: 5 * GB })
    const target = await cozy({ used: 20_000_000, quota: 50 * GB })
    const visitor = new Visitor('fr-FR,fr;q=0.9')

    const initialized = await initializeFrom(visitor, source)
    expect(initialized.status).toBe(303)
    expect(initialized.location).toBe(wizardUrl('summary'))
    expect(source.tokens.size).toBe(1)

    const summary = await visitor.get(wizardUrl('summary'))
    expect(summary.plain).toContain('Exporter\u202f:')
    expect(summary.plain).toContain(source.host)
    expect(summary.plain).toContain('1,23 / 5,00 Go')
    expect(summary.plain).toContain('Inverser')
    expect(summary.plain).toContain('<button class="wz-btn" type="button" disabled>Lancer le déménagement</button>')

    const select = await visitor.get(wizardUrl('select'))
    expect(select.plain).toContain('J’ai déjà un Cozy')
    expect(select.plain).toContain('Je n’ai pas encore de Cozy')

    const back = await chooseTarget(visitor, target)
    expect(back.status).toBe(303)
    expect(back.location).toBe(wizardUrl('summary'))
    expect(target.registeredClients.size).toBe(1)
    const [[clientId, client]] = [...target.registeredClients]
    expect(client.redirectUris).toEqual([wizardUrl('callback/target')])
    expect(client.name).toBe('Assistant de déménagement Mes données')

    const ready = await visitor.get(wizardUrl('summary'))
    expect(ready.plain).toContain(target.host)
    expect(ready.plain).toContain('0,02 / 50,00 Go')
    expect(ready.plain).toContain('href="/confirm"')

    const { handOver, atSource, fields } = await confirmAndHandOver(visitor)
    expect(handOver.status).toBe(307)
    expect(handOver.location).toBe(`${source.url}move/request`)
    expect(handOver.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    expect(atSource.status).toBe(200)
    expect(source.moveRequests).toHaveLength(1)
    const request = source.moveRequests[0]
    expect(request.sourceBy).toBe('token')
    expect(request.form.target_url).toBe(target.url)
    expect(request.form.target_client_id).toBe(clientId)
    expect(target.tokens.get(request.form.target_token)?.clientId).toBe(clientId)
    expect(request.form.ignore_vault).toBeUndefined()
    expect(fields.map(([name]) => name).sort()).toEqual(
      ['csrf', 'token', 'client_id', 'client_secret', 'target_url', 'target_token', 'target_client_id', 'target_client_secret'].sort()
    )

    // The session is gone: nothing of the move can be replayed.
    const after = await visitor.get(wizardUrl('confirm'))
    expect(after.status).toBe(400)
    const secrets = [request.form.token, request.form.client_secret, request.form.target_token, request.form.target_client_secret]
    for (const line of logs) for (const secret of secrets) expect(line).not.toContain(secret)
    expect(logs.some(line => line.startsWith('GET /callback/target 303'))).toBe(true)
  })

  it('swaps source and destination with "Inverser" when the source gave a token', async () => {
    await start()
    const a = await cozy({ used: 2 * GB, quota: 10 * GB })
    const b = await cozy({ used: 1 * GB, quota: 10 * GB })
    const visitor = new Visitor()
    await initializeFrom(visitor, a)
    await chooseTarget(visitor, b)
    const summary = await visitor.get(wizardUrl('summary'))
    const swapped = await visitor.post(wizardUrl('swap'), { csrf: csrfOf(summary.text) })
    expect(swapped.status).toBe(303)
    const { handOver, atSource } = await confirmAndHandOver(visitor)
    expect(handOver.location).toBe(`${b.url}move/request`)
    expect(atSource.status).toBe(200)
    expect(b.moveRequests).toHaveLength(1)
    expect(b.moveRequests[0].form.target_url).toBe(a.url)
    expect(a.tokens.has(b.moveRequests[0].form.target_token)).toBe(true)
  })

  it('asks to export the passwords first when the source has a vault, and passes ignore_vault', async () => {
    await start()
    const source = await cozy({ used: GB, vault: true })
    const target = await cozy({ used: 0 })
    const visitor = new Visitor('en')
    await initializeFrom(visitor, source)
    await chooseTarget(visitor, target)
    const summary = await visitor.get(wizardUrl('summary'))
    expect(summary.plain).toContain('href="/passwords"')
    expect((await visitor.get(wizardUrl('confirm'))).location).toBe(wizardUrl('passwords'))
    const passwords = await visitor.get(wizardUrl('passwords'))
    expect(passwords.plain).toContain('Export your passwords')
    expect(passwords.plain).toContain('Skip this step')
    const skipped = await visitor.post(wizardUrl('passwords'), { csrf: csrfOf(passwords.text), choice: 'ignored' })
    expect(skipped.location).toBe(wizardUrl('confirm'))
    const { atSource } = await confirmAndHandOver(visitor)
    expect(atSource.status).toBe(200)
    expect(source.moveRequests[0].form.ignore_vault).toBe('true')
  })

  it('shows sizes in English with GB of 10^9 bytes and no quota when the Cozy is unlimited', async () => {
    await start()
    const source = await cozy({ used: 987_654_321 })
    const visitor = new Visitor('en-GB,en;q=0.9')
    await initializeFrom(visitor, source)
    const summary = await visitor.get(wizardUrl('summary'))
    expect(summary.plain).toContain('Export from:')
    expect(summary.plain).toContain('0.99 GB used')
    expect(summary.plain).not.toContain('<progress')
  })
})

describe('flow B: started on the wizard', () => {
  it('chooses the source through /move/authorize and hands over its code', async () => {
    await start()
    const source = await cozy({ used: 3 * GB, quota: 5 * GB })
    const target = await cozy({ used: 0, quota: 5 * GB })
    const visitor = new Visitor()
    const landing = await visitor.get(wizardUrl('/'))
    expect(landing.plain).toContain('C’est parti\u202f!')
    const back = await chooseSourceByAuthorize(visitor, source)
    expect(back.location).toBe(wizardUrl('summary'))
    const summary = await visitor.get(wizardUrl('summary'))
    expect(summary.plain).toContain(source.host)
    expect(summary.plain).toContain('3,00 / 5,00 Go')
    // A source known by a code only can never become the destination.
    expect(summary.plain).not.toContain('Inverser')
    const anyForm = await visitor.get(wizardUrl('address/target'))
    expect((await visitor.post(wizardUrl('swap'), { csrf: csrfOf(anyForm.text) })).status).toBe(400)

    await chooseTarget(visitor, target)
    const { handOver, atSource, fields } = await confirmAndHandOver(visitor)
    expect(handOver.status).toBe(307)
    expect(atSource.status).toBe(200)
    expect(fields.map(([n]) => n)).toContain('code')
    expect(fields.map(([n]) => n)).not.toContain('token')
    expect(source.moveRequests[0].sourceBy).toBe('code')
  })

  it('refuses a callback whose state is not the one it sent', async () => {
    await start()
    const source = await cozy()
    const visitor = new Visitor('en')
    await visitor.get(wizardUrl('/'))
    const form = await visitor.get(wizardUrl('address/source'))
    const sent = await visitor.post(wizardUrl('address/source'), { csrf: csrfOf(form.text), address: source.url })
    const forged = new URL(wizardUrl('callback/source'))
    forged.searchParams.set('state', 'not-the-state')
    forged.searchParams.set('code', 'attacker-code')
    const answer = await visitor.get(forged.href)
    expect(answer.status).toBe(403)
    expect(answer.plain).toContain('security check')
    // A forged answer changes nothing: the real one, with the state the wizard sent, still goes through.
    const real = await visitor.get(sent.location as string)
    const back = await visitor.get(real.location as string)
    expect(back.status).toBe(303)
  })
})

describe('refusals on the summary', () => {
  it('refuses the source as destination on the address page, before its password page, however the address is written', async () => {
    await start()
    const source = await cozy({ used: GB, quota: 5 * GB })
    const visitor = new Visitor()
    await initializeFrom(visitor, source)
    const clientsBefore = source.registeredClients.size
    const { port } = new URL(source.url)
    for (const typed of [source.url, `HTTP://127.0.0.1:${port}`, `http://127.0.0.1:${port}/drive/#/folder`]) {
      const form = await visitor.get(wizardUrl('address/target'))
      const sent = await visitor.post(wizardUrl('address/target'), { csrf: csrfOf(form.text), address: typed })
      expect({ typed, status: sent.status, location: sent.location }).toEqual({ typed, status: 400, location: undefined })
      expect(sent.plain).toContain('Ce Cozy est celui que vous quittez\u202f: indiquez l’adresse d’un autre Cozy')
      expect(sent.text).toContain('role="alert"')
    }
    // Nothing reached the Cozy: no client registered for the destination side, so no password asked.
    expect(source.registeredClients.size).toBe(clientsBefore)
    const summary = await visitor.get(wizardUrl('summary'))
    expect(summary.plain).not.toContain('href="/confirm"')
    expect((await visitor.get(wizardUrl('confirm'))).status).toBe(400)
    expect((await visitor.post(wizardUrl('move'), { csrf: csrfOf(summary.text) })).status).toBe(400)
    expect(source.moveRequests).toHaveLength(0)
  })

  it('refuses the destination as source in flow B, in English', async () => {
    await start()
    const target = await cozy({ used: 0, quota: 5 * GB })
    const visitor = new Visitor('en-GB,en;q=0.9')
    await visitor.get(wizardUrl('/'))
    await chooseTarget(visitor, target)
    const form = await visitor.get(wizardUrl('address/source'))
    const sent = await visitor.post(wizardUrl('address/source'), { csrf: csrfOf(form.text), address: target.url.toUpperCase() })
    expect(sent.status).toBe(400)
    expect(sent.plain).toContain('This is the Cozy that will receive your data')
  })

  it('still accepts another Cozy on the same host name but another port', async () => {
    await start()
    const source = await cozy({ used: GB, quota: 5 * GB })
    const target = await cozy({ used: 0, quota: 5 * GB })
    const visitor = new Visitor()
    await initializeFrom(visitor, source)
    await chooseTarget(visitor, target)
    const summary = await visitor.get(wizardUrl('summary'))
    expect(summary.plain).toContain('href="/confirm"')
  })

  it('refuses a destination smaller than what the source uses', async () => {
    await start()
    const source = await cozy({ used: 6 * GB, quota: 10 * GB })
    const target = await cozy({ used: 0, quota: 5 * GB })
    const visitor = new Visitor()
    await initializeFrom(visitor, source)
    await chooseTarget(visitor, target)
    const summary = await visitor.get(wizardUrl('summary'))
    expect(summary.plain).toContain(`Votre nouveau Cozy ${target.host} ne dispose que de 5,00 Go`)
    expect(summary.plain).toContain('disabled>Lancer le déménagement')
    expect((await visitor.get(wizardUrl('confirm'))).status).toBe(400)
  })

  it('accepts a destination with an unlimited quota', async () => {
    await start()
    const source = await cozy({ used: 600 * GB, quota: 1000 * GB })
    const target = await cozy({ used: 0 })
    const visitor = new Visitor()
    await initializeFrom(visitor, source)
    await chooseTarget(visitor, target)
    expect((await visitor.get(wizardUrl('summary'))).plain).toContain('href="/confirm"')
  })

  it('refuses a hand-over whose fields were changed (no open redirect, no injected target)', async () => {
    await start()
    const source = await cozy()
    const target = await cozy()
    const visitor = new Visitor()
    await initializeFrom(visitor, source)
    await chooseTarget(visitor, target)
    const confirm = await visitor.get(wizardUrl('confirm'))
    const fields = hiddenFields(confirm.text, '/move').map(([n, v]): [string, string] => [n, n === 'target_url' ? 'https://evil.example/' : v])
    const answer = await visitor.post(wizardUrl('move'), fields)
    expect(answer.status).toBe(400)
    expect(answer.location).toBeUndefined()
    const extra = await visitor.post(wizardUrl('move'), [...hiddenFields(confirm.text, '/move'), ['redirect', 'https://evil.example/']])
    expect(extra.status).toBe(400)
    expect(source.moveRequests).toHaveLength(0)
  })
})

describe('refusals while choosing a Cozy', () => {
  async function submitTarget(visitor: Visitor, address: string): Promise<Visit> {
    await visitor.get(wizardUrl('/'))
    const form = await visitor.get(wizardUrl('address/target'))
    return visitor.post(wizardUrl('address/target'), { csrf: csrfOf(form.text), address })
  }

  it('refuses http for anything but localhost, even in dev mode', async () => {
    await start()
    const answer = await submitTarget(new Visitor('en'), 'http://cozy.example.com')
    expect(answer.status).toBe(400)
    expect(answer.plain).toContain('must start with https://')
  })

  it('refuses http for localhost outside dev mode, and private addresses', async () => {
    await start({ MOVE_WIZARD_DEV: '0', MOVE_WIZARD_PUBLIC_URL: 'https://move.example.com/' })
    const visitor = new Visitor('en')
    // Outside dev mode the cookie is __Host- and Secure; the test's http client still sends it back.
    expect((await submitTarget(visitor, 'http://127.0.0.1:9/')).plain).toContain('must start with https://')
    expect((await submitTarget(visitor, 'https://127.0.0.1/')).plain).toContain('not the one of a Cozy reachable on the Internet')
    expect((await submitTarget(visitor, 'https://localhost/')).plain).toContain('not the one of a Cozy reachable on the Internet')
  })

  it('refuses a domain outside the allowed ones', async () => {
    await start({ MOVE_WIZARD_DEV: '0', MOVE_WIZARD_PUBLIC_URL: 'https://move.example.com/', MOVE_WIZARD_ALLOWED_DOMAINS: 'mycozy.cloud' })
    const answer = await submitTarget(new Visitor('en'), 'alice.evil.example')
    expect(answer.status).toBe(400)
    expect(answer.plain).toContain('does not handle Cozies at this address')
  })

  it('refuses an address whose /status is not a Cozy', async () => {
    await start()
    const notCozy = await cozy({ statusCode: 404 })
    const answer = await submitTarget(new Visitor('en'), notCozy.url)
    expect(answer.status).toBe(502)
    expect(answer.plain).toContain('does not seem to be a Cozy')
    expect(notCozy.requests).toEqual(['GET /status'])
  })

  it('says so when the Cozy does not answer', async () => {
    await start()
    const gone = await cozy()
    await gone.close()
    setup?.stacks.splice(setup.stacks.indexOf(gone), 1)
    const answer = await submitTarget(new Visitor('en'), gone.url)
    expect(answer.status).toBe(502)
    expect(answer.plain).toContain('does not answer')
  })

  it('says so when the destination refuses the registration', async () => {
    await start()
    const target = await cozy({ refuseRegister: true })
    const answer = await submitTarget(new Visitor('en'), target.url)
    expect(answer.status).toBe(502)
    expect(answer.plain).toContain('refused the move wizard')
  })

  it('refuses a destination whose code cannot be exchanged', async () => {
    await start()
    const target = await cozy({ refuseTokens: true })
    const visitor = new Visitor('en')
    await visitor.get(wizardUrl('/'))
    const back = await chooseTarget(visitor, target)
    expect(back.status).toBe(502)
    expect(back.plain).toContain('refused the move authorisation')
  })

  it('refuses a form without the session state (cross-site request)', async () => {
    await start()
    const target = await cozy()
    const visitor = new Visitor('en')
    await visitor.get(wizardUrl('/'))
    const answer = await visitor.post(wizardUrl('address/target'), { csrf: 'guessed', address: target.url })
    expect(answer.status).toBe(403)
    expect(target.requests).toHaveLength(0)
  })
})

describe('sessions, initialisation and limits', () => {
  /** Flow A up to a ready summary; returns the visitor and the wizard's cookie host. */
  async function readyMove(env: Record<string, string> = {}): Promise<{ visitor: Visitor; host: string; source: StackDouble }> {
    const { config } = await start(env)
    const source = await cozy({ used: GB, quota: 5 * GB })
    const target = await cozy({ used: GB, quota: 50 * GB })
    const visitor = new Visitor('en')
    await initializeFrom(visitor, source)
    await chooseTarget(visitor, target)
    return { visitor, host: new URL(config.publicUrl).host, source }
  }

  it('uses the session up at the hand-over: a cookie copied before the 307 is refused afterwards', async () => {
    const { visitor, host, source } = await readyMove()
    const copied = visitor.cookie(host, 'move-wizard') as string
    const confirmPage = await visitor.get(wizardUrl('confirm'))
    const fields = hiddenFields(confirmPage.text, '/move')
    const { handOver } = await confirmAndHandOver(visitor)
    expect(handOver.status).toBe(307)
    expect(source.moveRequests).toHaveLength(1)

    const thief = new Visitor('en')
    for (const visit of [() => thief.get(wizardUrl('summary')), () => thief.get(wizardUrl('confirm')), () => thief.post(wizardUrl('move'), fields)]) {
      thief.setCookie(host, 'move-wizard', copied)
      const refused = await visit()
      expect(refused.status).toBe(409)
      expect(refused.plain).toContain('already been handed over')
      expect(refused.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    }
    expect(source.moveRequests).toHaveLength(1)
    expect((await thief.get(wizardUrl('status'))).status).toBe(200)
  })

  it('hands a session over once even when two copies are posted at the same time', async () => {
    const { visitor, host } = await readyMove()
    const confirmPage = await visitor.get(wizardUrl('confirm'))
    const fields = hiddenFields(confirmPage.text, '/move')
    const twin = new Visitor('en')
    twin.setCookie(host, 'move-wizard', visitor.cookie(host, 'move-wizard') as string)
    const answers = await Promise.all([visitor.post(wizardUrl('move'), fields), twin.post(wizardUrl('move'), fields)])
    expect(answers.map(a => a.status).sort()).toEqual([307, 409])
  })

  it('refuses a used-up session on every replica sharing MOVE_WIZARD_STATE_DIR', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wizard-state-'))
    try {
      const env = { MOVE_WIZARD_STATE_DIR: dir }
      const { visitor, host } = await readyMove(env)
      const copied = visitor.cookie(host, 'move-wizard') as string
      const { handOver } = await confirmAndHandOver(visitor)
      expect(handOver.status).toBe(307)
      expect(await fs.readdir(dir)).toHaveLength(1)
      // Another replica: same secret, same directory, its own address.
      const other = await startWizard(loadConfig({ MOVE_WIZARD_SECRET: SECRET, MOVE_WIZARD_DEV: '1', ...env }), 0, '127.0.0.1', { log: () => undefined, publicUrlFromPort: true })
      try {
        const otherHost = new URL(other.url).host
        const thief = new Visitor('en')
        thief.setCookie(otherHost, 'move-wizard', copied)
        const refused = await thief.get(new URL('summary', other.url).href)
        expect(refused.status).toBe(409)
        // A session that was not handed over still works there (same secret).
        const fresh = await new Visitor('en').get(new URL('/', other.url).href)
        expect(fresh.status).toBe(200)
      } finally {
        await other.close()
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })

  it('ends a session at MOVE_WIZARD_SESSION_MAX_AGE however active it is', async () => {
    const { config } = await start({ MOVE_WIZARD_SESSION_MAX_AGE: '2', MOVE_WIZARD_SESSION_TTL: '60' })
    const source = await cozy()
    const visitor = new Visitor('en')
    await initializeFrom(visitor, source)
    expect(config.sessionMaxAgeSeconds).toBe(2)
    expect((await visitor.get(wizardUrl('select'))).status).toBe(200)
    await new Promise(resolve => setTimeout(resolve, 1000))
    expect((await visitor.get(wizardUrl('select'))).status).toBe(200)
    await new Promise(resolve => setTimeout(resolve, 1200))
    const ended = await visitor.get(wizardUrl('select'))
    expect(ended.status).toBe(400)
    expect(ended.plain).toContain('expired')
  })

  it('refuses an /initialize without its parameters or with a refused code', async () => {
    await start()
    const source = await cozy()
    const visitor = new Visitor('en')
    const bare = await visitor.post(wizardUrl('initialize'))
    expect(bare.status).toBe(400)
    expect(bare.plain).toContain('incomplete or invalid')
    const forged = new URL(wizardUrl('initialize'))
    for (const [k, v] of Object.entries({ code: 'nope', client_id: 'x', client_secret: 'y', cozy_url: source.url })) forged.searchParams.set(k, v)
    const refused = await visitor.post(forged.href)
    expect(refused.status).toBe(502)
    expect(refused.headers.get('set-cookie')).toBeNull()
    const elsewhere = new URL(forged)
    elsewhere.searchParams.set('cozy_url', 'http://cozy.example.com/')
    expect((await visitor.post(elsewhere.href)).status).toBe(400)
  })

  it('ignores a tampered or expired session cookie', async () => {
    const { config } = await start({ MOVE_WIZARD_SESSION_TTL: '1' })
    const source = await cozy()
    const visitor = new Visitor('en')
    await initializeFrom(visitor, source)
    const value = visitor.cookie(new URL(config.publicUrl).host, 'move-wizard') as string
    const flipped = value.slice(0, 10) + (value[10] === 'A' ? 'B' : 'A') + value.slice(11)
    visitor.setCookie(new URL(config.publicUrl).host, 'move-wizard', flipped)
    expect((await visitor.get(wizardUrl('select'))).status).toBe(400)
    visitor.setCookie(new URL(config.publicUrl).host, 'move-wizard', value)
    await new Promise(resolve => setTimeout(resolve, 1100))
    const expired = await visitor.get(wizardUrl('select'))
    expect(expired.status).toBe(400)
    expect(expired.plain).toContain('expired')
  })

  it('rate-limits a client that sends too many requests', async () => {
    await start({ MOVE_WIZARD_RATE_LIMIT: '3' })
    const visitor = new Visitor('en')
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await visitor.get(wizardUrl('/'))).status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    const limited = await visitor.get(wizardUrl('/'))
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(limited.plain).toContain('Too many requests')
  })

  it('rate-limits the steps that call a Cozy more tightly', async () => {
    await start({ MOVE_WIZARD_OUTBOUND_RATE_LIMIT: '1' })
    const target = await cozy()
    const visitor = new Visitor('en')
    await visitor.get(wizardUrl('/'))
    const form = await visitor.get(wizardUrl('address/target'))
    const first = await visitor.post(wizardUrl('address/target'), { csrf: csrfOf(form.text), address: target.url })
    expect(first.status).toBe(303)
    const second = await visitor.post(wizardUrl('address/target'), { csrf: csrfOf(form.text), address: target.url })
    expect(second.status).toBe(429)
    expect(target.requests.filter(r => r === 'POST /auth/register')).toHaveLength(1)
  })

  it('counts clients by X-Forwarded-For only when told to trust the proxy', async () => {
    const statuses = async (trust: string): Promise<number[]> => {
      await start({ MOVE_WIZARD_RATE_LIMIT: '1', MOVE_WIZARD_TRUST_PROXY: trust })
      const out: number[] = []
      for (const client of ['203.0.113.1', '203.0.113.2']) {
        out.push((await fetch(wizardUrl('status'), { headers: { 'X-Forwarded-For': `${client}, 10.0.0.1` } })).status)
      }
      await setup?.wizard.close()
      setup = undefined
      return out
    }
    expect(await statuses('1')).toEqual([200, 200])
    expect(await statuses('0')).toEqual([200, 429])
  })

  it('serves the providers page with the configured creation links', async () => {
    await start({ MOVE_WIZARD_PROVIDERS: 'Hébergeur A|https://a.example/create?lang=%{locale},B|https://b.example/' })
    const visitor = new Visitor('en')
    await visitor.get(wizardUrl('/'))
    const page = await visitor.get(wizardUrl('create'))
    expect(page.plain).toContain('href="https://a.example/create?lang=en"')
    expect(page.plain).toContain('Create my Cozy with Hébergeur A')
    expect(page.plain).toContain('rel="noopener noreferrer"')
    expect(page.plain).toContain('href="/address/target"')
  })

  it('switches language with ?lang= and keeps it in the session', async () => {
    await start()
    const visitor = new Visitor('fr')
    await visitor.get(wizardUrl('/'))
    const english = await visitor.get(wizardUrl('/?lang=en'))
    expect(english.plain).toContain('<html lang="en">')
    expect((await visitor.get(wizardUrl('summary'))).plain).toContain('Export from:')
  })

  it('sets security headers and serves its stylesheets', async () => {
    await start()
    const visitor = new Visitor()
    const page = await visitor.get(wizardUrl('/'))
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/)
    expect((await visitor.get(wizardUrl('assets/wizard.css'))).plain).toContain('.wz-card')
    expect((await visitor.get(wizardUrl('assets/cozy-ui.utils.min.css'))).plain).toContain('--primaryColor')
    expect((await visitor.get(wizardUrl('nope'))).status).toBe(404)
  })
})
