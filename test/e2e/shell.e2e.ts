import path from 'path'
import { launchBrowser, screenshot, DESKTOP, PHONE, type BrowserSession } from './browser'
import { startShellServer, type ShellServer } from '../../dev-stack/shell-server'
import fr from '../../locales/fr.json'
import en from '../../locales/en.json'

const APP_DIR = path.resolve(__dirname, '../../build/app')

describe('the app shell in Chromium', () => {
  let server: ShellServer
  let session: BrowserSession

  beforeAll(async () => {
    server = await startShellServer({ appDir: APP_DIR })
    session = await launchBrowser()
  })
  afterAll(async () => {
    await session?.close()
    await server?.close()
  })

  it.each([
    ['fr', fr],
    ['en', en]
  ] as const)('loads in %s with the menu and the pages', async (locale, dict) => {
    for (const [viewport, label] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone']
    ] as const) {
      const page = await session.browser.newPage({ viewport })
      const errors: string[] = []
      page.on('pageerror', err => errors.push(err.message))
      await page.goto(`${server.url}?locale=${locale}#/`)
      await page.getByRole('heading', { level: 1, name: dict.home.title }).waitFor()
      expect(await page.getAttribute('html', 'lang')).toBe(locale)
      await screenshot(page, `shell-home-${locale}-${label}`)

      await page.goto(`${server.url}?locale=${locale}#/ent-import`)
      await page.getByRole('heading', { level: 1, name: dict.pages.entImport.title }).waitFor()
      expect(await page.textContent('main')).toContain(dict.pages.entImport.description)
      await screenshot(page, `shell-ent-import-${locale}-${label}`)
      expect(errors).toEqual([])
      await page.close()
    }
  })
})
