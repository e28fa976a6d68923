/**
 * Adding an ENT app is one module: the registry is the only list of apps, the pipeline reads
 * everything it needs of an app from its reader, and nothing else names one.
 */
import { readFileSync } from 'fs'
import path from 'path'
import en from '../../../locales/en.json'
import fr from '../../../locales/fr.json'
import { DEFAULT_IMPORT_RANK, READERS } from './registry'

const ROOT = path.resolve(__dirname, '../../..')
/** The pipeline's shared stages: they must work for any app. */
const PIPELINE = ['src/import/engine.ts', 'src/import/plan.ts', 'src/import/executor.ts', 'src/ent/describe.ts', 'src/ent/archive.ts', 'src/ent/app-context.ts', 'src/ent/shares.ts', 'src/import/names.ts', 'src/pages/ent-import/app-label.ts']

describe('the registry of ENT apps', () => {
  it('gives every app its name in both languages, its folder in the Cozy, and unique keys', () => {
    const names = (locale: { entImport: { apps: Record<string, string> } }): string[] => Object.keys(locale.entImport.apps)
    for (const reader of READERS) {
      expect([reader.app, names(fr).includes(reader.labelKey), names(en).includes(reader.labelKey)]).toEqual([reader.app, true, true])
      expect(reader.cozyFolder.trim()).not.toBe('')
    }
    expect(new Set(READERS.map(r => r.app)).size).toBe(READERS.length)
    // and the locales name no app the registry lacks (the trash and unknown folders apart)
    expect(names(fr).filter(k => k !== 'trash' && k !== 'unknown').sort()).toEqual(READERS.map(r => r.labelKey).sort())
  })

  it('ranks every app after the apps that provide what it needs', () => {
    const rank = (app: (typeof READERS)[number]): number => app.importRank ?? DEFAULT_IMPORT_RANK
    for (const reader of READERS) {
      for (const need of reader.needs ?? []) {
        const providers = READERS.filter(r => r.provides?.includes(need))
        expect(providers.length).toBeGreaterThan(0)
        for (const provider of providers) expect([reader.app, rank(provider) < rank(reader)]).toEqual([reader.app, true])
      }
    }
  })

  it('is the only place that names an app: the pipeline compares no app key', () => {
    for (const file of PIPELINE) {
      const text = readFileSync(path.join(ROOT, file), 'utf8')
      for (const reader of READERS) {
        const compared = new RegExp(`app\\s*[!=]==\\s*['"]${reader.app}['"]|['"]${reader.app}['"]\\s*[!=]==\\s*\\w*\\.?app\\b`)
        expect([file, reader.app, compared.test(text)]).toEqual([file, reader.app, false])
      }
      expect([file, /APP_LABELS|ROLE_TABLES|KNOWN = new Set/.test(text)]).toEqual([file, false])
    }
  })
})
