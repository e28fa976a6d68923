/**
 * Cours et Wiki: one file per wiki (no prefix) with its pages embedded (OPEN-ENT-NG/wiki
 * backend/src/main/java/net/atos/entng/wiki/service/WikiRepositoryEvents.java, the generic
 * Mongo export with `exportResourcesFilter`). Fields from frontend/src/models/{wiki,page}.ts:
 * the wiki's `index` is its index page's `_id` (set in WikiServiceMongoImpl.java when a page
 * is created or updated with `isIndex`); a page has `parentId` (sub-pages, one per parent),
 * `position` among its siblings and `isVisible` (false: hidden from readers). `children` is
 * added by the service when it answers, not stored, so the tree is rebuilt from `parentId`.
 */
import { roleTable } from '../shares'
import { EntItem, RichText, RichTextMark } from '../models'
import { CollectionSpec, group, idOf, Json, num, readMongoApp, richText, str, titleOf } from './common'
import { AppReader, ShareRoleTable } from './reader'

interface PageEntry {
  page: Json
  id: string
  index: number
  parentId: string | null
}

/**
 * Pages parents first, siblings by position: a depth-first walk with its own stack, each page
 * once. Pages whose parent is missing start a tree of their own; so does the first page of a
 * `parentId` cycle, whose link is dropped so that the import cannot loop.
 */
export function pagesInTreeOrder(pages: PageEntry[]): PageEntry[] {
  const ids = new Set(pages.map(p => p.id))
  const children = new Map<string, PageEntry[]>()
  const roots: PageEntry[] = []
  for (const entry of pages) {
    if (entry.parentId && entry.parentId !== entry.id && ids.has(entry.parentId)) {
      const list = children.get(entry.parentId) ?? []
      list.push(entry)
      children.set(entry.parentId, list)
    } else roots.push({ ...entry, parentId: null })
  }
  const byPosition = (a: PageEntry, b: PageEntry): number => (num(a.page.position) ?? a.index) - (num(b.page.position) ?? b.index) || a.index - b.index
  const ordered: PageEntry[] = []
  const seen = new Set<string>()
  const walk = (start: PageEntry): void => {
    const stack = [start]
    while (stack.length > 0) {
      const entry = stack.pop() as PageEntry
      if (seen.has(entry.id)) continue
      seen.add(entry.id)
      ordered.push(entry)
      const below = [...(children.get(entry.id) ?? [])].sort(byPosition)
      for (let i = below.length - 1; i >= 0; i--) if (!seen.has(below[i].id)) stack.push(below[i])
    }
  }
  for (const root of [...roots].sort(byPosition)) walk(root)
  // What is left hangs off a cycle: cut it at its first page, in the order of the export.
  for (const entry of pages) if (!seen.has(entry.id)) walk({ ...entry, parentId: null })
  return ordered
}

const specs: CollectionSpec[] = [
  {
    collection: 'wiki',
    prefix: null,
    order: 0,
    async convert(context, record, entId) {
      const items: EntItem[] = [group(context, record, entId, { collection: 'wiki', title: titleOf(record, null), attachments: await context.attachments({ thumbnail: record.thumbnail }, `wiki ${entId}`) })]
      const raw = Array.isArray(record.pages) ? (record.pages as unknown[]) : []
      const entries: PageEntry[] = []
      const taken = new Set<string>()
      for (const [index, value] of raw.entries()) {
        if (!value || typeof value !== 'object') continue
        const page = value as Json
        let id = idOf(page._id) ?? `${entId}#${index}`
        if (taken.has(id)) id = `${id}#${index}`
        taken.add(id)
        entries.push({ page, id, index, parentId: idOf(page.parentId) })
      }
      const indexPage = idOf(record.index)
      for (const { page, id, index, parentId } of pagesInTreeOrder(entries)) {
        const marks: RichTextMark[] = []
        if (indexPage !== null && id === indexPage) marks.push('index')
        if (page.isVisible === false) marks.push('hidden')
        const item: RichText = richText(context, page, id, {
          collection: 'wiki.pages',
          title: str(page.title) ?? '',
          groupId: entId,
          position: num(page.position) ?? index,
          author: context.person(page.author, page.authorName),
          state: page.isVisible === false ? 'HIDDEN' : null,
          shareable: {},
          attachments: await context.attachments(page, `wiki page ${id}`)
        })
        items.push({ ...item, parentId, marks })
      }
      return items
    }
  }
]

/** Share actions of this app's controllers and their roles. */
const SHARE_ROLES: ShareRoleTable = roleTable([
  ['read', 'WikiController', ['getWiki', 'listPages', 'getWholeWiki', 'getPage', 'duplicatePage']],
  ['contrib', 'WikiController', ['createPage', 'updatePage', 'deletePageList', 'updatePageList', 'listRevisions', 'getRevisionById']],
  ['manager', 'WikiController', ['updateWiki', 'deleteWiki', 'deletePage', 'deleteComment', 'shareWiki', 'shareWikiSubmit', 'shareWikiRemove', 'shareResource']],
  ['comment', 'WikiController', ['comment', 'updateComment']]
])

export const wikiReader: AppReader = {
  app: 'wiki',
  labelKey: 'wiki',
  cozyFolder: 'Cours et Wiki',
  shareRoles: SHARE_ROLES,
  needs: ['workspace-documents'],
  folderNames: ['Cours et Wiki', 'Lecture and Wiki', 'Wiki'],
  sniffRecord: record =>
    Array.isArray(record.pages) && !('subTitle' in record) && !('landingPage' in record) && (record.pages as Json[]).every(p => p && typeof p === 'object' && !('layers' in p) && !('rows' in p)),
  read: context => readMongoApp(context, specs)
}
