import type { Translation } from '../../stack-client/react/useTranslation'

const KNOWN = new Set([
  'workspace', 'trash', 'blog', 'actualites', 'wiki', 'forum', 'calendar', 'conversation', 'collaborativewall', 'mindmap',
  'timelinegenerator', 'exercizer', 'pages', 'community', 'scrapbook', 'magneto', 'collaborativeeditor', 'rack',
  'formulaire', 'homeworks', 'schoolbook', 'website'
])

/** The name of an ENT application in the user's language; unknown ones show their folder. */
export function appLabel(t: Translation['t'], app: string, folder: string | null): string {
  if (KNOWN.has(app)) return t(`entImport.apps.${app}`)
  return t('entImport.apps.unknown', { folder: folder ?? app })
}
