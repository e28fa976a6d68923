import AxeBuilder from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
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

/** axe's serious and critical violations on the page, one readable line each (empty: none). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => `${n.target.join(' ')} ${n.html.slice(0, 120)} ${n.failureSummary ?? ''}`).join('; ')})`)
}

/**
 * The app shell scrolls inside its main area, so a "full page" screenshot would stop at the
 * viewport: grow the viewport to the content's height for the picture, then restore it.
 */
export async function fullScreenshot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize() ?? DESKTOP
  const contentHeight = await page.evaluate(() => {
    let tallest = document.documentElement.scrollHeight
    for (const el of Array.from(document.querySelectorAll('main, main *'))) {
      const style = getComputedStyle(el)
      if (/(auto|scroll)/.test(style.overflowY)) tallest = Math.max(tallest, el.scrollHeight + el.getBoundingClientRect().top)
    }
    return tallest
  })
  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(viewport.height, Math.ceil(contentHeight) + 80), 6000) })
  await screenshot(page, name)
  await page.setViewportSize(viewport)
}

/** A browser context whose cookies hold a session on a stand-in instance (one-time login link). */
export async function loggedInContext(browser: Browser, loginUrl: string): Promise<BrowserContext> {
  const context = await browser.newContext()
  const login = await context.newPage()
  await login.goto(loginUrl)
  await login.close()
  return context
}

export interface TitleFit {
  text: string
  /** Why the title does not show whole, one line per clipped element (empty: it does). */
  cuts: string[]
}

/**
 * Whether a dialog's title shows whole: neither it nor anything inside it is wider or taller
 * than its box where its overflow is hidden (an ellipsis, a clipped line), as checked by
 * scrollWidth <= clientWidth, and it stays inside the viewport.
 */
export async function titleFit(title: Locator): Promise<TitleFit> {
  return title.evaluate(el => {
    const cuts: string[] = []
    for (const node of [el, ...Array.from(el.querySelectorAll('*'))]) {
      const style = getComputedStyle(node)
      const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none'
      if (node.scrollWidth > node.clientWidth + 1 && clips) cuts.push(`${node.tagName}: scrollWidth ${node.scrollWidth} > clientWidth ${node.clientWidth}`)
      if (node.scrollHeight > node.clientHeight + 1 && style.overflowY !== 'visible') cuts.push(`${node.tagName}: scrollHeight ${node.scrollHeight} > clientHeight ${node.clientHeight}`)
    }
    const box = el.getBoundingClientRect()
    if (box.left < 0 || box.right > document.documentElement.clientWidth + 1) cuts.push(`outside the viewport: ${box.left}–${box.right}`)
    return { text: el.textContent ?? '', cuts }
  })
}
