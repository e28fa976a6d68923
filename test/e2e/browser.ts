import { chromium, type Browser, type Page } from 'playwright-core'
import { existsSync, mkdirSync } from 'fs'
import path from 'path'

export const SCREENSHOT_DIR = path.resolve(__dirname, 'screenshots')
export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface BrowserSession {
  browser: Browser
  close(): Promise<void>
}

/**
 * Launches Debian's Chromium with the flags this closed network needs; playwright gives
 * each launch a fresh temporary profile of its own.
 */
export async function launchBrowser(): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run "apt-get install -y chromium" (see README, "Browser tests").`)
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
  return {
    browser,
    close: () => browser.close()
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}
