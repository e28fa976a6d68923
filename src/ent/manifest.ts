/**
 * Manifest.json (format notes §3): `{"<groupId>.<artifactId>": {"version", "folder"}}`, or in
 * very old exports `{"<key>": "<version>"}`. The app key is the last segment without dashes.
 */
import { ArchiveWarning } from './errors'
import { MAX_RECORD_DEPTH, nestsDeeperThan } from './json-depth'

export interface ManifestApp {
  /** `org.entcore.workspace`, `fr.wseduc.scrap-book`… */
  key: string
  /** `workspace`, `scrapbook`… */
  app: string
  version: string | null
  /** The folder the Manifest names, or null in the old form. */
  folder: string | null
}

/** The app key: letters and digits only, so that no key can become a path (`/`, `.`, blank). */
export function appKeyOf(manifestKey: string): string {
  return manifestKey
    .slice(manifestKey.lastIndexOf('.') + 1)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

/**
 * Parses the Manifest's JSON value; malformed parts become warnings, never exceptions. The
 * text is capped (OpenLimits.maxManifestBytes) and JSON.parse does not recurse in V8, so any
 * nesting parses; an entry nested deeper than MAX_RECORD_DEPTH (a real one is one level deep)
 * is damaged and left out with a warning, so that nothing downstream ever walks it.
 */
export function parseManifest(value: unknown, warnings: ArchiveWarning[]): ManifestApp[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    warnings.push({ code: 'manifest-malformed', path: 'Manifest.json', message: 'Manifest.json is not a JSON object; applications are recognised by their content.' })
    return []
  }
  const apps: ManifestApp[] = []
  let legacy = false
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const app = appKeyOf(key)
    if (!app) continue
    if (nestsDeeperThan(entry)) {
      warnings.push({ code: 'manifest-malformed', path: 'Manifest.json', message: `Manifest.json entry "${key}" nests deeper than ${MAX_RECORD_DEPTH} levels; ignored.` })
      continue
    }
    if (typeof entry === 'string') {
      legacy = true
      apps.push({ key, app, version: entry, folder: null })
    } else if (entry && typeof entry === 'object') {
      const record = entry as Record<string, unknown>
      apps.push({
        key,
        app,
        version: typeof record.version === 'string' ? record.version : null,
        folder: typeof record.folder === 'string' && record.folder.length > 0 ? record.folder : null
      })
    } else {
      warnings.push({ code: 'manifest-malformed', path: 'Manifest.json', message: `Manifest.json entry "${key}" is neither an object nor a version string; ignored.` })
    }
  }
  if (legacy) {
    warnings.push({ code: 'manifest-legacy', path: 'Manifest.json', message: 'Manifest.json uses the old form (version strings without folders); folders are found by name and content.' })
  }
  return apps
}
