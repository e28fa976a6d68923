import { useI18n } from 'twake-i18n'

/** Polyglot options: `%{name}` values and `smart_count` for plurals. */
export type TranslateOptions = Record<string, string | number>

export interface Translation {
  t(key: string, options?: TranslateOptions): string
  lang: string
}

/**
 * twake-i18n's `useI18n` with `t` typed as Polyglot really calls it: its generated typings
 * only allow `t(key)`, which would rule out interpolation.
 */
export function useTranslation(): Translation {
  const { t, lang } = useI18n() as unknown as Translation
  return { t, lang }
}
