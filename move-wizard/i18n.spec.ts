import fr from '../locales/fr.json'
import en from '../locales/en.json'
import { formatGigabytes, localeFromAcceptLanguage, translator } from './i18n'

type Tree = { [key: string]: string | Tree }

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)))
}

describe('wizard strings', () => {
  it('has the same keys in French and English', () => {
    const frKeys = keys((fr as unknown as { moveWizard: Tree }).moveWizard).sort()
    expect(frKeys.length).toBeGreaterThan(50)
    expect(keys((en as unknown as { moveWizard: Tree }).moveWizard).sort()).toEqual(frKeys)
  })

  it('uses the words of the move screens users know', () => {
    const t = translator('fr')
    expect(t('summary.exportFrom')).toBe('Exporter\u202f:')
    expect(t('summary.to')).toBe('Vers\u202f:')
    expect(t('summary.swap')).toBe('Inverser')
    expect(t('confirm.title')).toBe('Attention')
    expect(t('confirm.confirm')).toBe('Écraser les données')
  })

  it('interpolates and shows a missing key rather than nothing', () => {
    expect(translator('en')('summary.usedOfQuota', { used: '1.00', quota: '5.00' })).toBe('1.00 / 5.00 GB')
    expect(translator('en')('no.such.key')).toBe('moveWizard.no.such.key')
  })
})

describe('localeFromAcceptLanguage', () => {
  it('picks the best supported language', () => {
    expect(localeFromAcceptLanguage('de-DE,en;q=0.8,fr;q=0.9')).toBe('fr')
    expect(localeFromAcceptLanguage('en-GB')).toBe('en')
    expect(localeFromAcceptLanguage('de')).toBeUndefined()
    expect(localeFromAcceptLanguage(undefined)).toBeUndefined()
  })
})

describe('formatGigabytes', () => {
  it('shows gigabytes of 10^9 bytes with two decimals, as the stack does', () => {
    expect(formatGigabytes(1_234_567_890, 'fr')).toBe('1,23')
    expect(formatGigabytes(1_234_567_890, 'en')).toBe('1.23')
    expect(formatGigabytes(1_500_000_000_000, 'en')).toBe('1,500.00')
    expect(formatGigabytes(0, 'fr')).toBe('0,00')
  })
})
