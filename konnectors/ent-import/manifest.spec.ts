import fs from 'node:fs'
import path from 'node:path'

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, 'manifest.konnector'), 'utf8')) as Record<string, unknown>

/** cozy-store src/config/categories.json: the categories the Store shows. */
const STORE_CATEGORIES = ['banking', 'clouds', 'cozy', 'education', 'energy', 'finance', 'health', 'host_provider', 'insurance', 'isp', 'mes_infos', 'online_services', 'partners', 'press', 'pro', 'productivity', 'ptnb', 'public_service', 'shopping', 'social', 'tech', 'telecom', 'transport']
/** cozy-home src/config/datatypes.json: the data types Home can name. */
const HOME_DATA_TYPES = ['activity', 'appointment', 'bankTransactions', 'bankAccounts', 'bill', 'bloodPressure', 'calendar', 'certificate', 'commit', 'consumption', 'contact', 'contract', 'courseMaterial', 'event', 'family', 'geopoint', 'heartbeat', 'home', 'phonecommunicationlog', 'picture', 'podcast', 'profile', 'refund', 'sinister', 'sleepTime', 'stepsNumber', 'temperature', 'travelDate', 'tweet', 'videostream', 'weight']
/** model/app/konnector.go triggerCrontab: anything else silently becomes weekly. */
const STACK_FREQUENCIES = ['hourly', 'daily', 'weekly', 'monthly']

describe('manifest.konnector, in the documented format (cozy-doctypes docs/io.cozy.konnectors.md)', () => {
  it('declares manifest version 2 and the fields the stack and Home require', () => {
    expect(manifest.manifest_version).toBe('2')
    for (const key of ['name', 'slug', 'type', 'version', 'editor', 'language']) expect(typeof manifest[key]).toBe('string')
    expect(manifest.type).toBe('konnector')
    expect(manifest.language).toBe('node')
  })

  it('uses only documented categories, data types and a frequency the stack knows', () => {
    expect((manifest.categories as string[]).every(c => STORE_CATEGORIES.includes(c))).toBe(true)
    expect((manifest.data_types as string[]).length).toBeGreaterThan(0)
    expect((manifest.data_types as string[]).every(d => HOME_DATA_TYPES.includes(d))).toBe(true)
    expect(STACK_FREQUENCIES).toContain(manifest.frequency)
  })

  it('is not an OAuth konnector: no `oauth` key at all (its presence alone makes one)', () => {
    expect('oauth' in manifest).toBe(false)
  })

  it('describes every permission in both languages, the French in French typography', () => {
    const permissions = Object.keys(manifest.permissions as object)
    const locales = manifest.locales as Record<string, { short_description: string; long_description: string; permissions: Record<string, { description: string }> }>
    for (const lang of ['fr', 'en']) {
      expect(Object.keys(locales[lang].permissions).sort()).toEqual([...permissions].sort())
    }
    const french = JSON.stringify(locales.fr)
    expect(french).not.toMatch(/'/)
    expect(french).not.toMatch(/ [:;?!»]|« /)
  })
})
