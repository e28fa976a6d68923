import http from 'http'
import type { AddressInfo } from 'net'
import path from 'path'
import type { BrowserContext, Page } from 'playwright-core'
import { fullScreenshot, launchBrowser, loggedInContext, seriousViolations, titleFit, DESKTOP, PHONE, type BrowserSession } from './browser'
import { startStack, ROUTE_MODULES, type RunningStack, type StackInstance } from '../../dev-stack'
import { writeWebapp } from '../../dev-stack/testing/fixtures'
import { exportAndWait, mkdir, upload } from '../../dev-stack/move/testing'
import { updateMoveSettings } from '../../dev-stack/move/instance-settings'
import { ROOT_DIR_ID } from '../../dev-stack/files/vfs'
import fr from '../../locales/fr.json'
import en from '../../locales/en.json'

/**
 * The export, download, Cozy import, move and delete pages of the built app in Chromium,
 * served by the local stand-in (real app token, realtime, permissions), in French and
 * English, at desktop width and at 390 px, each checked by axe and screenshotted.
 */

const APP_DIR = path.resolve(__dirname, '../../build/app')
const HAS_MOVE_ROUTES = ROUTE_MODULES.some(module => module.name === 'move')
const LOCALES = [
  ['fr', fr],
  ['en', en]
] as const
const VIEWPORTS = [
  [DESKTOP, 'desktop'],
  [PHONE, 'phone']
] as const

type Dict = typeof fr

/** What the import writes for a shared ENT folder (src/import/records.ts PendingShare). */
const PENDING_SHARE = {
  _id: 'e2e-pending-share',
  state: 'pending',
  importId: 'e2e-import',
  provenance: { app: 'workspace', entId: 'folder-1', exportId: '1700000000000_user', key: 'workspace/folder/folder-1' },
  resource: { title: 'Sorties scolaires 2025-2026', collection: null },
  cozy: { doctype: 'io.cozy.files', id: 'io.cozy.files.root-dir', path: '/', type: 'directory' },
  recipients: [{ kind: 'user', entId: 'user-42', role: 'contrib', inherited: false, nameHint: 'Marie-Françoise Delacroix-Montgolfier' }],
  createdAt: '2026-12-01T09:30:00.000Z',
  updatedAt: '2026-12-01T09:30:00.000Z'
}

describe('the data pages in Chromium', () => {
  let stack: RunningStack
  let alice: StackInstance
  let session: BrowserSession
  let context: BrowserContext
  let appUrl: string
  /** The mailed link of an export of another Cozy (bob), to import into alice. */
  let otherCozyExportLink: string
  /** A stand-in for the move wizard (the stack's move.url) that records what reaches it. */
  let wizard: http.Server
  const wizardRequests: { method: string; url: string }[] = []

  beforeAll(async () => {
    wizard = http.createServer((req, res) => {
      wizardRequests.push({ method: req.method ?? '', url: req.url ?? '' })
      req.resume()
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      res.end('<!DOCTYPE html><html lang="fr"><title>Assistant</title><h1>Assistant de déménagement</h1></html>')
    })
    await new Promise<void>(resolve => wizard.listen(0, '127.0.0.1', resolve))
    const wizardUrl = `http://127.0.0.1:${(wizard.address() as AddressInfo).port}`
    // Tiny parts (the stand-in lets tests lower the stack's 1 GiB minimum): a few small files
    // give an export in several parts, as a real Cozy's gigabytes would.
    stack = await startStack({ quota: 10 * 1024 ** 3, instances: 2, exportMinimalPartsSize: 100, moveWizardUrl: wizardUrl })
    alice = stack.instances[0]
    const school = await mkdir(alice, ROOT_DIR_ID, 'École')
    await upload(alice, school, 'cahier.txt', 'c'.repeat(90))
    await upload(alice, school, 'sortie.txt', 's'.repeat(90))
    await upload(alice, ROOT_DIR_ID, 'notes.md', '# notes\n')
    otherCozyExportLink = HAS_MOVE_ROUTES ? (await exportAndWait(stack, stack.instances[1])).link : ''
    await alice.installApp(APP_DIR)
    // One ENT share waiting on alice, from a person with a long name: its mapping dialog's title.
    await alice.instance.dbs.bulk('io.cozy.mesdonnees.pendingshares', [PENDING_SHARE])
    // A Settings app, so the delete page can hand over to it.
    await alice.installApp(await writeWebapp({ slug: 'settings', name: 'Paramètres', permissions: {} }))
    appUrl = alice.appUrl('mes-donnees')
    session = await launchBrowser()
    context = await loggedInContext(session.browser, alice.loginUrl(appUrl))
  })
  afterAll(async () => {
    await context?.close()
    await session?.close()
    await stack?.stop()
    await new Promise<void>(resolve => (wizard ? wizard.close(() => resolve()) : resolve()))
  })

  async function setLocale(locale: 'fr' | 'en'): Promise<void> {
    alice.instance.state.locale = locale
    await alice.instance.save()
  }


  /** Opens a route of the app at a width, waits for its heading, checks axe, screenshots. */
  async function visit(route: string, heading: string, name: string, viewport: (typeof VIEWPORTS)[number][0]) {
    const page = await context.newPage()
    await page.setViewportSize(viewport)
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await page.goto(`${appUrl}#${route}`)
    await page.getByRole('heading', { level: 1, name: heading }).waitFor()
    return { page, errors }
  }

  async function check(page: Page, errors: string[], name: string): Promise<void> {
    // Nothing may stick out sideways at phone width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    expect(await seriousViolations(page)).toEqual([])
    await fullScreenshot(page, name)
    expect(errors).toEqual([])
  }

  describe.each(LOCALES)('in %s', (locale, dict: Dict) => {
    beforeAll(() => setLocale(locale))

    it.each(VIEWPORTS)('shows the export page with the apps, part sizes and limits (%o)', async (viewport, label) => {
      const { page, errors } = await visit('/export', dict.pages.export.title, 'export', viewport)
      await page.getByRole('checkbox', { name: dict.export.what.everything }).waitFor()
      expect(await page.getByRole('checkbox', { name: dict.export.what.everything }).isChecked()).toBe(true)
      await page.getByRole('checkbox', { name: dict.export.apps.files }).waitFor()
      await page.getByRole('checkbox', { name: dict.export.apps.thisApp }).waitFor()
      await page.getByText(dict.export.limits.rate).waitFor()
      // The mail as the stack sends it: its subject, and its sender for the spam folder.
      const limits = await page.locator('section[aria-labelledby="export-limits-title"]').textContent()
      expect(limits).toContain(dict.export.limits.subject)
      expect(limits).toContain(dict.export.limits.spam.replace('%{sender}', 'noreply@127.0.0.1'))
      await check(page, errors, `data-export-${locale}-${label}`)
      await page.close()
    })

    it.each(VIEWPORTS)('shows the Cozy import page: refused link, then warning and typed confirmation (%o)', async (viewport, label) => {
      const { page, errors } = await visit('/cozy-import', dict.pages.cozyImport.title, 'import', viewport)
      const field = page.getByLabel(dict.cozyImport.link.label)
      await field.fill(`${alice.url}#/exports/AAAAAAAAAAAAAAAAAAAAAAAAAAAA`)
      await page.getByRole('button', { name: dict.cozyImport.link.check }).click()
      await page.getByRole('alert').filter({ hasText: dict.stackErrors.imports.invalidLink }).waitFor()
      await check(page, errors, `data-cozy-import-error-${locale}-${label}`)
      if (!HAS_MOVE_ROUTES) return page.close()
      await field.fill(otherCozyExportLink)
      await page.getByRole('button', { name: dict.cozyImport.link.check }).click()
      await page.getByText(dict.cozyImport.warning.title).waitFor()
      // Which export replaces the data, read on bob: its Cozy, its date, its parts and their size.
      const summary = page.getByTestId('import-export-summary')
      await summary.getByText(dict.cozyImport.export.created).waitFor()
      const summaryText = (await summary.textContent()) ?? ''
      expect(summaryText).toContain(dict.cozyImport.export.title)
      expect(summaryText).toContain(stack.instances[1].domain)
      expect(summaryText).toMatch(locale === 'fr' ? /\d+\s?part(ie|ies) d’environ/ : /\d+ parts? of about/)
      expect(summaryText).not.toContain(dict.cozyImport.export.unreadable)
      const erase = page.getByRole('button', { name: dict.cozyImport.confirm.submit })
      const [summaryBox, eraseBox] = [await summary.boundingBox(), await erase.boundingBox()]
      expect((summaryBox?.y ?? Infinity) < (eraseBox?.y ?? 0)).toBe(true)
      expect(await erase.isDisabled()).toBe(true)
      await page.getByLabel(dict.cozyImport.confirm.label.replace('%{word}', dict.cozyImport.confirm.word)).fill(dict.cozyImport.confirm.word)
      expect(await erase.isEnabled()).toBe(true)
      await check(page, errors, `data-cozy-import-${locale}-${label}`)
      await page.close()
    })

    it.each(VIEWPORTS)('shows the move page with its form to the move wizard (%o)', async (viewport, label) => {
      const { page, errors } = await visit('/move', dict.pages.move.title, 'move', viewport)
      const submit = page.getByRole('button', { name: dict.move.submit })
      await submit.waitFor()
      const form = submit.locator('xpath=ancestor::form')
      expect(await form.getAttribute('action')).toBe(`${alice.url}move/initialize`)
      expect(await form.getAttribute('target')).toBe('_blank')
      expect(await form.getAttribute('method')).toBe('post')
      await check(page, errors, `data-move-${locale}-${label}`)
      await page.close()
    })

    it.each(VIEWPORTS)('shows the delete page handing over to Settings (%o)', async (viewport, label) => {
      const { page, errors } = await visit('/delete-account', dict.pages.deleteAccount.title, 'delete', viewport)
      const link = page.getByRole('link', { name: dict.deleteAccount.settings.open })
      await link.waitFor()
      expect(await link.getAttribute('href')).toBe(`${alice.appUrl('settings')}#/profile/delete`)
      await check(page, errors, `data-delete-account-${locale}-${label}`)
      await page.close()
    })

    it.each(VIEWPORTS)('shows the whole title of the mapping dialog on the share-again page (%o)', async (viewport, label) => {
      const { page, errors } = await visit('/share-again', dict.pages.shareAgain.title, 'share', viewport)
      await page.getByRole('button', { name: dict.shareAgain.map }).click()
      const dialog = page.getByRole('dialog')
      await dialog.waitFor()
      const title = dict.shareAgain.dialog.title.replace('%{name}', PENDING_SHARE.recipients[0].nameHint)
      // The title is what names the dialog (aria-labelledby), as a screen reader announces it.
      const labelledBy = await dialog.getAttribute('aria-labelledby')
      expect(labelledBy).toBeTruthy()
      const fit = await titleFit(page.locator(`[id="${labelledBy}"]`))
      expect(fit.text.replace(/\s+/g, ' ')).toBe(title.replace(/\s+/g, ' '))
      expect(fit.cuts).toEqual([])
      await check(page, errors, `data-share-dialog-${locale}-${label}`)
      await page.close()
    })

    it.each(VIEWPORTS)('explains an unknown export link on the download page (%o)', async (viewport, label) => {
      const { page, errors } = await visit('/exports/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', dict.export.download.title, 'download', viewport)
      await page.getByRole('alert').waitFor()
      await check(page, errors, `data-download-error-${locale}-${label}`)
      await page.close()
    })
  })

  const withMoveRoutes = HAS_MOVE_ROUTES ? it : it.skip
  withMoveRoutes('exports, follows the export live, then downloads its parts from the mailed link', async () => {
    await setLocale('fr')
    const { page, errors } = await visit('/export', fr.pages.export.title, 'export', DESKTOP)
    await page.getByRole('checkbox', { name: fr.export.what.everything }).waitFor()
    await page.getByRole('button', { name: fr.export.start }).click()
    await page.getByText(fr.export.progress.doneTitle).waitFor({ timeout: 60000 })
    await page.getByText(fr.export.progress.spam).waitFor()
    await check(page, errors, 'data-export-done-fr-desktop')
    // On a phone the state shows near the top, above the long form.
    await page.setViewportSize(PHONE)
    const stateBox = await page.getByRole('heading', { level: 2, name: fr.export.progress.title }).boundingBox()
    const formBox = await page.getByRole('checkbox', { name: fr.export.what.everything }).boundingBox()
    expect((stateBox?.y ?? Infinity) < (formBox?.y ?? 0)).toBe(true)
    await check(page, errors, 'data-export-done-fr-phone')
    await page.setViewportSize(DESKTOP)
    // The way to the download page: the field that takes the mailed link.
    await page.getByRole('button', { name: fr.export.progress.openDownload }).click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('export-link')
    const mail = stack.outbox.list(alice.domain).find(m => m.template === 'archiver')
    // The page named this very mail: its subject as the stack sends it.
    expect(mail?.subject).toBe(fr.export.limits.subject)
    const link = mail?.links.find(l => l.includes('#/exports/'))
    expect(link).toBeDefined()
    await page.getByLabel(fr.export.paste.label).fill(link ?? '')
    await page.getByRole('button', { name: fr.export.paste.submit }).click()
    const parts = page.getByRole('link', { name: /^Télécharger \(partie \d+\)$/ })
    await parts.first().waitFor()
    const names = await parts.allTextContents()
    expect(names.length).toBeGreaterThanOrEqual(2)
    expect(names).toEqual(names.map((_, i) => `Télécharger (partie ${i})`))
    // Each part with its size, as the stack gives it (parts_size).
    const sizes = await page.getByTestId('part-size').allTextContents()
    expect(sizes).toHaveLength(names.length)
    for (const size of sizes) expect(size).toMatch(/^jusqu’à environ \d+\s?(o|Ko|Mo|Go)$/)
    await check(page, errors, 'data-download-fr-desktop')
    // Each part downloads from its top-level link, as a zip named by the stack.
    for (let i = 0; i < 2; i += 1) {
      const [download] = await Promise.all([page.waitForEvent('download'), parts.nth(i).click()])
      expect(download.suggestedFilename()).toMatch(new RegExp(`part00${i}\\.zip$`))
    }
    await page.setViewportSize(PHONE)
    await check(page, errors, 'data-download-fr-phone')
    await page.setViewportSize(DESKTOP)
    await page.close()
  })

  withMoveRoutes('opens the move wizard in a new tab through the form POST to /move/initialize', async () => {
    await setLocale('fr')
    const { page, errors } = await visit('/move', fr.pages.move.title, 'move', DESKTOP)
    const submit = page.getByRole('button', { name: fr.move.submit })
    await submit.waitFor()
    const [wizardTab] = await Promise.all([context.waitForEvent('page'), submit.click()])
    await wizardTab.getByRole('heading', { name: 'Assistant de déménagement' }).waitFor()
    // The stack answered 307 with the session cookie: the wizard got the POST and the source's code.
    const initialize = wizardRequests.find(r => r.url.startsWith('/initialize?'))
    expect(initialize?.method).toBe('POST')
    const params = new URL(initialize?.url ?? '/', 'http://wizard').searchParams
    expect(params.get('cozy_url')).toBe(alice.url)
    expect(params.get('code')).toBeTruthy()
    expect(params.get('client_id')).toBeTruthy()
    expect(errors).toEqual([])
    await wizardTab.close()
    await page.close()
  })

  withMoveRoutes('tells that this Cozy has moved, once the stack keeps moved_to', async () => {
    // What /move/go stores on the source (cozy-stack-api.md §3.2 step 9).
    await updateMoveSettings(alice.instance, settings => {
      settings.moved_to = 'https://alice.nouvel-hebergeur.example/'
    })
    for (const [locale, dict] of LOCALES) {
      await setLocale(locale)
      for (const [viewport, label] of VIEWPORTS) {
        const { page, errors } = await visit('/move', dict.pages.move.title, 'move', viewport)
        await page.getByText(dict.move.state.movedToTitle).waitFor()
        const newAddress = page.getByRole('link', { name: /alice\.nouvel-hebergeur\.example/ })
        expect(await newAddress.getAttribute('href')).toBe('https://alice.nouvel-hebergeur.example/')
        expect(await page.getByRole('link', { name: dict.move.state.openNew }).getAttribute('href')).toBe('https://alice.nouvel-hebergeur.example/')
        await page.getByRole('button', { name: dict.move.submitAgain }).waitFor()
        await check(page, errors, `data-move-moved-${locale}-${label}`)
        await page.close()
      }
    }
  })
})
