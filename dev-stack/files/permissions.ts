import type { PermissionSet, Verb } from '../auth/permissions'
import { forbidden } from '../http/errors'
import { FILES_DOCTYPE, ROOT_DIR_ID, type FileDoc, type Vfs } from './vfs'

/**
 * middlewares.AllowVFS (web/middlewares/permissions.go, model/vfs/permissions.go): a whole-type
 * rule, or a rule whose values name the document or one of its ancestor directories (a folder
 * permission covers its subtree), or a `referenced_by` / field selector that matches.
 */
export async function allowVfs(set: PermissionSet, verb: Verb, doc: FileDoc, vfs: Vfs): Promise<boolean> {
  if (set.allowWholeType(verb, FILES_DOCTYPE)) return true
  const rules = set.valuesFor(verb, FILES_DOCTYPE)
  if (rules.length === 0) return false
  const ancestors: string[] = [doc._id]
  let current: FileDoc | null = doc
  while (current && current.dir_id && current._id !== ROOT_DIR_ID) {
    ancestors.push(current.dir_id)
    current = await vfs.get(current.dir_id)
  }
  for (const rule of rules) {
    if (!rule.selector) {
      if (rule.values.some(v => ancestors.includes(v))) return true
    } else if (rule.selector === 'referenced_by') {
      const refs = (doc.referenced_by ?? []).map(r => `${r.type}/${r.id}`)
      if (rule.values.some(v => refs.includes(v))) return true
    } else {
      const value = (doc as Record<string, unknown>)[rule.selector]
      if (typeof value === 'string' && rule.values.includes(value)) return true
    }
  }
  return false
}

export async function requireVfs(set: PermissionSet, verb: Verb, doc: FileDoc, vfs: Vfs): Promise<void> {
  if (!(await allowVfs(set, verb, doc, vfs))) throw forbidden()
}
