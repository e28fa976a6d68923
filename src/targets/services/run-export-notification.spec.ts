import http from 'http'
import type { AddressInfo } from 'net'
import { runExportNotification } from './run-export-notification'
import { exportNotificationFor, exportPageUrl, interpolate } from './export-notification-message'
import { exportDocFromCouch } from '../../stack-client'
import fr from '../../../locales/fr.json'
import en from '../../../locales/en.json'

/** A server on 127.0.0.1 answering the two routes the service calls, as the stack does. */
async function startStackDouble(appStatus = 200) {
  const requests: Array<{ method: string; url: string; authorization?: string; body: unknown }> = []
  const server = http.createServer((req, res) => {
    const chunks: Uint8Array[] = []
    req.on('data', (c: Uint8Array) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body: raw ? JSON.parse(raw) : undefined })
      res.setHeader('Content-Type', 'application/vnd.api+json')
      if (req.url === '/apps/mes-donnees' && appStatus === 200) {
        res.end(JSON.stringify({ data: { type: 'io.cozy.apps', id: 'io.cozy.apps/mes-donnees', attributes: { slug: 'mes-donnees' }, links: { related: 'https://alice-mesdonnees.example/' } } }))
      } else if (req.url === '/notifications' && req.method === 'POST') {
        res.statusCode = 201
        res.end(JSON.stringify({ data: { type: 'io.cozy.notifications', id: 'n1', attributes: {} } }))
      } else {
        res.statusCode = appStatus === 200 ? 404 : appStatus
        res.end(JSON.stringify({ errors: [{ status: String(res.statusCode), detail: 'not here' }] }))
      }
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, requests, close: () => new Promise<void>(resolve => server.close(() => resolve())) }
}

const doneDoc = { _id: 'e1', domain: 'alice.example', state: 'done', parts_cursors: [], created_at: '2026-11-21T10:00:00Z' }

describe('export-notification service', () => {
  it('sends a "ready" notification with the link to the export page', async () => {
    const stack = await startStackDouble()
    try {
      const outcome = await runExportNotification({
        COZY_URL: stack.url,
        COZY_CREDENTIALS: 'service-token',
        COZY_COUCH_DOC: JSON.stringify(doneDoc),
        COZY_LOCALE: 'fr'
      })
      expect(outcome).toBe('sent-ready')
      const posted = stack.requests.find(r => r.url === '/notifications')
      expect(posted?.authorization).toBe('Bearer service-token')
      expect(posted?.body).toEqual({
        data: {
          type: 'io.cozy.notifications',
          attributes: {
            category: 'export-ready',
            title: fr.exportNotification.readyTitle,
            message: fr.exportNotification.readyMessage,
            content: `${fr.exportNotification.readyMessage}\n\n${fr.exportNotification.open}: https://alice-mesdonnees.example/#/export`,
            content_html: `<p>${fr.exportNotification.readyMessage}</p><p><a href="https://alice-mesdonnees.example/#/export">${fr.exportNotification.open}</a></p>`,
            preferred_channels: ['mobile', 'mail'],
            data: { redirectLink: 'mes-donnees/#/export' }
          }
        }
      })
    } finally {
      await stack.close()
    }
  })

  it('sends nothing while the export is being prepared', async () => {
    const stack = await startStackDouble()
    try {
      const outcome = await runExportNotification({
        COZY_URL: stack.url,
        COZY_CREDENTIALS: 't',
        COZY_COUCH_DOC: JSON.stringify({ ...doneDoc, state: 'exporting' })
      })
      expect(outcome).toBe('still-exporting')
      expect(stack.requests).toEqual([])
    } finally {
      await stack.close()
    }
  })

  it('sends a "failed" notification in English, and fails loudly if the stack refuses', async () => {
    const stack = await startStackDouble()
    try {
      const outcome = await runExportNotification({
        COZY_URL: stack.url,
        COZY_CREDENTIALS: 't',
        COZY_COUCH_DOC: JSON.stringify({ ...doneDoc, state: 'error', error: 'export: an archive is already being created' }),
        COZY_LOCALE: 'en'
      })
      expect(outcome).toBe('sent-failed')
      expect(stack.requests.find(r => r.url === '/notifications')?.body).toMatchObject({
        data: { attributes: { category: 'export-failed', title: en.exportNotification.failedTitle, message: en.exportNotification.alreadyRunningMessage } }
      })
    } finally {
      await stack.close()
    }
    const refusing = await startStackDouble(403)
    try {
      await expect(
        runExportNotification({ COZY_URL: refusing.url, COZY_CREDENTIALS: 't', COZY_COUCH_DOC: JSON.stringify(doneDoc) })
      ).rejects.toMatchObject({ status: 403, translationKey: 'stackErrors.forbidden' })
    } finally {
      await refusing.close()
    }
  })

  it('refuses to run without the stack environment', async () => {
    await expect(runExportNotification({})).rejects.toThrow(/COZY_URL/)
  })

  it('escapes what goes into the mail HTML and builds the page link', () => {
    expect(interpolate('a %{x} b %{y}', { x: '1' })).toBe('a 1 b %{y}')
    expect(exportPageUrl('https://settings.alice.example')).toBe('https://settings.alice.example/#/export')
    const n = exportNotificationFor(exportDocFromCouch({ ...doneDoc, state: 'error', error: 'x' }), 'en', 'https://a.example/"><script>', 'mes-donnees')
    expect(n?.contentHtml).not.toContain('<script>')
    expect(n?.contentHtml).toContain('&quot;&gt;&lt;script&gt;')
  })
})
