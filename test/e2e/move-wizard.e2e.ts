import type { BrowserContext, Page } from 'playwright-core'
import { launchBrowser, screenshot, DESKTOP, type BrowserSession } from './browser'
import { startStack, type RunningStack, type StackInstance } from '../../dev-stack'
import { loadConfig } from '../../move-wizard/config'
import { startWizard, type RunningWizard } from '../../move-wizard/server'
import { translator, type WizardLocale } from '../../move-wizard/i18n'
import fr from '../../locales/fr.json'
import en from '../../locales/en.json'

/**
 * The whole move of the issue, between two instances of the local stand-in for cozy-stack:
 * from the Move page of the webapp on alice, through every wizard screen, bob's password page,
 * the confirmation mail in the outbox and its link, the export on alice and the import into
 * bob; then alice is marked as moved and bob holds alice's files and contacts. Every screen is
 * screenshotted in French and in English (test/e2e/screenshots/move-e2e-*).
 */

/** Files of the demo seed on alice, read back from bob after the move. */
const DEMO_FILES = ['/Documents/Lisez-moi.txt', '/Documents/École/Liste des fournitures.txt', '/Photos/README.md']
const APP_STRINGS = { fr, en } as const

async function download(cozy: StackInstance, filePath: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${cozy.url}files/download?Path=${encodeURIComponent(filePath)}`, { headers: { Authorization: `Bearer ${cozy.cliToken}` } })
  return { status: res.status, body: await res.text() }
}

async function contactNames(cozy: StackInstance): Promise<string[]> {
  const res = await fetch(`${cozy.url}data/io.cozy.contacts/_all_docs?include_docs=true`, { headers: { Authorization: `Bearer ${cozy.cliToken}` } })
  const body = (await res.json()) as { rows?: { doc?: { fullname?: string } }[] }
  return (body.rows ?? []).map(r => r.doc?.fullname).filter((n): n is string => typeof n === 'string').sort()
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}

describe('a move between two stand-in instances, driven in Chromium', () => {
  let session: BrowserSession

  beforeAll(async () => {
    session = await launchBrowser()
  })
  afterAll(async () => {
    await session?.close()
  })

  it.each([
    ['fr', 'fr-FR'],
    ['en', 'en-GB']
  ] as const)('moves alice into bob in %s', async (locale: WizardLocale, browserLocale) => {
    const t = translator(locale)
    const app = APP_STRINGS[locale]
    let wizard: RunningWizard | undefined
    let stack: RunningStack | undefined
    let context: BrowserContext | undefined
    try {
      const config = loadConfig({ MOVE_WIZARD_SECRET: 'e2e-move-secret-0123456789abcdef', MOVE_WIZARD_DEV: '1', MOVE_WIZARD_DEFAULT_LOCALE: locale })
      wizard = await startWizard(config, 0, '127.0.0.1', { log: () => undefined, publicUrlFromPort: true })
      stack = await startStack({ instances: 2, seedDemo: true, locale, moveWizardUrl: wizard.url })
      const [alice, bob] = stack.instances
      const before = await Promise.all(DEMO_FILES.map(f => download(alice, f)))
      expect(before.map(d => d.status)).toEqual(DEMO_FILES.map(() => 200))
      const aliceContacts = await contactNames(alice)
      expect(aliceContacts.length).toBeGreaterThan(0)

      context = await session.browser.newContext({ viewport: DESKTOP, locale: browserLocale })
      const page = await context.newPage()
      const errors: string[] = []
      const shot = (p: Page, n: number, screen: string): Promise<string> => screenshot(p, `move-e2e-${String(n).padStart(2, '0')}-${screen}-${locale}`)

      // 1. The Move page of the webapp on alice, logged in.
      await page.goto(alice.loginUrl(`${alice.appUrl('mes-donnees')}#/move`))
      const openWizard = page.getByRole('button', { name: app.move.submit })
      await openWizard.waitFor()
      await shot(page, 1, 'move-page')

      // 2. Its form posts to alice's /move/initialize in a new tab; the stack answers 307 to the wizard.
      const [wizardTab] = await Promise.all([context.waitForEvent('page'), openWizard.click()])
      wizardTab.on('pageerror', err => errors.push(err.message))
      await wizardTab.waitForURL(`${wizard.url}summary`)
      await wizardTab.getByTestId('source').waitFor()
      expect(await wizardTab.textContent('[data-testid=source]')).toContain(alice.domain)
      await shot(wizardTab, 2, 'wizard-summary-source')

      await wizardTab.getByTestId('target-pick').click()
      await shot(wizardTab, 3, 'wizard-select')
      await wizardTab.getByRole('link', { name: t('select.haveOne') }).click()
      await wizardTab.getByLabel(t('address.label')).fill(bob.url)
      await shot(wizardTab, 4, 'wizard-address')
      await wizardTab.getByRole('button', { name: t('address.continue') }).click()

      // 3. bob's own password page (/auth/authorize/move), then back to the wizard.
      await wizardTab.waitForURL(url => url.href.startsWith(`${bob.url}auth/authorize/move`))
      await wizardTab.locator('input[name=passphrase]').fill(bob.passphrase)
      await shot(wizardTab, 5, 'destination-password')
      await wizardTab.locator('form[action="/auth/authorize/move"] button[type=submit]').click()
      await wizardTab.waitForURL(`${wizard.url}summary`)
      await wizardTab.getByTestId('target').waitFor()
      expect(await wizardTab.textContent('[data-testid=target]')).toContain(bob.domain)
      await wizardTab.getByRole('button', { name: t('summary.swap') }).waitFor()
      await shot(wizardTab, 6, 'wizard-summary-ready')

      // 4. "Lancer le déménagement", the "Attention" dialog, "Écraser les données": 307 to alice's /move/request.
      await wizardTab.getByRole('link', { name: t('summary.start') }).click()
      const dialog = wizardTab.getByRole('alertdialog', { name: t('confirm.title') })
      await dialog.waitFor()
      await shot(wizardTab, 7, 'wizard-confirm')
      await dialog.getByRole('button', { name: t('confirm.confirm') }).click()
      await wizardTab.waitForURL(`${alice.url}move/request`)
      await shot(wizardTab, 8, 'source-request-sent')

      // 5. The confirmation mail in the outbox, and its link opened where alice is logged in.
      const mail = await waitFor('the move_confirm mail', () => stack?.outbox.list(alice.domain).find(m => m.template === 'move_confirm'))
      const link = mail.links.find(l => l.includes('/move/go'))
      expect(link).toBeDefined()
      expect(mail.text).toContain(bob.domain)
      const mailView = await context.newPage()
      const escaped = `${mail.subject}\n\n${mail.text}`.replace(/[&<>]/g, c => `&#${c.charCodeAt(0)};`)
      await mailView.setContent(`<!DOCTYPE html><html lang="${locale}"><body><pre style="font: 16px/1.5 sans-serif; white-space: pre-wrap; margin: 2rem">${escaped}</pre></body></html>`)
      await shot(mailView, 9, 'confirmation-mail')
      await mailView.close()
      await wizardTab.goto(link as string)
      await wizardTab.waitForURL(url => url.href.startsWith(bob.url))
      await shot(wizardTab, 10, 'destination-importing')

      // 6. Export on alice, import into bob, finalize on alice.
      await waitFor('alice to be marked as moved', () => (alice.instance.state.extra.moved === true ? true : undefined), 90_000)
      await waitFor('the move_success mail', () => stack?.outbox.list(bob.domain).find(m => m.template === 'move_success'), 30_000)
      await wizardTab.waitForURL(url => url.href.startsWith(`${bob.url}auth/login`), { timeout: 30_000 })
      await shot(wizardTab, 11, 'destination-login')

      expect(alice.instance.state.movedTo).toBe(bob.url.replace(/\/$/, ''))
      const after = await Promise.all(DEMO_FILES.map(f => download(bob, f)))
      expect(after).toEqual(before)
      expect(await contactNames(bob)).toEqual(aliceContacts)
      expect(errors).toEqual([])
    } finally {
      await context?.close()
      await stack?.stop()
      await wizard?.close()
    }
  }, 240_000)
})
