import { promises as fs } from 'fs'
import os from 'os'
import path from 'path'
import { startStack } from './index'
import { call, pick } from './testing/http'
import { writeWebapp } from './testing/fixtures'

// starting stacks (PouchDB, servers) takes a while on a loaded 2-core CI machine
jest.setTimeout(30_000)

describe('startStack', () => {
  it('keeps instances, documents, files, triggers and apps across a restart', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stack-persist-'))
    try {
      const first = await startStack({ dataDir })
      const app = await writeWebapp({ slug: 'keeper', permissions: { c: { type: 'io.cozy.contacts' } } })
      await first.instances[0].installApp(app)
      const created = await call(first.instances[0].url, 'POST', '/data/io.cozy.contacts/', { token: first.instances[0].cliToken, body: { fullname: 'Kept' } })
      const id = String(pick(created.json, 'id'))
      const cli = first.instances[0].cliToken
      const upload = await call(first.instances[0].url, 'POST', '/files/?Type=file&Name=kept.txt', { token: cli, raw: 'still here', headers: { 'Content-Type': 'text/plain' } })
      const fileId = String(pick(upload.json, 'data', 'id'))
      const trigger = await call(first.instances[0].url, 'POST', '/jobs/triggers', {
        token: cli,
        body: { data: { attributes: { type: '@cron', arguments: '0 0 3 * * 1', worker: 'konnector', message: { konnector: 'none' } } } }
      })
      const triggerId = String(pick(trigger.json, 'data', 'id'))
      await first.stop()
      await expect(fs.access(dataDir)).resolves.toBeUndefined()

      const second = await startStack({ dataDir })
      try {
        const alice = second.instances[0]
        expect(alice.name).toBe('alice')
        const got = await call(alice.url, 'GET', `/data/io.cozy.contacts/${id}`, { token: alice.tokenFor('keeper') })
        expect(got.status).toBe(200)
        expect(pick(got.json, 'fullname')).toBe('Kept')
        expect(alice.appUrl('keeper')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
        const content = await call(alice.url, 'GET', `/files/download/${fileId}`, { token: alice.cliToken })
        expect(content.text).toBe('still here')
        const triggers = await call(alice.url, 'GET', '/jobs/triggers', { token: alice.cliToken })
        expect((pick(triggers.json, 'data') as unknown[]).map(t => pick(t, 'id'))).toContain(triggerId)
      } finally {
        await second.stop()
      }
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true })
    }
  })

  it('serves a webapp on its own origin, behind the login page, with the template filled in', async () => {
    const stack = await startStack({ passphrase: 'secret words' })
    try {
      const alice = stack.instances[0]
      await alice.installApp(await writeWebapp({ slug: 'viewer', permissions: {} }))
      const appUrl = alice.appUrl('viewer')
      expect(new URL(appUrl).port).not.toBe(new URL(alice.url).port)

      const root = await fetch(alice.url, { redirect: 'manual' })
      expect(root.status).toBe(302)
      expect(root.headers.get('location')).toBe(`/auth/login?redirect=${encodeURIComponent(appUrl)}`)
      const anonymous = await fetch(appUrl, { redirect: 'manual' })
      expect(anonymous.status).toBe(302)
      expect(anonymous.headers.get('location')).toBe(`${alice.url}auth/login?redirect=${encodeURIComponent(appUrl)}`)

      const wrong = await call(alice.url, 'POST', '/auth/login', { raw: 'passphrase=nope', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' } })
      expect(wrong.status).toBe(401)
      expect(wrong.headers.get('set-cookie')).toBeNull()

      const login = await call(alice.url, 'POST', '/auth/login', {
        raw: `passphrase=${encodeURIComponent('secret words')}&redirect=${encodeURIComponent(appUrl)}`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' }
      })
      expect(login.status).toBe(303)
      expect(login.headers.get('location')).toBe(appUrl)
      const cookie = String(login.headers.get('set-cookie')).split(';')[0]
      expect(cookie).toMatch(/^cozysessid-alice=[0-9a-f]{32}$/)

      const page = await fetch(appUrl, { headers: { Cookie: cookie } })
      expect(page.status).toBe(200)
      const html = await page.text()
      const data = JSON.parse(html.match(/data-cozy="([^"]*)"/)![1].replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as { domain: string; token: string }
      expect(data.domain).toBe(alice.domain)
      const apps = await call(alice.url, 'GET', '/apps/viewer', { token: data.token, headers: { Cookie: cookie } })
      // an app may read its own io.cozy.apps document only when its manifest says so
      expect(apps.status).toBe(403)

      const traversal = await fetch(appUrl + '..%2f..%2fmanifest.webapp', { headers: { Cookie: cookie } })
      expect(traversal.status).toBe(404)
    } finally {
      await stack.stop()
    }
  })

  it('logs a browser in with a one-time magic link', async () => {
    const stack = await startStack()
    try {
      const alice = stack.instances[0]
      const link = alice.loginUrl(alice.url)
      const first = await fetch(link, { redirect: 'manual' })
      expect(first.status).toBe(303)
      expect(first.headers.get('set-cookie')).toMatch(/^cozysessid-alice=/)
      const again = await fetch(link, { redirect: 'manual' })
      expect(again.status).toBe(400)
    } finally {
      await stack.stop()
    }
  })
})

describe('session-bound app tokens', () => {
  it('accepts the index.html token only with the session cookie, as the stack does', async () => {
    const stack = await startStack()
    try {
      const alice = stack.instances[0]
      await alice.installApp(await writeWebapp({ slug: 'bound', permissions: { c: { type: 'io.cozy.contacts', verbs: ['GET'] } } }))
      const cookie = await alice.sessionCookie()
      const html = await (await fetch(alice.appUrl('bound'), { headers: { Cookie: cookie } })).text()
      const data = JSON.parse(html.match(/data-cozy="([^"]*)"/)![1].replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as { token: string }
      const withCookie = await call(alice.url, 'GET', '/data/io.cozy.contacts/_all_docs', { token: data.token, headers: { Cookie: cookie } })
      expect(withCookie.status).toBe(404) // accepted: the database does not exist yet
      const without = await call(alice.url, 'GET', '/data/io.cozy.contacts/_all_docs', { token: data.token })
      expect(without.status).toBe(400)
      expect(pick(without.json, 'error')).toBe('code=400, message=Invalid JWT token')
      const logout = await call(alice.url, 'DELETE', '/auth/login', { headers: { Cookie: cookie } })
      expect(logout.status).toBe(204)
      const afterLogout = await call(alice.url, 'GET', '/data/io.cozy.contacts/_all_docs', { token: data.token, headers: { Cookie: cookie } })
      expect(afterLogout.status).toBe(400)
      // tokens made for tests and konnectors carry no session
      expect((await call(alice.url, 'GET', '/data/io.cozy.contacts/_all_docs', { token: alice.tokenFor('bound') })).status).toBe(404)
    } finally {
      await stack.stop()
    }
  })
})
