import path from 'path'
import type { BrowserContext, FrameLocator, Page } from 'playwright-core'
import { fullScreenshot, launchBrowser, loggedInContext, seriousViolations, DESKTOP, type BrowserSession } from './browser'
import { startStack, type RunningStack, type StackInstance } from '../../dev-stack'
import { REAL_SAMPLE } from '../fixtures/real-sample'
import fr from '../../locales/fr.json'

/**
 * The ENT import on a Cozy without the konnector, in Chromium, on the built app: the import
 * says the konnector is missing, the user installs it through the Store's INSTALL intent
 * (the stand-in's Store app in an iframe, the intent handshake of docs/intents.md; cancelled
 * once, then accepted), and the
 * import then runs with the konnector the Store installed; its end is notified by the app's
 * import-notification service, woken by its trigger.
 */

const APP_DIR = path.resolve(__dirname, '../../build/app')
const KONNECTOR_DIR = path.resolve(__dirname, '../../build/konnectors/ent-import')

describe('Installing the ENT konnector through the Store intent in Chromium', () => {
  let stack: RunningStack
  let alice: StackInstance
  let session: BrowserSession
  let context: BrowserContext
  let appUrl: string

  beforeAll(async () => {
    // The Store installs from the stand-in's registry: the built konnector is there, not installed.
    stack = await startStack({ quota: 10 * 1024 ** 3, store: true, registry: { 'ent-import': KONNECTOR_DIR } })
    alice = stack.instances[0]
    await alice.installApp(APP_DIR)
    appUrl = alice.appUrl('mes-donnees')
    session = await launchBrowser()
    context = await loggedInContext(session.browser, alice.loginUrl(appUrl))
  })
  afterAll(async () => {
    await context?.close()
    await session?.close()
    await stack?.stop()
  })

  async function shoot(page: Page, name: string): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    expect(await seriousViolations(page)).toEqual([])
    await fullScreenshot(page, name)
  }

  it('fr: the import asks for the konnector, the Store\'s intent installs it, and the import runs', async () => {
    expect(alice.instance.state.konnectors['ent-import']).toBeUndefined()
    const page = await context.newPage()
    await page.setViewportSize(DESKTOP)
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await page.goto(`${appUrl}#/ent-import`)
    await page.getByRole('heading', { level: 1, name: fr.pages.entImport.title }).waitFor()
    await page.locator('#ent-archive-input').setInputFiles(REAL_SAMPLE)
    await page.getByText('Bernard Junior').waitFor()
    await page.getByRole('button', { name: /^Importer \d+ applications?$/ }).click()

    const missing = page.getByRole('alert').filter({ hasText: fr.entImport.konnector.title })
    await missing.waitFor({ timeout: 60_000 })
    await shoot(page, 'konnector-install-missing-fr')

    const dialog = page.getByRole('dialog')
    // Cancelled in the Store: the dialog closes, nothing is installed.
    await missing.getByRole('button', { name: fr.entImport.konnector.install }).click()
    await dialog.frameLocator('iframe').getByRole('button', { name: 'Annuler', exact: true }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(alice.instance.state.konnectors['ent-import']).toBeUndefined()

    await missing.getByRole('button', { name: fr.entImport.konnector.install }).click()
    await dialog.getByText(fr.entImport.konnector.dialogTitle).waitFor()
    const store: FrameLocator = dialog.frameLocator(`iframe[title="${fr.entImport.konnector.frameTitle}"]`)
    // The Store got the client's data ({slug}) through the handshake.
    await store.getByText('Installer le connecteur «\u202fent-import\u202f» depuis le Store\u202f?').waitFor()
    await shoot(page, 'konnector-install-store-intent-fr')
    expect(alice.instance.state.konnectors['ent-import']).toBeUndefined()

    await store.getByRole('button', { name: 'Installer', exact: true }).click()
    // Done: the dialog closes, the konnector is installed and the import starts by itself.
    await dialog.waitFor({ state: 'detached' })
    expect(alice.instance.state.konnectors['ent-import']).toBeDefined()
    const intents = await alice.instance.dbs.list('io.cozy.intents')
    expect(intents.map(i => [i.action, i.type, i.client])).toContainEqual(['INSTALL', 'io.cozy.apps', 'io.cozy.apps/mes-donnees'])

    await page.getByRole('heading', { name: fr.entImport.report.title }).waitFor({ timeout: 120_000 })
    await shoot(page, 'konnector-install-report-fr')
    await page.getByText(/24 importés, 0 déjà présents, 0 non sélectionnés, 0 en échec/).waitFor()

    // The end of the import, notified by the app's service through its trigger.
    const [ended] = (await alice.instance.dbs.list('io.cozy.mesdonnees.imports')).filter(r => r.state === 'done')
    const deadline = Date.now() + 30_000
    while (!stack.outbox.list().some(m => m.subject === fr.importNotification.doneTitle) && Date.now() < deadline) await page.waitForTimeout(200)
    const notices = stack.outbox.list().filter(m => m.subject === fr.importNotification.doneTitle)
    expect(notices).toHaveLength(1)
    expect(notices[0].html).toContain(`#/ent-import/history/${String(ended._id)}`)
    expect(errors).toEqual([])
    await page.close()
  })
})
