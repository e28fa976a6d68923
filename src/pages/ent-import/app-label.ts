import type { Translation } from '../../stack-client/react/useTranslation'
import en from '../../../locales/en.json'

/**
 * ENT apps with a name of their own: the keys of `entImport.apps` in the locales, which each
 * reader's `labelKey` names (a test checks every reader has both strings). Nothing to list here.
 */
const NAMED = new Set(Object.keys(en.entImport.apps).filter(key => key !== 'unknown'))

/** The name of an ENT application in the user's language; unknown ones show their folder. */
export function appLabel(t: Translation['t'], app: string, folder: string | null): string {
  if (NAMED.has(app)) return t(`entImport.apps.${app}`)
  return t('entImport.apps.unknown', { folder: folder ?? app })
}
