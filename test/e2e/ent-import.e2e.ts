import path from 'path'
import { promises as fs } from 'fs'
import type { BrowserContext, Page } from 'playwright-core'
import { fullScreenshot, launchBrowser, loggedInContext, seriousViolations, DESKTOP, PHONE, type BrowserSession } from './browser'
import { startStack, type RunningStack, type StackInstance } from '../../dev-stack'
import { REAL_SAMPLE } from '../fixtures/real-sample'
import { temporaryDirectory } from '../fixtures/paths'
import { writeEntArchive } from '../fixtures/ent-archive'
import { writeZipFile } from '../fixtures/zip-writer'
import fr from '../../locales/fr.json'
import en from '../../locales/en.json'

/**
 * Import from my ENT and Share again in Chromium, on the built app served by the stand-in,
 * with the built konnector run by the stand-in's konnector worker: drop an archive, read the
 * preview, import it, follow it to its report, map a recipient to a contact and share again.
 * French and English, desktop and 390 px, axe-checked and screenshotted.
 */

const escapeRe = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const APP_DIR = path.resolve(__dirname, '../../build/app')
const KONNECTOR_DIR = path.resolve(__dirname, '../../build/konnectors/ent-import')

describe('Import from my ENT and Share again in Chromium', () => {
  let stack: RunningStack
  let alice: StackInstance
  let session: BrowserSession
  let context: BrowserContext
  let appUrl: string
  const tmp = temporaryDirectory()
  let sharesArchive: string
  /** Files that are not an ENT export, each with the error the page must give. */
  let wrongFiles: Array<{ file: string; error: 'not-a-zip' | 'not-an-ent-export' | 'truncated' }>

  beforeAll(async () => {
    stack = await startStack({ quota: 10 * 1024 ** 3 })
    alice = stack.instances[0]
    await alice.installApp(APP_DIR)
    await alice.installKonnector(KONNECTOR_DIR)
    await alice.instance.dbs.create('io.cozy.contacts', { fullname: 'Camille Martin', name: { givenName: 'Camille', familyName: 'Martin' }, email: [{ address: 'camille.martin@example.org', primary: true }] })
    sharesArchive = path.join(tmp.dir, 'mes-donnees-ent-2026.zip')
    await writeEntArchive(sharesArchive, { apps: ['workspace', 'blog', 'forum', 'calendar'], workspaceFiles: 14, userName: 'Léa Moreau', userId: '7f1c2d3e-aaaa-4bbb-8ccc-0123456789ab' })
    const notes = path.join(tmp.dir, 'liste de courses.txt')
    await fs.writeFile(notes, 'Pain, lait, œufs : à acheter samedi.\n'.repeat(40))
    const photo = path.join(tmp.dir, 'photo de classe.jpg')
    await fs.writeFile(photo, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...new TextEncoder().encode('JFIF '.repeat(800)), 0xff, 0xd9]))
    const holiday = path.join(tmp.dir, 'vacances.zip')
    await writeZipFile(holiday, async zip => {
      await zip.file('photos/plage.jpg', 'pas vraiment une photo')
    })
    const cut = path.join(tmp.dir, 'mes-donnees-coupe.zip')
    await fs.writeFile(cut, new Uint8Array(await fs.readFile(REAL_SAMPLE)).subarray(0, 400_000))
    wrongFiles = [
      { file: notes, error: 'not-a-zip' },
      { file: photo, error: 'not-a-zip' },
      { file: holiday, error: 'not-an-ent-export' },
      { file: cut, error: 'truncated' }
    ]
    appUrl = alice.appUrl('mes-donnees')
    session = await launchBrowser()
    context = await loggedInContext(session.browser, alice.loginUrl(appUrl))
  })
  afterAll(async () => {
    await context?.close()
    await session?.close()
    await stack?.stop()
    tmp.remove()
  })

  async function setLocale(locale: 'fr' | 'en'): Promise<void> {
    alice.instance.state.locale = locale
    await alice.instance.save()
  }


  /** axe, no sideways overflow, and a picture, at desktop width and at 390 px. */
  async function checkBothWidths(page: Page, name: string): Promise<void> {
    // A tab behind another one paints no frame: no picture without this.
    await page.bringToFront()
    for (const [viewport, label] of [
      [PHONE, 'phone'],
      [DESKTOP, 'desktop']
    ] as const) {
      await page.setViewportSize(viewport)
      await page.waitForTimeout(150)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      expect(await seriousViolations(page)).toEqual([])
      await fullScreenshot(page, `${name}-${label}`)
    }
  }

  /** A real drop: the file's bytes in a DataTransfer, dropped on the drop zone. */
  async function dropArchive(page: Page, file: string): Promise<void> {
    const base64 = (await fs.readFile(file)).toString('base64')
    const name = path.basename(file)
    await page.getByTestId('ent-drop-zone').evaluate(
      (zone, { base64, name }) => {
        const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0))
        const transfer = new DataTransfer()
        transfer.items.add(new File([bytes], name, { type: 'application/zip' }))
        zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }))
        zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }))
      },
      { base64, name }
    )
  }

  async function openPage(route: string, heading: string): Promise<{ page: Page; errors: string[] }> {
    const page = await context.newPage()
    await page.setViewportSize(DESKTOP)
    const errors: string[] = []
    page.on('pageerror', err => errors.push(err.message))
    await page.goto(`${appUrl}#${route}`)
    await page.getByRole('heading', { level: 1, name: heading }).waitFor()
    return { page, errors }
  }

  it('fr: drops an archive, previews it, imports it, reads the report, maps a recipient and shares again', async () => {
    await setLocale('fr')
    const { page, errors } = await openPage('/ent-import', fr.pages.entImport.title)
    await page.getByTestId('ent-drop-zone').waitFor()
    await checkBothWidths(page, 'ent-import-picker-fr')

    await dropArchive(page, sharesArchive)
    await page.getByRole('heading', { name: fr.entImport.preview.title }).waitFor()
    await page.getByText('Léa Moreau').waitFor()
    for (const app of ['workspace', 'blog', 'forum', 'calendar'] as const) {
      expect(await page.getByRole('checkbox', { name: new RegExp(`^${fr.entImport.apps[app]}`) }).isChecked()).toBe(true)
    }
    // The workspace trash is listed apart and left out unless ticked.
    expect(await page.getByRole('checkbox', { name: new RegExp(`^${fr.entImport.apps.trash}`) }).isChecked()).toBe(false)
    await checkBothWidths(page, 'ent-import-preview-fr')

    await page.getByRole('button', { name: /^Importer 4 applications$/ }).click()
    // A reload during the import rebuilds the page from the import record: its progress, or
    // its report if it ended meanwhile, never the picker.
    const progressOrReport = page.getByRole('heading', { name: new RegExp(`^(${fr.entImport.progress.title}|${fr.entImport.report.title})$`) })
    await progressOrReport.waitFor({ timeout: 90_000 })
    await page.reload()
    await progressOrReport.waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('ent-drop-zone').count()).toBe(0)
    await page.getByRole('heading', { name: fr.entImport.report.title }).waitFor({ timeout: 90_000 })
    await page.getByText(/\d+ importés, 0 déjà présents, \d+ non sélectionnés, 0 en échec/).waitFor()
    await page.getByRole('row', { name: new RegExp(fr.entImport.apps.workspace) }).waitFor()
    await checkBothWidths(page, 'ent-import-report-fr')

    // The built import-notification service, woken by its trigger (installed with the app)
    // when the konnector set the record to done: one notification, with a link to the report.
    const [ended] = (await alice.instance.dbs.list('io.cozy.mesdonnees.imports')).filter(r => r.state === 'done')
    const deadline = Date.now() + 30_000
    while (!stack.outbox.list().some(m => JSON.stringify(m).includes('Votre import ENT est terminé')) && Date.now() < deadline) await page.waitForTimeout(200)
    const notices = stack.outbox.list().filter(m => JSON.stringify(m).includes('Votre import ENT est terminé'))
    expect(notices).toHaveLength(1)
    expect(JSON.stringify(notices[0])).toContain(`#/ent-import/history/${String(ended._id)}`)

    // The archive went to the Drive under its own name, outside the watched folder.
    const uploaded = (await alice.instance.dbs.list('io.cozy.files')).find(d => d.name === 'mes-donnees-ent-2026.zip')
    expect(uploaded).toBeDefined()

    await page.getByRole('button', { name: fr.entImport.report.goShare }).click()
    await page.getByRole('heading', { level: 1, name: fr.pages.shareAgain.title }).waitFor()
    await page.getByTestId('share-counts').waitFor()
    await checkBothWidths(page, 'share-again-list-fr')

    // The first ENT recipient (named in the archive, or "Utilisateur ENT" / "Groupe ENT" and a short id).
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) }).first()
    await card.getByRole('button', { name: fr.shareAgain.map }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel(fr.shareAgain.dialog.search).fill('camille')
    await dialog.getByRole('checkbox', { name: /Camille Martin/ }).check()
    await checkBothWidths(page, 'share-again-mapping-fr')
    await dialog.getByRole('button', { name: fr.shareAgain.dialog.save }).click()
    await card.getByText(/Associé à\s*: Camille Martin/).waitFor()
    await card.getByRole('button', { name: new RegExp(`^(${fr.shareAgain.shareAll}|${fr.shareAgain.shareAllGroup})$`) }).click()
    await page.getByText(/partages? recréés?\. Les invitations sont envoyées par e-mail\./).waitFor()
    await checkBothWidths(page, 'share-again-shared-fr')
    expect(stack.outbox.list().filter(m => m.to === 'camille.martin@example.org').length).toBeGreaterThan(0)
    const sharings = await alice.instance.dbs.list('io.cozy.sharings')
    expect(sharings.length).toBeGreaterThan(0)
    expect(errors).toEqual([])
    await page.close()
  })

  /** An import record as the engine writes it while it runs (and once done), in the stand-in. */
  function runningRecord(name: string, now: Date): Record<string, unknown> {
    const apps = [
      { app: 'workspace', folder: 'Espace documentaire', selected: true, state: 'running', total: 120, imported: 48, skipped: 0, notSelected: 0, failed: 0, bytes: 4_200_000, plannedBytes: 9_800_000, durationMs: 0 },
      { app: 'blog', folder: 'Blog', selected: true, state: 'pending', total: 30, imported: 0, skipped: 0, notSelected: 0, failed: 0, bytes: 0, plannedBytes: 1_200_000, durationMs: 0 }
    ]
    return {
      state: 'running',
      archive: { fileId: 'file-elsewhere', name, size: 11_000_000, exportId: `1775058630583_${name}`, exportedAt: '2026-04-01T15:50:30.583Z' },
      selection: ['workspace', 'blog'],
      includeTrash: false,
      copy: false,
      destination: { id: null, path: '/Mes données ENT' },
      importFolder: null,
      apps,
      progress: { bytesDone: 4_200_000, bytesPlanned: 11_000_000, itemsDone: 48, itemsPlanned: 150 },
      errors: [],
      errorCount: 0,
      notices: [],
      error: null,
      pendingShares: 0,
      jobs: 1,
      jobId: null,
      createdAt: now.toISOString(),
      startedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      finishedAt: null,
      report: null
    }
  }

  async function finish(id: string): Promise<void> {
    const current = await alice.instance.dbs.get('io.cozy.mesdonnees.imports', id)
    const now = new Date().toISOString()
    const apps = (current.apps as Array<Record<string, unknown>>).map(app => ({ ...app, state: 'done', imported: app.total, bytes: app.plannedBytes, durationMs: 1000 }))
    await alice.instance.dbs.put('io.cozy.mesdonnees.imports', { ...current, state: 'done', apps, progress: { bytesDone: 11_000_000, bytesPlanned: 11_000_000, itemsDone: 150, itemsPlanned: 150 }, updatedAt: now, finishedAt: now })
  }

  for (const [locale, t] of [
    ['fr', fr],
    ['en', en]
  ] as const) {
    it(`${locale}: an import at work is shown live on opening, in a second tab and after a reload, then its report`, async () => {
      await setLocale(locale)
      // The import this browser followed before (the real one above) shows again once; leave it.
      const first = await openPage('/ent-import', t.pages.entImport.title)
      const report = first.page.getByRole('heading', { name: t.entImport.report.title })
      const picker = first.page.getByTestId('ent-drop-zone')
      await Promise.race([report.waitFor(), picker.waitFor()])
      if (await report.count()) {
        if (locale === 'fr') await checkBothWidths(first.page, 'ent-import-reopened-report-fr')
        await first.page.getByRole('button', { name: t.entImport.report.newImport }).click()
      }
      await picker.waitFor()
      await first.page.close()

      // Another browser (or tab) starts an import: opening the page shows it, not the picker.
      const started = await alice.instance.dbs.create('io.cozy.mesdonnees.imports', runningRecord(`ailleurs-${locale}.zip`, new Date()))
      const { page, errors } = await openPage('/ent-import', t.pages.entImport.title)
      await page.getByRole('heading', { name: t.entImport.progress.title }).waitFor()
      await page.getByText(new RegExp(`^${t.entImport.progress.items.replace('%{done}', '48').replace('%{total}', '150')}`)).waitFor()
      expect(await page.getByTestId('ent-drop-zone').count()).toBe(0)
      await checkBothWidths(page, `ent-import-running-${locale}`)
      const second = await context.newPage()
      await second.setViewportSize(PHONE)
      await second.goto(`${appUrl}#/ent-import`)
      await second.getByRole('heading', { name: t.entImport.progress.title }).waitFor()
      await page.reload()
      await page.getByRole('heading', { name: t.entImport.progress.title }).waitFor()
      expect(await page.getByTestId('ent-drop-zone').count()).toBe(0)

      // It ends: both tabs turn to its report by themselves.
      await finish(String(started._id))
      for (const tab of [page, second]) await tab.getByRole('heading', { name: t.entImport.report.title }).waitFor({ timeout: 30_000 })
      // (headless Chromium paints one of two tabs of a context only: the second one goes first)
      await second.close()
      await checkBothWidths(page, `ent-import-running-done-${locale}`)
      // Another import only when asked for, after seeing this one.
      await page.getByRole('button', { name: t.entImport.report.newImport }).click()
      await page.getByTestId('ent-drop-zone').waitFor()
      expect(errors).toEqual([])
      await page.close()
    })

    it(`${locale}: names the wrong file and what is wrong with it, keeps the chosen archive when going back, tells the ENT shares`, async () => {
      await setLocale(locale)
      const { page, errors } = await openPage('/ent-import', t.pages.entImport.title)
      await page.getByTestId('ent-drop-zone').waitFor()
      for (const { file, error } of wrongFiles) {
        await dropArchive(page, file)
        const name = path.basename(file)
        const about = t.entImport.errors.aboutFile.replace('%{name}', name)
        const alert = page.getByRole('alert').filter({ hasText: about })
        await alert.waitFor()
        expect((await alert.innerText()).replace(/\s+/g, ' ')).toBe(`${about} ${t.entImport.errors[error]}`.replace(/\s+/g, ' '))
        if (error === 'not-a-zip' && name.endsWith('.txt')) await checkBothWidths(page, `ent-import-wrong-file-${locale}`)
        if (error === 'truncated') await checkBothWidths(page, `ent-import-damaged-${locale}`)
      }

      await dropArchive(page, sharesArchive)
      await page.getByRole('heading', { name: t.entImport.preview.title }).waitFor()
      const shares = page.getByTestId('ent-preview-shares')
      await shares.waitFor({ timeout: 30_000 })
      const said = ((await shares.textContent()) ?? '').replace(/\s+/g, ' ')
      expect(said).toMatch(locale === 'fr' ? /^\d+ éléments cochés étaient partagés dans l’ENT, avec \d+ personnes? et \d+ groupes?\./ : /^\d+ ticked items were shared in the ENT, with \d+ (person|people) and \d+ groups?\./)
      await page.getByText(t.entImport.preview.shares.again).waitFor()
      await checkBothWidths(page, `ent-import-preview-shares-${locale}`)

      // Back to the picker: the chosen archive is still there, its ticks too.
      await page.getByRole('checkbox', { name: new RegExp(`^${escapeRe(t.entImport.apps.blog)}`) }).uncheck()
      await page.getByRole('button', { name: t.entImport.preview.other }).click()
      const kept = page.getByRole('region', { name: t.entImport.picker.kept.title })
      await kept.getByText(/mes-donnees-ent-2026\.zip/).waitFor()
      await page.getByTestId('ent-drop-zone').waitFor()
      await checkBothWidths(page, `ent-import-kept-${locale}`)
      await kept.getByRole('button', { name: t.entImport.picker.kept.back }).click()
      await page.getByRole('heading', { name: t.entImport.preview.title }).waitFor()
      expect(await page.getByRole('checkbox', { name: new RegExp(`^${escapeRe(t.entImport.apps.blog)}`) }).isChecked()).toBe(false)
      expect(await page.getByRole('checkbox', { name: new RegExp(`^${escapeRe(t.entImport.apps.workspace)}`) }).isChecked()).toBe(true)
      expect(errors).toEqual([])
      await page.close()
    })
  }

  it('en: picks the genuine sample, previews and imports it, then reads the history and its report', async () => {
    await setLocale('en')
    const { page, errors } = await openPage('/ent-import', en.pages.entImport.title)
    await page.getByTestId('ent-drop-zone').waitFor()
    await checkBothWidths(page, 'ent-import-picker-en')
    await page.locator('#ent-archive-input').setInputFiles(REAL_SAMPLE)
    await page.getByText('Bernard Junior').waitFor()
    await page.getByText('real-export-sample.zip').waitFor()
    await checkBothWidths(page, 'ent-import-preview-en')

    // A slow connection (slow enough for the checks below to end before the upload does on a
    // loaded machine): the upload shows its progress, speed and time left, and can be cancelled.
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 30 * 1024 })
    await page.getByRole('button', { name: 'Import 4 applications' }).click()
    await page.getByRole('heading', { name: en.entImport.upload.title }).waitFor()
    await page.getByText(/left$/).waitFor()
    await checkBothWidths(page, 'ent-import-upload-en')
    await page.getByRole('button', { name: en.entImport.upload.cancel }).click()
    await page.getByText(en.entImport.upload.cancelled).waitFor()
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    expect((await alice.instance.dbs.list('io.cozy.mesdonnees.imports')).filter(r => (r.archive as { name?: string })?.name === 'real-export-sample.zip')).toEqual([])

    await page.getByRole('button', { name: 'Import 4 applications' }).click()
    await page.getByRole('heading', { name: en.entImport.report.title }).waitFor({ timeout: 90_000 })
    await page.getByText(/\d+ imported, 0 already there, 0 not selected, 0 failed/).waitFor()
    await checkBothWidths(page, 'ent-import-report-en')

    await page.goto(`${appUrl}#/ent-import/history`)
    await page.getByRole('heading', { level: 1, name: en.entImport.history.title }).waitFor()
    await page.getByRole('link', { name: /real-export-sample\.zip/ }).waitFor()
    await checkBothWidths(page, 'ent-import-history-en')

    await page.goto(`${appUrl}#/share-again`)
    await page.getByTestId('share-counts').waitFor()
    await checkBothWidths(page, 'share-again-list-en')
    expect(errors).toEqual([])
    await page.close()
  })
})
