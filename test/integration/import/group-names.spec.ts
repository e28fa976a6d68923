/**
 * Group names on pending shares: the shares only carry `groupId`, but the mails' `displayNames`
 * entries (`id$displayName$name$groupDisplayName`, entcore conversation) name the groups. The
 * blogs are imported before the mails, so their pending shares must still get the
 * name the archive gives.
 */
import path from 'path'
import { writeEntArchive } from '../../fixtures/ent-archive'
import { temporaryDirectory } from '../../fixtures/paths'
import { runImport } from '../../../src/import/engine'
import { PENDING_SHARES_DOCTYPE, type PendingShare } from '../../../src/import/records'
import { allDocs, startImportStack, type ImportStack } from './helpers'

jest.setTimeout(60_000)

const GROUP = '474-1429810567870'

describe('group names on pending shares', () => {
  const tmp = temporaryDirectory('ent-group-names-')
  let env: ImportStack

  beforeAll(async () => {
    env = await startImportStack({}, undefined, false)
  })
  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  async function groupRecipients(importId: string, exportMs: number, groupName?: string) {
    const archive = path.join(tmp.dir, `${importId}.zip`)
    await writeEntArchive(archive, { apps: ['workspace', 'blog', 'conversation'], workspaceFiles: 6, exportMs, groupName })
    const outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId })
    expect(outcome.state).toBe('done')
    const shares = ((await allDocs(env.url, env.cliToken, PENDING_SHARES_DOCTYPE)) as unknown as PendingShare[]).filter(s => s.importId === importId)
    return shares.flatMap(s => s.recipients.filter(r => r.kind === 'group' && r.entId === GROUP).map(r => ({ app: s.provenance.app, nameHint: r.nameHint })))
  }

  it('stores the name a mail gives the group on the shares of every app', async () => {
    const recipients = await groupRecipients('named', 1775058630583, 'CM2 B — Mme Leroy')
    expect(recipients.length).toBeGreaterThan(0)
    expect(new Set(recipients.map(r => r.app))).toEqual(new Set(['blog']))
    expect(recipients.every(r => r.nameHint === 'CM2 B — Mme Leroy')).toBe(true)
  })

  it('leaves the name empty when the archive has none', async () => {
    const recipients = await groupRecipients('unnamed', 1775145030583)
    expect(recipients.length).toBeGreaterThan(0)
    expect(recipients.every(r => r.nameHint === null)).toBe(true)
  })
})
