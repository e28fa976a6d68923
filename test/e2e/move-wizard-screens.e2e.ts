import type { Page } from 'playwright-core'
import { launchBrowser, screenshot, seriousViolations, titleFit, DESKTOP, PHONE, type BrowserSession } from './browser'
import { loadConfig } from '../../move-wizard/config'
import { startWizard, type RunningWizard } from '../../move-wizard/server'
import { startStackDouble, type StackDouble } from '../../move-wizard/testing/stack-double'
import { translator, type WizardLocale } from '../../move-wizard/i18n'

/**
 * Every screen of the move wizard in Chromium, in French and English, desktop and phone, with
 * Cozies played by the wizard's stack doubles (the end-to-end move between two instances of the
 * stand-in lives in move-wizard.e2e.ts). Each screen is checked by axe and screenshotted.
 */

const GB = 1e9

describe('the move wizard screens in Chromium', () => {
  let session: BrowserSession
  let wizard: RunningWizard
  const doubles: StackDouble[] = []

  beforeAll(async () => {
    const config = loadConfig({
      MOVE_WIZARD_SECRET: 'screens-test-secret-0123456789abcdef',
      MOVE_WIZARD_DEV: '1',
      // One browser walks through many steps quickly; the limits themselves are unit-tested.
      MOVE_WIZARD_OUTBOUND_RATE_LIMIT: '1000',
      MOVE_WIZARD_RATE_LIMIT: '10000'
    })
    wizard = await startWizard(config, 0, '127.0.0.1', { log: () => undefined, publicUrlFromPort: true })
    session = await launchBrowser()
  })
  afterAll(async () => {
    await session?.close()
    await wizard?.close()
    await Promise.all(doubles.map(d => d.close()))
  })

  async function double(options: Parameters<typeof startStackDouble>[0]): Promise<StackDouble> {
    const d = await startStackDouble({ moveUrl: wizard.url.replace(/\/$/, ''), ...options })
    doubles.push(d)
    return d
  }


  /**
   * Screenshots a screen. axe checks each screen once, in French at desktop width: the markup
   * and colours are the same in English and on phones, and each check takes over a second.
   */
  async function shot(page: Page, name: string): Promise<void> {
    await screenshot(page, name)
    if (name.endsWith('-fr-desktop')) expect(await seriousViolations(page)).toEqual([])
  }

  /** What the stack's password page does: post the passphrase, then follow the JSON redirect. */
  async function approveAt(page: Page, cozy: StackDouble): Promise<void> {
    await page.waitForURL(url => url.href.startsWith(`${cozy.url}auth/authorize/move`))
    const redirect = await page.evaluate(async () => {
      const q = new URLSearchParams(location.search)
      const body = new URLSearchParams({ passphrase: 'cozy', state: q.get('state') ?? '', client_id: q.get('client_id') ?? '', redirect: q.get('redirect_uri') ?? '' })
      const res = await fetch('/auth/authorize/move', { method: 'POST', body })
      return ((await res.json()) as { redirect: string }).redirect
    })
    await page.goto(redirect)
  }

  async function chooseTarget(page: Page, t: ReturnType<typeof translator>, cozy: StackDouble): Promise<void> {
    await page.getByLabel(t('address.label')).fill(cozy.url)
    await page.getByRole('button', { name: t('address.continue') }).click()
    await approveAt(page, cozy)
    await page.waitForURL(`${wizard.url}summary`)
  }

  it.each([
    ['fr', 'fr-FR'],
    ['en', 'en-GB']
  ] as const)('walks through flow A in %s', async (locale: WizardLocale, browserLocale) => {
    const t = translator(locale)
    const source = await double({ used: 1_234_000_000, quota: 5 * GB, vault: true })
    const small = await double({ used: 0, quota: 1 * GB })
    const target = await double({ used: 20_000_000, quota: 50 * GB })
    for (const [viewport, label] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone']
    ] as const) {
      const context = await session.browser.newContext({ viewport, locale: browserLocale })
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', err => errors.push(err.message))
      const name = (screen: string): string => `move-wizard-${screen}-${locale}-${label}`

      // The Settings form that the stack's /move/initialize answers with a 307 to the wizard.
      await page.setContent(`<form method="post" action="${source.url}move/initialize"><button>go</button></form>`)
      await page.click('button')
      await page.waitForURL(`${wizard.url}summary`)
      expect(await page.getAttribute('html', 'lang')).toBe(locale)
      await page.getByRole('heading', { level: 1, name: t('title') }).waitFor()
      expect(await page.textContent('main')).toContain(source.host)
      await shot(page, name('summary-source'))

      await page.goto(wizard.url)
      await shot(page, name('landing'))
      await page.getByRole('link', { name: t('landing.start') }).click()

      await page.getByTestId('target-pick').click()
      await page.getByRole('heading', { level: 1, name: t('select.title') }).waitFor()
      await shot(page, name('select'))
      await page.getByRole('link', { name: t('select.notYet') }).click()
      await page.getByRole('heading', { level: 1, name: t('create.title') }).waitFor()
      await shot(page, name('create'))
      await page.getByRole('link', { name: t('create.done') }).click()
      await page.getByRole('heading', { level: 1, name: t('address.title') }).waitFor()
      await shot(page, name('address'))

      await page.getByLabel(t('address.label')).fill('http://cozy.example.com')
      await page.getByRole('button', { name: t('address.continue') }).click()
      await page.getByText(t('address.errors.insecure')).waitFor()
      await shot(page, name('address-error'))

      await chooseTarget(page, t, small)
      await page.getByText(t('summary.refusals.quotaHelp')).waitFor()
      expect(await page.getByRole('button', { name: t('summary.start') }).isDisabled()).toBe(true)
      await shot(page, name('refusal-quota'))

      // The source again, written otherwise: refused on the address page, before its password page.
      await page.getByTestId('target').getByRole('link').click()
      await page.getByRole('link', { name: t('select.haveOne') }).click()
      const registeredBefore = source.registeredClients.size
      await page.getByLabel(t('address.label')).fill(source.url.replace(/\/$/, '').toUpperCase())
      await page.getByRole('button', { name: t('address.continue') }).click()
      await page.getByRole('alert').filter({ hasText: t('address.errors.same') }).waitFor()
      expect(page.url()).toBe(`${wizard.url}address/target`)
      expect(source.registeredClients.size).toBe(registeredBefore)
      await shot(page, name('refusal-same'))
      await page.goto(`${wizard.url}summary`)

      await page.getByTestId('target').getByRole('link').click()
      await page.getByRole('link', { name: t('select.haveOne') }).click()
      await chooseTarget(page, t, target)
      await page.getByRole('button', { name: t('summary.swap') }).waitFor()
      expect(await page.textContent('[data-testid=target]')).toContain(locale === 'fr' ? '0,02 / 50,00 Go' : '0.02 / 50.00 GB')
      await shot(page, name('summary-ready'))

      await page.getByRole('link', { name: t('summary.start') }).click()
      await page.getByRole('heading', { level: 1, name: t('passwords.title') }).waitFor()
      await shot(page, name('passwords'))
      await page.getByRole('button', { name: t('passwords.skip') }).click()

      const dialog = page.getByRole('alertdialog', { name: t('confirm.title') })
      await dialog.waitFor()
      expect(await dialog.textContent()).toContain(target.host)
      expect(await titleFit(dialog.getByRole('heading', { name: t('confirm.title') }))).toEqual({ text: t('confirm.title'), cuts: [] })
      await shot(page, name('confirm'))

      const requestsBefore = source.moveRequests.length
      await dialog.getByRole('button', { name: t('confirm.confirm') }).click()
      await page.waitForURL(`${source.url}move/request`)
      expect(source.moveRequests).toHaveLength(requestsBefore + 1)
      expect(source.moveRequests[requestsBefore].form.target_url).toBe(target.url)
      expect(source.moveRequests[requestsBefore].form.ignore_vault).toBe('true')

      // The wizard forgot the move: coming back shows the expired-session page.
      await page.goto(`${wizard.url}confirm`)
      await page.getByText(t('errors.sessionExpired')).waitFor()
      await shot(page, name('error'))
      expect(errors).toEqual([])
      await context.close()
    }
  })

  it.each([
    ['fr', 'fr-FR'],
    ['en', 'en-GB']
  ] as const)('starts flow B on the wizard in %s: the source is chosen first, through /move/authorize', async (locale: WizardLocale, browserLocale) => {
    const t = translator(locale)
    const source = await double({ used: 3 * GB, quota: 5 * GB })
    for (const [viewport, label] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone']
    ] as const) {
      const context = await session.browser.newContext({ viewport, locale: browserLocale })
      const page = await context.newPage()
      const name = (screen: string): string => `move-wizard-flow-b-${screen}-${locale}-${label}`
      await page.goto(wizard.url)
      await page.getByRole('link', { name: t('landing.start') }).click()
      await page.getByTestId('source-pick').waitFor()
      expect(await page.getByRole('button', { name: t('summary.swap') }).count()).toBe(0)
      await shot(page, name('summary-empty'))
      await page.getByTestId('source-pick').click()
      await page.getByText(t('address.sourceHelp')).waitFor()
      await shot(page, name('address-source'))
      await page.getByLabel(t('address.label')).fill(source.url)
      await page.getByRole('button', { name: t('address.continue') }).click()
      // The Cozy's /move/authorize answers 303 straight back to the wizard (the user is logged in there).
      await page.waitForURL(`${wizard.url}summary`)
      expect(await page.textContent('[data-testid=source]')).toContain(locale === 'fr' ? '3,00 / 5,00 Go' : '3.00 / 5.00 GB')
      // A source known by a code only cannot become the destination: no "Inverser".
      expect(await page.getByRole('button', { name: t('summary.swap') }).count()).toBe(0)
      await shot(page, name('summary-source'))
      await context.close()
    }
  })
})
