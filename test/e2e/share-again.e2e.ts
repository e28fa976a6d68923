import path from 'path'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { fullScreenshot, launchBrowser, loggedInContext, seriousViolations, DESKTOP, PHONE, type BrowserSession } from './browser'
import { startStack, type RunningStack, type StackInstance } from '../../dev-stack'
import { shareAgainFixture, type ShareAgainFixture } from '../fixtures/share-again-cases'
import fr from '../../locales/fr.json'
import en from '../../locales/en.json'

/**
 * Share again at real sizes, in Chromium on the built app served by the stand-in: 600
 * resources for one teacher, groups named by the archive and one it does not name. The page
 * must stay short (search, sections by application, first lines only), its banner must agree
 * with its cards, and sharing everything with the teacher must be one sharing, one mail.
 * French and English, desktop and 390 px, axe-checked and screenshotted.
 */

const APP_DIR = path.resolve(__dirname, '../../build/app')
const PENDING = 'io.cozy.mesdonnees.pendingshares'
const LOCALES = [
  ['fr', fr],
  ['en', en]
] as const
const VIEWPORTS = [
  [DESKTOP, 'desktop'],
  [PHONE, 'phone']
] as const
type Dict = typeof fr

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Polyglot's interpolation and plural choice, enough for these strings. */
function tr(template: string, values: Record<string, string | number>): string {
  const forms = template.split(' |||| ')
  const count = values.smart_count
  const chosen = typeof count === 'number' && forms.length > 1 && count !== 1 ? forms[1] : forms[0]
  return chosen.replace(/%\{(\w+)\}/g, (_, key: string) => String(values[key]))
}

jest.setTimeout(240_000)

describe('Share again at real sizes in Chromium', () => {
  let stack: RunningStack
  let alice: StackInstance
  let session: BrowserSession
  let context: BrowserContext
  let appUrl: string
  let fixture: ShareAgainFixture

  beforeAll(async () => {
    stack = await startStack({ quota: 10 * 1024 ** 3 })
    alice = stack.instances[0]
    await alice.installApp(APP_DIR)
    await alice.instance.dbs.create('io.cozy.contacts', { fullname: 'Mme Leroy', name: { givenName: 'Anne', familyName: 'Leroy' }, email: [{ address: 'anne.leroy@example.org', primary: true }] })
    fixture = shareAgainFixture(600)
    appUrl = alice.appUrl('mes-donnees')
    session = await launchBrowser()
    context = await loggedInContext(session.browser, alice.loginUrl(appUrl))
  })
  afterAll(async () => {
    await context?.close()
    await session?.close()
    await stack?.stop()
  })

  /** The pending shares as the import left them: nothing mapped, nothing shared. */
  async function resetShares(): Promise<void> {
    const revs = new Map((await alice.instance.dbs.list(PENDING)).map(d => [d._id, d._rev]))
    const docs = fixture.shares.map(doc => ({ ...doc, ...(revs.has(doc._id) ? { _rev: revs.get(doc._id) } : {}) }))
    await alice.instance.dbs.bulk(PENDING, docs as unknown as Record<string, unknown>[])
  }

  async function open(locale: 'fr' | 'en', viewport: (typeof VIEWPORTS)[number][0], dict: Dict) {
    alice.instance.state.locale = locale
    await alice.instance.save()
    const page = await context.newPage()
    await page.setViewportSize(viewport)
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await page.goto(`${appUrl}#/share-again`)
    await page.getByRole('heading', { level: 1, name: dict.pages.shareAgain.title }).waitFor()
    await page.getByTestId('share-counts').waitFor()
    return { page, errors }
  }

  /** The height of what scrolls in the app's main area (the shell scrolls inside it). */
  const contentHeight = (page: Page) =>
    page.evaluate(() => {
      let tallest = document.documentElement.scrollHeight
      for (const el of Array.from(document.querySelectorAll('main, main *'))) {
        if (/(auto|scroll)/.test(getComputedStyle(el).overflowY)) tallest = Math.max(tallest, el.scrollHeight + el.getBoundingClientRect().top)
      }
      return tallest
    })

  async function check(page: Page, errors: string[], name: string): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    expect(await seriousViolations(page)).toEqual([])
    await fullScreenshot(page, name)
    expect(errors).toEqual([])
  }

  /** The banner's numbers, and the sums of the cards' own counts. */
  async function countsAgree(page: Page, dict: Dict): Promise<{ pending: number; shared: number }> {
    const banner = (await page.getByTestId('share-counts').textContent()) ?? ''
    const cards = await page.getByTestId('recipient-counts').allTextContents()
    const numbers = (text: string) => (text.match(/\d+/g) ?? []).map(Number)
    const [pending, recipients, shared] = numbers(banner)
    expect(banner).toBe(tr(dict.shareAgain.counts, { pending, recipients, shared, dismissed: 0 }))
    expect(recipients).toBe(cards.length)
    expect(cards.reduce((sum, text) => sum + numbers(text)[0], 0)).toBe(pending)
    expect(cards.reduce((sum, text) => sum + numbers(text)[1], 0)).toBe(shared)
    return { pending, shared }
  }

  describe.each(LOCALES)('in %s', (locale, dict: Dict) => {
    it.each(VIEWPORTS)('keeps 600 resources for one person short, searchable and named (%o)', async (viewport, label) => {
      await resetShares()
      const { page, errors } = await open(locale, viewport, dict)
      const headings = await page.getByRole('heading', { level: 2 }).allTextContents()
      const group = tr(dict.shareAgain.group, {})
      expect(headings).toEqual(
        expect.arrayContaining(['Mme Leroy', `CM2 B — parents · ${group}`, `${tr(dict.shareAgain.unnamedGroup, { number: 1 })} · ${group}`, 'Paul Durand', 'Inès Haddad', 'Zoé Martin'])
      )
      // Never the ENT's opaque ids.
      expect(headings.join('\n')).not.toMatch(/474|481|1429810567870/)
      const counts = await countsAgree(page, dict)
      expect(counts.pending).toBe(600 + 12 + 8 + 4)

      const teacher = page.getByRole('listitem', { name: 'Mme Leroy' })
      // The bulk action comes before the first resource.
      const shareAll = teacher.getByRole('button', { name: dict.shareAgain.shareAll })
      const firstSection = teacher.getByTestId('app-section').first()
      expect((await shareAll.boundingBox())!.y).toBeLessThan((await firstSection.boundingBox())!.y)
      await expect4Sections(teacher, dict)
      expect(await contentHeight(page)).toBeLessThan(5000)
      await check(page, errors, `share-again-600-list-${locale}-${label}`)

      // Search by resource name, then by recipient.
      const search = page.getByLabel(dict.shareAgain.search)
      await search.fill(locale === 'fr' ? 'lecon 12' : 'Leçon 12')
      await page.getByTestId('search-status').filter({ hasText: tr(dict.shareAgain.searchResults, { smart_count: 1 }) }).waitFor()
      expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Mme Leroy'])
      // What the search finds is shown open.
      expect(await teacher.getByText(/^Leçon 12\d*\.cozy-note$/).count()).toBe(1)
      await check(page, errors, `share-again-600-search-${locale}-${label}`)
      await search.fill('cm2 b')
      await page.getByTestId('search-status').filter({ hasText: tr(dict.shareAgain.searchResults, { smart_count: 1 }) }).waitFor()
      expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual([`CM2 B — parents · ${group}`])
      await search.fill('')

      // "Show all" opens one application's 420 lines; folding it gives the short page back.
      const workspace = teacher.getByTestId('app-section').filter({ hasText: dict.entImport.apps.workspace })
      const toggle = workspace.getByRole('button', { name: new RegExp(`^${escapeRegExp(dict.entImport.apps.workspace)} \\(420`) })
      await toggle.click()
      expect(await toggle.getAttribute('aria-expanded')).toBe('true')
      expect(await workspace.getByRole('listitem').allTextContents()).toEqual([1, 2, 3, 4, 5].map(n => expect.stringContaining(`Fiche d’exercices ${n}.pdf`)))
      await check(page, errors, `share-again-600-open-${locale}-${label}`)
      await workspace.getByRole('button', { name: tr(dict.shareAgain.showAll, { smart_count: 415 }) }).click()
      await workspace.getByText('Fiche d’exercices 420.pdf', { exact: true }).waitFor()
      expect(await workspace.getByRole('listitem').count()).toBe(420)
      await toggle.click()
      expect(await toggle.getAttribute('aria-expanded')).toBe('false')
      expect(await workspace.getByRole('listitem').count()).toBe(0)
      expect(await contentHeight(page)).toBeLessThan(5000)
      await check(page, errors, `share-again-600-folded-${locale}-${label}`)
      await page.close()
    })

    it('shares everything with the teacher as one sharing: one invitation mail, and the counts follow', async () => {
      await resetShares()
      const { page, errors } = await open(locale, DESKTOP, dict)
      const before = stack.outbox.list().filter(m => m.to === 'anne.leroy@example.org').length
      const sharingsBefore = (await alice.instance.dbs.list('io.cozy.sharings')).length
      const teacher = page.getByRole('listitem', { name: 'Mme Leroy' })
      await teacher.getByRole('button', { name: dict.shareAgain.map }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel(dict.shareAgain.dialog.search).fill('leroy')
      await dialog.getByRole('checkbox', { name: /Mme Leroy/ }).check()
      await dialog.getByRole('button', { name: dict.shareAgain.dialog.save }).click()
      await teacher.getByText(tr(dict.shareAgain.mappedTo, { names: 'Mme Leroy' }), { exact: false }).waitFor({ timeout: 60_000 })
      await teacher.getByRole('button', { name: dict.shareAgain.shareAll }).click()
      await page.getByText(`${tr(dict.shareAgain.done, { smart_count: 600 })} ${tr(dict.shareAgain.grouped, { smart_count: 1 })}`).waitFor({ timeout: 120_000 })
      const sharings = (await alice.instance.dbs.list('io.cozy.sharings')).slice(sharingsBefore)
      expect(sharings).toHaveLength(1)
      expect((sharings[0].rules as unknown[]).length).toBe(600)
      expect(stack.outbox.list().filter(m => m.to === 'anne.leroy@example.org').length - before).toBe(1)
      const counts = await countsAgree(page, dict)
      expect(counts).toEqual({ pending: 24, shared: 600 })
      for (const [viewport, label] of VIEWPORTS) {
        await page.setViewportSize(viewport)
        await check(page, errors, `share-again-600-shared-${locale}-${label}`)
      }
      await page.close()
    })
  })
})

async function expect4Sections(card: Locator, dict: Dict): Promise<void> {
  const sections = card.getByTestId('app-section')
  expect(await sections.count()).toBe(4)
  const titles = await card.getByRole('heading', { level: 3 }).allTextContents()
  for (const app of ['workspace', 'blog', 'wiki', 'calendar'] as const) expect(titles.some(t => t.includes(dict.entImport.apps[app]))).toBe(true)
  // A long card starts folded: its applications and their counts, no line.
  expect(await card.getByTestId('app-section').getByRole('listitem').count()).toBe(0)
  for (const expanded of await card.getByRole('heading', { level: 3 }).getByRole('button').evaluateAll(buttons => buttons.map(b => b.getAttribute('aria-expanded')))) expect(expanded).toBe('false')
}
