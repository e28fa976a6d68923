import { promises as fs } from 'fs'
import os from 'os'
import path from 'path'
import { startStack } from '../../../dev-stack'
import { ENT_SAMPLE } from '../../../dev-stack/seed/demo'
import { call, pick } from '../../../dev-stack/testing/http'
import { writeKonnector, writeWebapp } from '../../../dev-stack/testing/fixtures'

// starting stacks (PouchDB, servers) takes a while on a loaded 2-core CI machine
jest.setTimeout(30_000)

describe('startStack({ seedDemo })', () => {
  it('installs the app and the konnector, seeds contacts, files and the genuine ENT sample, once', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stack-seed-'))
    // npm test runs before npm run build in CI: stand-ins for build/app and build/konnectors/ent-import
    const appDir = await writeWebapp({ slug: 'mes-donnees', permissions: { files: { type: 'io.cozy.files', verbs: ['GET'] } } })
    const konnectorDir = await writeKonnector({ slug: 'ent-import', permissions: {} }, '')
    try {
      const first = await startStack({ dataDir, seedDemo: { appDir, konnectorDir } })
      const alice = first.instances[0]
      const cli = alice.cliToken
      expect(alice.appUrl('mes-donnees')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
      const apps = await call(alice.url, 'GET', '/konnectors/', { token: cli })
      expect(pick(apps.json, 'data', 0, 'attributes', 'slug')).toBe('ent-import')
      const contacts = await call(alice.url, 'GET', '/data/io.cozy.contacts/_normal_docs', { token: cli })
      expect(pick(contacts.json, 'total_rows')).toBe(4)
      const sample = await call(alice.url, 'GET', `/files/metadata?Path=${encodeURIComponent('/Téléchargements/real-export-sample.zip')}`, { token: cli })
      expect(sample.status).toBe(200)
      expect(pick(sample.json, 'data', 'attributes', 'size')).toBe(String((await fs.stat(ENT_SAMPLE)).size))
      const note = await call(alice.url, 'GET', `/files/metadata?Path=${encodeURIComponent('/Documents/École/Sortie au musée.cozy-note')}`, { token: cli })
      expect(pick(note.json, 'data', 'attributes', 'mime')).toBe('text/vnd.cozy.note+markdown')
      const usage = await call(alice.url, 'GET', '/settings/disk-usage', { token: cli })
      expect(pick(usage.json, 'data', 'attributes', 'quota')).toBe(String(10 * 1024 ** 3))
      await first.stop()

      const second = await startStack({ dataDir, seedDemo: { appDir, konnectorDir } })
      const again = await call(second.instances[0].url, 'GET', '/data/io.cozy.contacts/_normal_docs', { token: second.instances[0].cliToken })
      expect(pick(again.json, 'total_rows')).toBe(4)
      await second.stop()
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true })
    }
  })

  it('refuses to seed without a build, with a clear message', async () => {
    await expect(startStack({ seedDemo: { appDir: path.join(os.tmpdir(), 'no-such-build') } })).rejects.toThrow(/run npm run build first/)
  })
})
