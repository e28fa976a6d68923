import { startStack, type RunningStack } from '../index'
import { call, pick } from '../testing/http'
import { writeKonnector, writeWebapp } from '../testing/fixtures'

// Probes of POST /notifications against model/notification/center/notification_center.go
// (Push, makePush, buildMailMessage) and web/notifications/notifications.go (wrapErrors).

jest.setTimeout(30_000)

let stack: RunningStack
let base: string
let domain: string

beforeAll(async () => {
  stack = await startStack()
  base = stack.instances[0].url
  domain = stack.instances[0].domain
  const inst = stack.instances[0]
  await inst.installApp(await writeWebapp({ slug: 'notifier', permissions: {}, notifications: { 'import-finished': { description: 'done', collapsible: true } } }))
  await inst.installApp(await writeWebapp({ slug: 'mute', permissions: {} }))
  await inst.installKonnector(await writeKonnector({ slug: 'konn-notifier', permissions: {}, notifications: { 'sync-done': { description: 'synced' } } }, ''))
  await inst.installKonnector(await writeKonnector({ slug: 'konn-mute', permissions: {} }, ''))
})
afterAll(() => stack.stop())

const post = (token: string, attributes: Record<string, unknown>) => call(base, 'POST', '/notifications', { token, body: { data: { type: 'io.cozy.notifications', attributes } } })
const mailsAfter = (before: number) => stack.outbox.list(domain).slice(before)

describe('POST /notifications', () => {
  it('stores a notification without content_html but mails nothing (buildMailMessage returns nil)', async () => {
    const before = stack.outbox.list(domain).length
    const r = await post(stack.instances[0].tokenFor('notifier'), { category: 'import-finished', title: 'Import terminé', message: '42 fichiers', content: 'texte seul', preferred_channels: ['mobile', 'mail'] })
    expect(r.status).toBe(201)
    expect(pick(r.json, 'data', 'attributes')).toMatchObject({ source_id: 'cozy/app/notifier/import-finished/', originator: 'app', slug: 'notifier', category: 'import-finished', content: 'texte seul' })
    // preferred_channels and at are cleared before the document is saved
    expect(pick(r.json, 'data', 'attributes', 'preferred_channels')).toBeUndefined()
    expect(mailsAfter(before)).toEqual([])
    const stored = await stack.instances[0].instance.dbs.get('io.cozy.notifications', String(pick(r.json, 'data', 'id')))
    expect(stored.title).toBe('Import terminé')
  })

  it('mails a notification with content_html: title as subject, content as text, content_html as HTML', async () => {
    const before = stack.outbox.list(domain).length
    const r = await post(stack.instances[0].tokenFor('notifier'), {
      category: 'import-finished',
      category_id: 'imp1',
      title: 'Import terminé',
      message: '42 fichiers',
      content: 'Voir : https://example.org/r',
      content_html: '<p><a href="https://example.org/r">Voir</a></p>'
    })
    expect(r.status).toBe(201)
    expect(pick(r.json, 'data', 'attributes', 'source_id')).toBe('cozy/app/notifier/import-finished/imp1')
    const mails = mailsAfter(before)
    expect(mails).toHaveLength(1)
    expect(mails[0]).toMatchObject({ to: stack.instances[0].instance.state.email, subject: 'Import terminé', text: 'Voir : https://example.org/r', html: '<p><a href="https://example.org/r">Voir</a></p>', links: ['https://example.org/r'] })
  })

  it('answers a konnector as the stack does: its own categories, 403 without any', async () => {
    const ok = await post(stack.instances[0].tokenFor('konn-notifier'), { category: 'sync-done', title: 'Synchronisé', content_html: '<p>ok</p>' })
    expect(ok.status).toBe(201)
    expect(pick(ok.json, 'data', 'attributes')).toMatchObject({ originator: 'konnector', slug: 'konn-notifier', source_id: 'cozy/konnector/konn-notifier/sync-done/' })
    const other = await post(stack.instances[0].tokenFor('konn-notifier'), { category: 'import-finished', title: 'x' })
    expect(other.status).toBe(403)
    expect(pick(other.json, 'errors', 0, 'detail')).toBe('Notification category does not exist')
    const none = await post(stack.instances[0].tokenFor('konn-mute'), { category: 'sync-done', title: 'x' })
    expect(none.status).toBe(403)
    expect(pick(none.json, 'errors', 0, 'detail')).toBe('No category for this app')
  })

  it('refuses an undeclared category, an app without categories, a missing title and the CLI token', async () => {
    const token = stack.instances[0].tokenFor('notifier')
    expect((await post(token, { category: 'other', title: 'x' })).status).toBe(403)
    expect(pick((await post(stack.instances[0].tokenFor('mute'), { category: 'import-finished', title: 'x' })).json, 'errors', 0, 'detail')).toBe('No category for this app')
    const untitled = await post(token, { category: 'import-finished' })
    expect(untitled.status).toBe(400)
    expect(pick(untitled.json, 'errors', 0, 'detail')).toBe('Notification is not valid')
    const cli = await post(stack.instances[0].cliToken, { category: 'import-finished', title: 'x' })
    expect(cli.status).toBe(403)
    expect(pick(cli.json, 'errors', 0, 'detail')).toBe('Not authorized to send notification')
  })
})
