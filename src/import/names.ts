/**
 * Names of what the import creates: the French labels of the ENT applications (the folders
 * the user sees), file names made safe for the Cozy VFS, and names kept unique inside a
 * folder in a deterministic way (the same archive always gives the same names, which is
 * what lets a resumed import find what an earlier run created).
 */

/** Folder of each ENT application in the import folder. Unknown apps keep the archive's folder name. */
export const APP_LABELS: Record<string, string> = {
  workspace: 'Espace documentaire',
  rack: 'Casier',
  blog: 'Blog',
  actualites: 'Actualités',
  wiki: 'Cours et Wiki',
  forum: 'Forum',
  calendar: 'Agenda',
  conversation: 'Messagerie',
  collaborativewall: 'Mur collaboratif',
  mindmap: 'Carte mentale',
  timelinegenerator: 'Frise chronologique',
  exercizer: 'Exercices',
  pages: 'Pages',
  community: 'Communautés',
  scrapbook: 'Cahier multimédia',
  magneto: 'Magneto',
  collaborativeeditor: 'Pad',
  formulaire: 'Formulaire',
  homeworks: 'Cahier de textes',
  schoolbook: 'Carnet de liaison'
}

export function appLabel(app: string, archiveFolder: string | null): string {
  return APP_LABELS[app] ?? safeName(archiveFolder ?? app, app)
}

/** Longest name kept, in characters (file systems behind the stack cap names at 255 bytes). */
const MAX_NAME = 180

/**
 * A name the VFS accepts (vfs.checkFileName: no `/`, NUL, CR, LF; not `.` or `..`), with
 * other control characters and surrounding spaces removed, NFC, and a bounded length that
 * keeps the extension.
 */
export function safeName(name: string | null | undefined, fallback: string): string {
  let out = (name ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f/\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (out === '' || out === '.' || out === '..') out = fallback
  if (out.startsWith('.')) out = `_${out.slice(1)}`
  if (out.length > MAX_NAME) {
    const { base, ext } = splitExtension(out)
    out = ext.length < 16 ? base.slice(0, MAX_NAME - ext.length).trimEnd() + ext : out.slice(0, MAX_NAME)
  }
  return out
}

export function splitExtension(name: string): { base: string; ext: string } {
  const dot = name.lastIndexOf('.')
  if (dot <= 0 || dot === name.length - 1) return { base: name, ext: '' }
  return { base: name.slice(0, dot), ext: name.slice(dot) }
}

/** Name with an extension added when it does not already end with it. */
export function withExtension(name: string, ext: string): string {
  return name.toLowerCase().endsWith(ext.toLowerCase()) ? name : `${name}${ext}`
}

/**
 * Hands out unique names per folder: the first "Billet" stays "Billet", the next ones become
 * "Billet (2)", "Billet (3)"… in the order items are planned. Comparison ignores case, so
 * the result also suits case-insensitive file systems on the user's devices.
 */
export class NameRegistry {
  private readonly taken = new Map<string, Set<string>>()

  claim(folder: string, wanted: string): string {
    let names = this.taken.get(folder)
    if (!names) {
      names = new Set()
      this.taken.set(folder, names)
    }
    const { base, ext } = splitExtension(wanted)
    let candidate = wanted
    for (let n = 2; names.has(candidate.toLowerCase()); n++) candidate = `${base} (${n})${ext}`
    names.add(candidate.toLowerCase())
    return candidate
  }
}

/** `2026-04-01` for the import folder of an export made that day (UTC). */
export function exportDateName(exportedAt: Date | null, fallback: Date): string {
  return (exportedAt ?? fallback).toISOString().slice(0, 10)
}

/** File name without the `_<uuid>` the ENT adds to `Documents/` copies. */
export function withoutDocumentId(fileName: string): string {
  return fileName.replace(/_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\.[^.]*$|$)/i, '')
}

export function baseName(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? path : path.slice(slash + 1)
}
