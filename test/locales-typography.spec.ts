import fr from '../locales/fr.json'
import en from '../locales/en.json'
import { dictionaryStrings, frenchTypographyFaults, NNBSP } from './french-typography'

const n = NNBSP

describe('the French typography checker', () => {
  it.each([
    ['a plain space before a colon', 'Attention : données'],
    ['a wide no-break space before a question mark', 'Continuer\u00a0?'],
    ['no space before an exclamation mark', 'C’est parti!'],
    ['a narrow space after a space', `Vers ${n};`],
    ['a plain space inside guillemets', `« Exporter${n}»`],
    ['no space after «', `«Exporter${n}»`],
    ['an ASCII apostrophe', `L'export`],
    ['straight quotes', 'le bouton "Exporter"'],
    ['three dots', 'Chargement...'],
    ['the first of a month as 1', 'Disponible jusqu’au 1 décembre 2026.'],
    ['a colon after a placeholder', '%{name} : 3 éléments'],
    ['a colon before a URL', 'Voir:https://example.com']
  ])('flags %s', (_what, text) => {
    expect(frenchTypographyFaults(text)).not.toEqual([])
  })

  it.each([
    ['narrow spaces before the high marks', `Exporter${n}: oui${n}; non${n}? Si${n}!`],
    ['guillemets with narrow spaces', `Choisissez «${n}Exporter${n}».`],
    ['a typographic apostrophe and an ellipsis', 'L’export…'],
    ['placeholders, even with braces and colons', `%{name}${n}: %{imported} importés, %{smart_count} partie |||| %{smart_count} parties`],
    ['addresses with a scheme', `Il commence par https://…/#/exports/…?lang=fr, voyez${n}!`],
    ['clock times', 'Rendez-vous à 10:30.'],
    ['two marks together', `Vraiment${n}?!`],
    ['« 1er » and days that are not the first', 'Le 1er décembre, le 11 décembre, le 21 mars.']
  ])('accepts %s', (_what, text) => {
    expect(frenchTypographyFaults(text)).toEqual([])
  })

  it('names the mark and where it is', () => {
    expect(frenchTypographyFaults('Oui :')).toEqual(['narrow no-break space needed before ":" in "Oui :"'])
  })
})

describe('locales/fr.json', () => {
  const strings = dictionaryStrings(fr)

  it('has strings to check', () => {
    expect(strings.length).toBeGreaterThan(400)
  })

  it('is written with French typography, every value of it', () => {
    const faults = strings.flatMap(([key, text]) => frenchTypographyFaults(text).map(fault => `${key}: ${fault}`))
    expect(faults).toEqual([])
  })
})

describe('locales/en.json', () => {
  it('keeps the French spaces out of English', () => {
    const faults = dictionaryStrings(en).filter(([, text]) => /[\s\u00a0\u202f][;:?!]|[«»]/.test(text.replace(/%\{[^}]*\}/g, 'x')))
    expect(faults).toEqual([])
  })
})
