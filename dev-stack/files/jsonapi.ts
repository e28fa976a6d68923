import type { FileDoc, Vfs } from './vfs'
import { FILES_DOCTYPE } from './vfs'

/**
 * The JSON:API object of a file or directory (web/files/paginated.go file/dir MarshalJSON,
 * Relationships, Links). A directory carries its stored `path`; a file only where the stack
 * calls IncludePath (web/files/files.go FindFilesMango and GetAllDocs, web/notes): `includePath`.
 */
export async function fileObject(doc: FileDoc, vfs: Vfs, options: { includePath?: boolean } = {}): Promise<Record<string, unknown>> {
  const { _id, _rev, referenced_by, ...attributes } = doc
  const attrs: Record<string, unknown> = { ...attributes }
  if (doc.type === 'file') {
    if (options.includePath) attrs.path = await vfs.fullPath(doc)
    else delete attrs.path
  }
  const relationships: Record<string, unknown> = {}
  if (doc.dir_id) {
    relationships.parent = { links: { related: `/files/${doc.dir_id}` }, data: { type: FILES_DOCTYPE, id: doc.dir_id } }
  }
  relationships.referenced_by = { links: { self: `/files/${_id}/relationships/references` }, data: referenced_by ?? [] }
  return { type: FILES_DOCTYPE, id: _id, attributes: attrs, meta: { rev: _rev }, links: { self: `/files/${_id}` }, relationships }
}

export function jsonApiBody(data: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ data, ...extra })
}
