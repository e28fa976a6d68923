import { startStack, type RunningStack, type StackInstance } from '../../../dev-stack'
import { StackError, toStackError, type StackApi } from '../../../src/stack-client'
import { runExportNotification } from '../../../src/targets/services/run-export-notification'
import { appUrlOf } from '../../../src/targets/services/app-url'
import { buildInstanceQuery, buildKonnectorsQuery, buildWebappQuery, buildWebappsQuery, installedAppsFromDocs, instanceFromDoc, type QuerySpec } from '../../../src/queries/settings'
import { buildExportJobQuery, fetchRunningExportJobs, type ExportJob } from '../../../src/queries/export'
import { waitFor } from '../../../dev-stack/move/testing'
import { appClient, appStackApi, installMesDonnees } from './stack-helpers'
import fr from '../../../locales/fr.json'

/**
 * The webapp's stack client against the local stand-in: real HTTP on 127.0.0.1, the app
 * token of the real manifest, the stand-in's permission checks.
 */
describe('stack client through the stand-in', () => {
  let stack: RunningStack
  let alice: StackInstance
  let api: StackApi

  beforeAll(async () => {
    stack = await startStack({ quota: 5 * 1024 ** 3 })
    alice = stack.instances[0]
    await installMesDonnees(alice)
    api = appStackApi(alice)
  })
  afterAll(async () => {
    await stack?.stop()
  })

  it('reads the instance settings and the disk usage', async () => {
    const { definition, options } = buildInstanceQuery()
    const instance = instanceFromDoc(((await appClient(alice).query(definition, options)) as { data: unknown }).data)
    expect(instance.email).toMatch(/@/)
    expect(instance.movedTo).toBeUndefined()
    const usage = await api.settings.getDiskUsage()
    expect(usage.quota).toBe(5 * 1024 ** 3)
    expect(usage.used).toBeGreaterThanOrEqual(0)
  })

  it('lists the installed apps with the doctypes of their manifests', async () => {
    // The queries the pages run, through AppCollection and KonnectorCollection.
    const client = appClient(alice)
    const read = async (spec: QuerySpec) => ((await client.query(spec.definition, spec.options).catch((err: unknown) => Promise.reject(toStackError(err)))) as { data: unknown }).data
    const self = installedAppsFromDocs(await read(buildWebappsQuery()), 'webapp').find(app => app.slug === 'mes-donnees')
    expect(self?.permissionTypes).toEqual(expect.arrayContaining(['io.cozy.exports', 'io.cozy.mesdonnees.imports']))
    expect(self?.url).toBe(alice.appUrl('mes-donnees'))
    expect(installedAppsFromDocs(await read(buildKonnectorsQuery()), 'konnector')).toEqual([])
    // Settings is not installed here: the delete page says so.
    await expect(read(buildWebappQuery('settings'))).rejects.toMatchObject({ status: 404, translationKey: 'stackErrors.notFound' })
    // The services find the app's own address the same way, and the Cozy's for a missing app.
    expect(await appUrlOf(client, 'mes-donnees', 'fallback')).toBe(alice.appUrl('mes-donnees'))
    expect(await appUrlOf(client, 'settings', 'fallback')).toBe('fallback')
  })

  it('follows an export through its job with the manifest\'s permission, as the export page does', async () => {
    const client = appClient(alice)
    // Nothing running yet: the export worker's queue is open to the app, and empty.
    expect(await fetchRunningExportJobs(client)).toEqual([])
    await api.exports.request({ withDoctypes: ['io.cozy.contacts'] })
    const job = await waitFor('the export job to end', async () => {
      const [ended] = (await alice.instance.jobs.jobsOf({ worker: 'export' })).filter(j => j.state === 'done' || j.state === 'errored')
      if (!ended) return undefined
      const spec = buildExportJobQuery(ended._id)
      const result = (await client.query(spec.definition(), spec.options)) as { data: ExportJob }
      return result.data
    })
    expect(job).toMatchObject({ worker: 'export', state: 'done' })
    expect(Date.parse(job.started_at ?? '')).toBeGreaterThan(0)
  })

  it('runs the export-notification service against the stand-in: the notification reaches the outbox', async () => {
    const before = stack.outbox.list(alice.domain).length
    const outcome = await runExportNotification({
      COZY_URL: alice.url,
      COZY_CREDENTIALS: alice.tokenFor('mes-donnees'),
      COZY_COUCH_DOC: JSON.stringify({ _id: 'exp1', state: 'done', parts_cursors: [], domain: alice.domain }),
      COZY_LOCALE: 'fr'
    })
    expect(outcome).toBe('sent-ready')
    const mails = stack.outbox.list(alice.domain).slice(before)
    expect(mails.map(m => m.subject)).toEqual([fr.exportNotification.readyTitle])
  })

  it('keeps the other workers\' queues closed to the app', async () => {
    const client = appClient(alice)
    const sendmail = client.collection('io.cozy.jobs') as unknown as { queued(worker: string): Promise<unknown> }
    await expect(sendmail.queued('sendmail')).rejects.toMatchObject({ status: 403 })
  })

  it('maps a refusal of the stand-in to a StackError with its translation key', async () => {
    const err = await api.notifications.create({ category: 'not-declared', title: 't', message: 'm' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StackError)
    expect(err).toMatchObject({ status: 403, translationKey: 'stackErrors.forbidden' })
  })
})
