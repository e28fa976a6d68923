/**
 * The konnector started from Home: the stack runs it with the account Home made and no archive
 * (worker/exec/konnector.go passes COZY_FIELDS as the job message). It imports what waits in the
 * watched folder; with nothing there it ends well and sends the user to the app by a
 * notification, delivered as the stack delivers them (mailed because it has content_html).
 */
import { writeWebapp } from '../../../dev-stack/testing/fixtures'
import { StackClient } from '../../../src/import/stack/client'
import { IMPORTS_DOCTYPE } from '../../../src/import/records'
import { startImportStack, waitFor, type ImportStack } from '../import/helpers'
import fr from '../../../locales/fr.json'

jest.setTimeout(120_000)

describe('the konnector started from Home without an archive', () => {
  let env: ImportStack
  const log: string[] = []

  beforeAll(async () => {
    env = await startImportStack({ instances: 1 }, log)
    await env.stack.instances[0].installApp(await writeWebapp({ slug: 'mes-donnees', permissions: {} }))
  })
  afterAll(() => env?.stop())

  it('ends done, imports nothing, and notifies the user with a link to the app’s import page', async () => {
    const alice = env.stack.instances[0]
    const admin = new StackClient(alice.url, alice.cliToken)
    // Home creates the account (no credentials: the manifest has no fields), then queues the job.
    const account = await admin.createDocWithId('io.cozy.accounts', 'home-account', { account_type: 'ent-import', auth: {} })
    const job = await admin.queueJob('konnector', { konnector: 'ent-import', account: account._id, folder_to_save: 'io.cozy.files.root-dir' })
    const ended = await waitFor(
      'the job to end',
      async () => {
        const doc = await alice.instance.jobs.getJob(job.id)
        return doc && (doc.state === 'done' || doc.state === 'errored') ? doc : null
      },
      60_000,
      100
    )
    expect({ state: ended.state, error: ended.error ?? null }).toEqual({ state: 'done', error: null })
    expect(await admin.allDocs(IMPORTS_DOCTYPE).catch(() => [])).toEqual([])

    const notifications = (await alice.instance.dbs.list('io.cozy.notifications')) as Array<Record<string, unknown>>
    expect(notifications).toHaveLength(1)
    const appPage = `${alice.appUrl('mes-donnees').replace(/\/?$/, '/')}#/ent-import`
    expect(notifications[0]).toMatchObject({ category: 'no-archive', title: fr.konnectorNoArchive.title, message: fr.konnectorNoArchive.message })
    expect(String(notifications[0].content_html)).toContain(`href="${appPage}"`)
    const mails = await waitFor('the notification mail', async () => {
      const found = env.stack.outbox.list().filter(m => m.subject === fr.konnectorNoArchive.title)
      return found.length > 0 ? found : null
    }, 20_000, 100)
    expect(mails[0].html ?? '').toContain(appPage)
  })
})
