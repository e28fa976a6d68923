import { startStack, type RunningStack } from '../dev-stack'
import { loadConfig } from './config'
import { startWizard, type RunningWizard } from './server'
import { csrfOf, hiddenFields, Visitor } from './testing/visitor'

/**
 * The wizard against two instances of the local stand-in for cozy-stack (dev-stack/), over
 * real HTTP: the stand-in's /move/initialize, /move/authorize, /auth/register,
 * /auth/authorize/move, /auth/access_token and /move/request check what the stack checks.
 */

let wizard: RunningWizard
let stack: RunningStack

beforeAll(async () => {
  const config = loadConfig({ MOVE_WIZARD_SECRET: 'stand-in-spec-secret-0123456789abcdef', MOVE_WIZARD_DEV: '1' })
  wizard = await startWizard(config, 0, '127.0.0.1', { log: () => undefined, publicUrlFromPort: true })
  stack = await startStack({ instances: 3, moveWizardUrl: wizard.url })
}, 60_000)

afterAll(async () => {
  await stack?.stop()
  await wizard?.close()
})

/** The stand-in sends mails through its sendmail job, a moment after the request. */
async function mailFrom(domain: string, after: number, template: string): Promise<{ links: string[]; text: string }> {
  for (let i = 0; i < 100; i++) {
    const mail = stack.outbox.list(domain).slice(after).find(m => m.template === template)
    if (mail) return mail
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`no ${template} mail from ${domain}`)
}

function at(path: string): string {
  return new URL(path, wizard.url).href
}

/** A browser logged in on a stand-in instance (its session cookie is named after it). */
async function loggedIn(index: number): Promise<Visitor> {
  const visitor = new Visitor('fr')
  const pair = (await stack.instances[index].sessionCookie()).split(';')[0]
  const cut = pair.indexOf('=')
  visitor.setCookie(stack.instances[index].domain, pair.slice(0, cut), pair.slice(cut + 1))
  return visitor
}

async function chooseTarget(visitor: Visitor, index: number): Promise<void> {
  const target = stack.instances[index]
  const form = await visitor.get(at('address/target'))
  const sent = await visitor.post(at('address/target'), { csrf: csrfOf(form.text), address: target.url })
  expect(sent.status).toBe(303)
  const authorize = new URL(sent.location as string)
  expect((await visitor.get(authorize.href)).status).toBe(200)
  const approved = await visitor.post(`${target.url}auth/authorize/move`, {
    passphrase: target.passphrase,
    state: authorize.searchParams.get('state') ?? '',
    client_id: authorize.searchParams.get('client_id') ?? '',
    redirect: authorize.searchParams.get('redirect_uri') ?? ''
  })
  // the page's text tells why, should the stand-in ever refuse
  expect({ status: approved.status, page: approved.plain }).toMatchObject({ status: 303 })
  const back = await visitor.get(approved.location as string)
  expect(back.location).toBe(at('summary'))
}

async function handOver(visitor: Visitor): Promise<{ status: number; location?: string; page: string }> {
  const confirm = await visitor.get(at('confirm'))
  expect(confirm.status).toBe(200)
  const fields = hiddenFields(confirm.text, '/move')
  const moved = await visitor.post(at('move'), fields)
  expect(moved.status).toBe(307)
  const atSource = await visitor.post(moved.location as string, fields)
  return { status: atSource.status, location: moved.location, page: atSource.plain }
}

describe('the wizard against the stand-in for cozy-stack', () => {
  it('flow A: from /move/initialize to a move request that mails its confirmation link', async () => {
    const [alice, bob] = stack.instances
    const visitor = await loggedIn(0)
    const initialize = await visitor.post(`${alice.url}move/initialize`)
    expect(initialize.status).toBe(307)
    const arrival = await visitor.post(initialize.location as string)
    expect(arrival.location).toBe(at('summary'))
    const summary = await visitor.get(at('summary'))
    expect(summary.plain).toContain(alice.domain)
    expect(summary.plain).toContain('Inverser')

    await chooseTarget(visitor, 1)
    const mailsBefore = stack.outbox.list(alice.domain).length
    const result = await handOver(visitor)
    expect(result.location).toBe(`${alice.url}move/request`)
    expect(result.status).toBe(200)
    const confirm = await mailFrom(alice.domain, mailsBefore, 'move_confirm')
    expect(confirm.links.some(l => l.startsWith(`${alice.url}move/go?secret=`))).toBe(true)
    expect(confirm.text).toContain(bob.domain)
  }, 30_000)

  it('flow B: the source chosen through /move/authorize hands over a code the stand-in accepts', async () => {
    const [, bob, carol] = stack.instances
    const visitor = await loggedIn(1)
    await visitor.get(at('/'))
    const form = await visitor.get(at('address/source'))
    const sent = await visitor.post(at('address/source'), { csrf: csrfOf(form.text), address: bob.url })
    expect(sent.location).toMatch(new RegExp(`^${bob.url}move/authorize\\?`))
    const authorized = await visitor.get(sent.location as string)
    expect(authorized.status).toBe(303)
    expect(authorized.location).toMatch(new RegExp(`^${at('callback/source')}\\?`))
    expect((await visitor.get(authorized.location as string)).location).toBe(at('summary'))
    const summary = await visitor.get(at('summary'))
    expect(summary.plain).toContain(bob.domain)
    expect(summary.plain).not.toContain('Inverser')

    await chooseTarget(visitor, 2)
    const mailsBefore = stack.outbox.list(bob.domain).length
    const result = await handOver(visitor)
    expect(result.status).toBe(200)
    const confirm = await mailFrom(bob.domain, mailsBefore, 'move_confirm')
    expect(confirm.text).toContain(carol.domain)
  }, 30_000)

  it('refuses what the stack would refuse, the same instance twice, before its password page', async () => {
    const [alice] = stack.instances
    const visitor = await loggedIn(0)
    const initialize = await visitor.post(`${alice.url}move/initialize`)
    expect(initialize.status).toBe(307)
    await visitor.post(initialize.location as string)
    const form = await visitor.get(at('address/target'))
    const sent = await visitor.post(at('address/target'), { csrf: csrfOf(form.text), address: alice.url.replace(/\/$/, '').toUpperCase() })
    expect(sent.status).toBe(400)
    expect(sent.location).toBeUndefined()
    expect(sent.plain).toContain('Ce Cozy est celui que vous quittez')
    expect((await visitor.get(at('confirm'))).status).toBe(400)
  }, 30_000)
})
