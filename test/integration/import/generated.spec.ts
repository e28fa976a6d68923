/**
 * Generated archives with every ENT application, imported with the konnector's permissions:
 * what each application becomes, pending shares, hostile HTML, the checks made before
 * writing anything (quota, selection, readability), and a second run that adds nothing.
 */
import { promises as fs } from 'fs'
import path from 'path'
import { ALL_FIXTURE_APPS, writeEntArchive, type EntFixtureSummary } from '../../fixtures/ent-archive'
import { temporaryDirectory } from '../../fixtures/paths'
import { ImportError, runImport, type ImportOutcome } from '../../../src/import/engine'
import { PENDING_SHARES_DOCTYPE, type PendingShare } from '../../../src/import/records'
import { allDocs, downloadText, snapshotTree, startImportStack, type ImportStack } from './helpers'
import { markdownDangers } from '../../fixtures/markdown-safety'

jest.setTimeout(60_000)

const HOSTILE = [
  '<p>Avant<script>alert(1)</script><img src=x onerror="alert(2)">',
  '<a href="javascript:alert(3)">clic</a> <a href="JaVaScRiPt:alert(5)">deux</a>',
  '<iframe src="https://evil.example/"></iframe><svg onload="alert(4)"><circle/></svg>',
  '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==" alt="data">',
  '<style>body{background:url(javascript:alert(8))}</style><object data="evil.swf"></object>',
  '<div onclick="alert(6)" style="x:expression(alert(9))">Après <a href="https://ent.example/ok">lien sûr</a></div></p>'
].join('')

/** Inputs that came back as links, images or raw HTML once a CommonMark reader read the note. */
const MARKDOWN_BREAKERS = [
  '<p><img src="https://ent.example/a.png?x=1)(javascript:alert(1)" alt="x"></p>',
  '<p><a href="https://ent.example/x)[y](javascript:alert(2)">lien</a> <a href="https://ent.example/" title="a&quot; onclick=&quot;x">t</a></p>',
  '<p>&lt;img src=x onerror=alert(4)&gt; &lt;javascript:alert(6)&gt; [clic](javascript:alert(7)) ![i](javascript:alert(8)) &amp;lt;b&amp;gt;</p>'
]

function expectHarmless(markdown: string): void {
  expect(markdown).toContain('Avant')
  expect(markdown).toContain('Après')
  expect(markdown).toContain('[lien sûr](https://ent.example/ok)')
  for (const bad of [/<script/i, /javascript:/i, /onerror/i, /onload/i, /onclick/i, /<iframe/i, /data:text/i, /expression\(/i, /<object/i, /<svg/i, /alert\(/i]) expect(markdown).not.toMatch(bad)
}

describe('importing generated ENT archives', () => {
  const tmp = temporaryDirectory('ent-import-gen-')
  let env: ImportStack
  let fixture: EntFixtureSummary
  let outcome: ImportOutcome

  beforeAll(async () => {
    fixture = await writeEntArchive(path.join(tmp.dir, 'all.zip'), { apps: ALL_FIXTURE_APPS })
    env = await startImportStack({}, undefined, false)
    outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: fixture.path }, importId: 'all-apps' })
  })

  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('imports every application with no failure', () => {
    expect(outcome.state).toBe('done')
    expect(outcome.report.errors).toEqual([])
    const imported = Object.fromEntries(outcome.report.apps.map(a => [a.app, a.imported]))
    expect(Object.keys(imported).sort()).toEqual(fixture.apps.map(a => a.app).sort())
    for (const app of fixture.apps) if (app.resources > 0) expect(imported[app.app]).toBeGreaterThan(0)
  })

  it('writes each application where the mapping says, in its own folder', async () => {
    const tree = await snapshotTree(env.admin, '/Mes données ENT/2026-04-01')
    const files = tree.filter(e => e.type === 'file').map(e => e.path)
    const count = (re: RegExp): number => files.filter(p => re.test(p)).length
    // Workspace: the folder tree with category folders, the trash left out.
    expect(files).toContain('/Espace documentaire/Dossier 0 – année/Dossier 1 – année/Fichier 6.txt')
    // Fichier 7 is the user's own shared file (in their tree), Fichier 8 someone else's.
    expect(files).toContain('/Espace documentaire/Fichier 7.txt')
    expect(files).toContain('/Espace documentaire/Partagés avec moi/Fichier 8.txt')
    expect(count(/^\/Espace documentaire\/Corbeille/)).toBe(0)
    // Two files with the same name in one folder keep both.
    expect(files).toEqual(expect.arrayContaining(['/Espace documentaire/photo.2023.jpg', '/Espace documentaire/photo.2023 (2).jpg']))
    // Notes: one per post, page, subject, card, wall note, pad, timeline event, exercise.
    expect(count(/^\/Blog\/Blog d’été \d\/Billet .*\.cozy-note$/)).toBe(4)
    expect(count(/^\/Cours et Wiki\/.*\.cozy-note$/)).toBe(4)
    expect(count(/^\/Actualités\/Actu 1\/Actu \d\.cozy-note$/)).toBe(2)
    expect(count(/^\/Forum\/Catégorie \d\/Sujet \d\.cozy-note$/)).toBe(2)
    expect(count(/^\/Mur collaboratif\/.*\.cozy-note$/)).toBe(2)
    expect(count(/^\/Frise chronologique\/.*\.cozy-note$/)).toBe(4)
    expect(count(/^\/Magneto\/.*\.cozy-note$/)).toBe(2)
    expect(count(/^\/Pad\/Pad \d\.cozy-note$/)).toBe(2)
    expect(count(/^\/Exercices\/.*\.cozy-note$/)).toBe(2)
    expect(count(/^\/Pages\/Site \d\/.*\.cozy-note$/)).toBe(4)
    expect(count(/^\/Communautés\/Site \d\/.*\.cozy-note$/)).toBe(4)
    expect(count(/^\/Cahier multimédia\/Cahier \d\/Page 1\.cozy-note$/)).toBe(2)
    // Images beside the notes that use them.
    expect(files).toEqual(expect.arrayContaining(['/Blog/Blog d’été 0/image 0-0.jpeg', '/Cours et Wiki/Wiki n°0/schéma 0.png']))
    // Agenda: one .ics per calendar; mind maps; mails in their folders; rack; raw JSON.
    expect(files.filter(p => p.startsWith('/Agenda/'))).toEqual(['/Agenda/Agenda 0.ics', '/Agenda/Agenda 1.ics'])
    expect(files.filter(p => p.startsWith('/Carte mentale/'))).toEqual(['/Carte mentale/Carte 0.mm', '/Carte mentale/Carte 0.wisemapping.xml', '/Carte mentale/Carte 1.mm', '/Carte mentale/Carte 1.wisemapping.xml'])
    expect(files.filter(p => p.endsWith('.eml'))).toEqual(['/Messagerie/Boîte de réception/2026-04-01 Sortie n°1.eml', '/Messagerie/Classe/2026-04-01 Sortie n°0.eml'])
    expect(files.filter(p => p.startsWith('/Casier/'))).toEqual(['/Casier/Devoir rendu 0.pdf', '/Casier/Devoir rendu 1.pdf'])
    expect(files.filter(p => p.startsWith('/Cahier de textes/'))).toEqual(['/Cahier de textes/Cahier de textes 0.json', '/Cahier de textes/Cahier de textes 1.json'])
  })

  it('links a note to the images beside it', async () => {
    const note = await env.admin.statByPath('/Mes données ENT/2026-04-01/Blog/Blog d’été 0/Billet 0-0.cozy-note')
    const markdown = await downloadText(env.admin, String(note?._id))
    expect(markdown).toContain('![](image%200-0.jpeg)')
  })

  it('writes a readable .eml with its headers, a FreeMind map and an iCalendar file', async () => {
    const mail = await env.admin.statByPath('/Mes données ENT/2026-04-01/Messagerie/Classe/2026-04-01 Sortie n°0.eml')
    const eml = await downloadText(env.admin, String(mail?._id))
    expect(eml).toMatch(/^Subject: Sortie =\?UTF-8\?Q\?n=C2=B0\?= ?0|^Subject: =\?UTF-8\?/m)
    expect(eml).toMatch(/^From: .*@ent\.invalid>/m)
    expect(eml).toContain('Bonjour')
    const map = await env.admin.statByPath('/Mes données ENT/2026-04-01/Carte mentale/Carte 0.mm')
    expect(await downloadText(env.admin, String(map?._id))).toMatch(/<map[\s>]/)
    const ics = await env.admin.statByPath('/Mes données ENT/2026-04-01/Agenda/Agenda 0.ics')
    const text = await downloadText(env.admin, String(ics?._id))
    expect(text).toMatch(/^BEGIN:VCALENDAR/)
    expect(text.match(/BEGIN:VEVENT/g)?.length).toBeGreaterThan(0)
  })

  it('creates one io.cozy.calendar.events document per event, with its provenance', async () => {
    const events = await allDocs(env.url, env.cliToken, 'io.cozy.calendar.events')
    expect(events).toHaveLength(4)
    for (const event of events) {
      expect(event).toMatchObject({ mesdonnees: { app: 'calendar', exportId: fixture.exportId, importId: 'all-apps' } })
      expect(typeof event.start).toBe('string')
    }
  })

  it('keeps one pending share per shared resource, pointing at what it became', async () => {
    const shares = (await allDocs(env.url, env.cliToken, PENDING_SHARES_DOCTYPE)) as unknown as PendingShare[]
    expect(shares.length).toBe(outcome.report.pendingShares)
    expect(shares.length).toBeGreaterThan(0)
    const apps = new Set(shares.map(s => s.provenance.app))
    for (const app of fixture.apps.filter(a => a.shares > 0)) expect(apps).toContain(app.app)
    for (const share of shares) {
      expect(share.state).toBe('pending')
      expect(share.recipients.length).toBeGreaterThan(0)
      if (share.cozy.doctype === 'io.cozy.files') {
        const target = await env.admin.statById(share.cozy.id)
        expect((target?.metadata?.mesdonnees as { key?: string }).key).toBe(share.provenance.key)
      }
    }
    const blog = shares.find(s => s.provenance.app === 'blog')
    expect(blog?.cozy.type).toBe('directory')
    expect(blog?.recipients.map(r => r.kind).sort()).toEqual(['group', 'user'])
  })

  it('adds nothing when run again after losing its checkpoint (every item found by its key)', async () => {
    const before = await snapshotTree(env.admin, '/Mes données ENT')
    const record = await env.admin.getDoc<{ _id: string; _rev: string; state: string; checkpoint?: unknown }>('io.cozy.mesdonnees.imports', 'all-apps')
    // As if the process had died right after creating the import folder.
    await env.admin.updateDoc('io.cozy.mesdonnees.imports', { ...(record as { _id: string; _rev: string }), state: 'failed', checkpoint: null, apps: [] })
    const again = await runImport({ client: env.konnector, archive: { kind: 'file', path: fixture.path }, importId: 'all-apps' })
    expect(again.state).toBe('done')
    expect(again.report.apps.reduce((n, a) => n + a.imported, 0)).toBe(0)
    expect(again.report.apps.map(a => [a.app, a.skipped])).toEqual(outcome.report.apps.map(a => [a.app, a.imported]))
    expect(await snapshotTree(env.admin, '/Mes données ENT')).toEqual(before)
    expect(await allDocs(env.url, env.cliToken, 'io.cozy.calendar.events')).toHaveLength(4)
  })
})

describe('hostile HTML in blog, wiki and news', () => {
  const tmp = temporaryDirectory('ent-import-xss-')
  let env: ImportStack

  beforeAll(async () => {
    env = await startImportStack({}, undefined, false)
  })

  afterAll(async () => {
    await env?.stop()
    tmp.remove()
  })

  it('never writes a script, an event handler or a javascript: link into a note', async () => {
    const blogId = '0b1e4a52-1111-4111-8111-000000000001'
    const archive = path.join(tmp.dir, 'xss.zip')
    await writeEntArchive(archive, {
      apps: ['blog', 'wiki'],
      extra: async (zip, top) => {
        const json = (v: unknown): string => JSON.stringify(v)
        await zip.file(`${top}/Blog/blog_Piège`, json({ _id: blogId, title: 'blog_Piège', description: HOSTILE, author: { userId: 'u1', username: 'Eve' }, shared: [] }))
        await zip.file(`${top}/Blog/post_CommonMark`, json({ _id: '0b1e4a52-5555-4555-8555-000000000005', title: 'post_CommonMark <img src=x onerror=alert(1)>](javascript:alert(2))', content: MARKDOWN_BREAKERS.join(''), state: 'PUBLISHED', author: { userId: 'u1', username: 'Eve <b>' }, blog: { $ref: 'blogs', $id: blogId } }))
        await zip.file(`${top}/Blog/post_XSS`, json({ _id: '0b1e4a52-2222-4222-8222-000000000002', title: 'post_XSS', content: HOSTILE, state: 'PUBLISHED', author: { userId: 'u1', username: 'Eve' }, blog: { $ref: 'blogs', $id: blogId } }))
        await zip.file(`${top}/Cours et Wiki/Wiki piégé`, json({ _id: '0b1e4a52-3333-4333-8333-000000000003', title: 'Wiki piégé', owner: { userId: 'u1', displayName: 'Eve' }, pages: [{ _id: '0b1e4a52-4444-4444-8444-000000000004', title: 'Page XSS', content: HOSTILE, author: 'u1', authorName: 'Eve', position: 0 }] }))
        await zip.file(`${top}/Actualites/actualites.thread`, json({ fields: ['id', 'title', 'icon', 'mode', 'owner', 'created', 'modified'], results: [[7, 'Fil piégé', null, 0, 'u1', '2026-04-01T17:49:39.053', '2026-04-01T17:49:39.053']] }))
        await zip.file(`${top}/Actualites/actualites.info`, json({ fields: ['id', 'owner', 'created', 'modified', 'title', 'content', 'status', 'publication_date', 'expiration_date', 'is_headline', 'thread_id'], results: [[70, 'u1', '2026-04-01T17:50:13.259', '2026-04-01T17:50:17.548', 'Actu XSS', HOSTILE, 3, null, null, false, 7]] }))
      }
    })
    const outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'xss' })
    expect(outcome.state).toBe('done')
    const root = String(outcome.report.importFolder?.path)
    for (const notePath of ['Blog/Piège/XSS.cozy-note', 'Cours et Wiki/Wiki piégé/Page XSS.cozy-note', 'Actualités/Fil piégé/Actu XSS.cozy-note']) {
      const note = await env.admin.statByPath(`${root}/${notePath}`)
      expect(note?.mime).toBe('text/vnd.cozy.note+markdown')
      expectHarmless(await downloadText(env.admin, String(note?._id)))
      // What the note shows (the stack's parsed document) has no dangerous link either.
      expect(JSON.stringify(note?.metadata)).not.toMatch(/javascript:|onerror|<script/i)
    }
    // Every note read back as CommonMark: no raw HTML, no link or image outside the web, the import and anchors.
    const notes = (await snapshotTree(env.admin, root)).filter(e => e.type === 'file' && e.path.endsWith('.cozy-note'))
    expect(notes.length).toBeGreaterThan(5)
    for (const entry of notes) {
      const note = await env.admin.statByPath(`${root}${entry.path}`)
      const markdown = await downloadText(env.admin, String(note?._id))
      expect([entry.path, markdownDangers(markdown)]).toEqual([entry.path, []])
    }
    // The blog's description is kept in the folder's metadata, as text the app renders escaped.
    const folder = await env.admin.statByPath(`${root}/Blog/Piège`)
    expect((folder?.metadata?.mesdonnees as { description?: string }).description).toBe(HOSTILE)
  })
})

describe('an item that cannot be read', () => {
  const tmp = temporaryDirectory('ent-import-damaged-')

  afterAll(() => tmp.remove())

  it('is recorded as failed with its reason, and everything else is imported', async () => {
    const env = await startImportStack({}, undefined, false)
    try {
      const archive = path.join(tmp.dir, 'damaged.zip')
      await writeEntArchive(archive, {
        apps: ['workspace', 'blog'],
        extra: async (zip, top) => {
          // The directory claims 1,500 bytes, the entry holds 1,000: reading it fails midway.
          await zip.file(`${top}/Divers/abîmé.bin`, new Uint8Array(1000).fill(7), { declaredSize: 1500 })
          await zip.file(`${top}/Divers/intact.bin`, new Uint8Array(1000).fill(8))
        }
      })
      const outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'damaged' })
      expect(outcome.state).toBe('done')
      expect(outcome.report.errors).toEqual([{ app: 'unknown', item: 'Divers/abîmé.bin', reason: expect.stringMatching(/^the archive could not be read: /) }])
      const tree = await snapshotTree(env.admin, String(outcome.report.importFolder?.path))
      expect(tree.filter(e => e.path.startsWith('/Divers/')).map(e => [e.path, e.size])).toEqual([['/Divers/intact.bin', 1000]])
      expect(outcome.report.apps.find(a => a.app === 'workspace')?.failed).toBe(0)
      expect(outcome.report.apps.find(a => a.app === 'workspace')?.imported).toBeGreaterThan(0)
    } finally {
      await env.stop()
    }
  })
})

describe('an import folder trashed between two runs', () => {
  const tmp = temporaryDirectory('ent-import-trashed-')

  afterAll(() => tmp.remove())

  it('is written again in full, and the pending shares point to the new documents', async () => {
    const env = await startImportStack({}, undefined, false)
    try {
      const archive = path.join(tmp.dir, 'small.zip')
      await writeEntArchive(archive, { apps: ['workspace', 'blog'], workspaceFiles: 6 })
      const first = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'trashed' })
      const before = await snapshotTree(env.admin, String(first.report.importFolder?.path))
      const res = await fetch(new URL(`files/${first.report.importFolder?.id}`, env.url), { method: 'DELETE', headers: { Authorization: `Bearer ${env.cliToken}` } })
      expect(res.status).toBe(200)
      const record = await env.admin.getDoc<{ _id: string; _rev: string }>('io.cozy.mesdonnees.imports', 'trashed')
      await env.admin.updateDoc('io.cozy.mesdonnees.imports', { ...(record as { _id: string; _rev: string }), state: 'paused' })
      const second = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'trashed' })
      expect(second.state).toBe('done')
      expect(second.report.importFolder?.path).toBe(first.report.importFolder?.path)
      expect(second.report.importFolder?.id).not.toBe(first.report.importFolder?.id)
      expect(await snapshotTree(env.admin, String(second.report.importFolder?.path))).toEqual(before)
      const shares = (await allDocs(env.url, env.cliToken, PENDING_SHARES_DOCTYPE)) as unknown as PendingShare[]
      expect(shares.length).toBe(second.report.pendingShares)
      for (const share of shares) {
        const target = await env.admin.statById(share.cozy.id)
        expect((target as { trashed?: boolean } | null)?.trashed).not.toBe(true)
        if (target?.type === 'directory') expect(target.path).not.toMatch(/^\/\.cozy_trash/)
        expect((target?.metadata?.mesdonnees as { key?: string }).key).toBe(share.provenance.key)
      }
    } finally {
      await env.stop()
    }
  })
})

describe('checks before writing anything', () => {
  const tmp = temporaryDirectory('ent-import-checks-')
  let archive: string

  beforeAll(async () => {
    archive = path.join(tmp.dir, 'big.zip')
    await writeEntArchive(archive, { apps: ['workspace', 'blog'], workspaceFiles: 20, fileBytes: 50_000 })
  })

  afterAll(() => tmp.remove())

  async function expectNothingWritten(env: ImportStack, usedBefore: number): Promise<void> {
    expect(await snapshotTree(env.admin, '/Mes données ENT')).toEqual([])
    expect((await env.admin.diskUsage()).used).toBe(usedBefore)
  }

  it('refuses an archive larger than the free space, with nothing uploaded', async () => {
    const env = await startImportStack({ quota: 300_000 }, undefined, false)
    try {
      const used = (await env.admin.diskUsage()).used
      const error = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, importId: 'quota' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ImportError)
      expect((error as ImportError).code).toBe('DISK_QUOTA_EXCEEDED')
      await expectNothingWritten(env, used)
      const record = await env.admin.getDoc<{ _id: string; state: string; error: { code: string } }>('io.cozy.mesdonnees.imports', 'quota')
      expect(record).toMatchObject({ state: 'failed', error: { code: 'DISK_QUOTA_EXCEEDED' } })
    } finally {
      await env.stop()
    }
  })

  it('refuses a selection that names no application of the archive', async () => {
    const env = await startImportStack({}, undefined, false)
    try {
      const error = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, selection: ['calendar'] }).catch((e: unknown) => e)
      expect((error as ImportError).code).toBe('EMPTY_SELECTION')
      await expectNothingWritten(env, 0)
    } finally {
      await env.stop()
    }
  })

  it('refuses a file that is not an ENT archive', async () => {
    const env = await startImportStack({}, undefined, false)
    try {
      const notZip = path.join(tmp.dir, 'notes.zip')
      await fs.writeFile(notZip, 'this is not a zip file at all')
      const error = await runImport({ client: env.konnector, archive: { kind: 'file', path: notZip } }).catch((e: unknown) => e)
      expect((error as ImportError).code).toBe('ARCHIVE_CORRUPT')
      await expectNothingWritten(env, 0)
    } finally {
      await env.stop()
    }
  })

  it('imports only the selected applications', async () => {
    const env = await startImportStack({}, undefined, false)
    try {
      const outcome = await runImport({ client: env.konnector, archive: { kind: 'file', path: archive }, selection: ['blog'] })
      expect(outcome.report.apps[0].app).toBe('blog')
      // the others are in the report, every item not selected, nothing written for them
      for (const line of outcome.report.apps.slice(1)) expect([line.app, line.imported + line.skipped + line.failed, line.notSelected]).toEqual([line.app, 0, line.items])
      const top = (await snapshotTree(env.admin, String(outcome.report.importFolder?.path))).filter(e => e.path.split('/').length === 2)
      expect(top.map(e => e.path)).toEqual(['/Blog'])
    } finally {
      await env.stop()
    }
  })
})
