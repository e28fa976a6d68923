/**
 * What an import left in a Cozy, for comparisons between runs: the tree with sizes, MD5s and
 * provenance keys, and the documents of a doctype. Only the stack client (no stand-in code),
 * so the benchmarks can use it against a stand-in running in another process.
 */
import type { StackClient } from '../../../src/import/stack/client'

export interface TreeEntry {
  path: string
  type: 'file' | 'directory'
  size?: number
  md5?: string
  created?: string
  key?: string
}

/** Every folder and file under a path, sorted, with sizes and MD5s. */
export async function snapshotTree(client: StackClient, rootPath: string): Promise<TreeEntry[]> {
  const root = await client.statByPath(rootPath)
  if (!root) return []
  const out: TreeEntry[] = []
  const walk = async (id: string, at: string): Promise<void> => {
    for (const child of await client.listDir(id)) {
      const p = `${at}/${child.name}`
      const key = (child.metadata?.mesdonnees as { key?: string } | undefined)?.key
      if (child.type === 'directory') {
        out.push({ path: p, type: 'directory', key })
        await walk(child._id, p)
      } else out.push({ path: p, type: 'file', size: Number(child.size), md5: child.md5sum, created: child.created_at, key })
    }
  }
  await walk(root._id, '')
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** Every document of a doctype (no design docs), without revisions, sorted by id. */
export async function allDocs(url: string, token: string, doctype: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(new URL(`data/${doctype}/_all_docs?include_docs=true`, url), { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } })
  if (res.status === 404) return []
  const body = (await res.json()) as { rows?: Array<{ id: string; doc?: Record<string, unknown> }> }
  return (body.rows ?? [])
    .filter(r => !r.id.startsWith('_design'))
    .map(r => {
      const { _rev: _ignored, ...doc } = r.doc ?? {}
      return doc
    })
    .sort((a, b) => String(a._id).localeCompare(String(b._id)))
}

