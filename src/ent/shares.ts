/**
 * ENT share arrays → ShareGrant (format notes §8). Each entry of `shared`/`inheritedShares` is
 * `{"userId"|"groupId": id, "<pkg-with-dashes>-<Class>|<method>": true, …}`. The role is the
 * strongest one among the recipient's actions: from the app's action table when the action is
 * known, else by the notes' rule (share/removeShare/delete → manager, create/update/submit →
 * contrib, comment → comment, anything else → read). Raw action names are kept.
 */
import { ShareGrant, ShareKind, ShareRole } from './models'

type RoleTable = Record<string, ShareRole>

function table(entries: Array<[ShareRole, string, string[]]>): RoleTable {
  const out: RoleTable = {}
  for (const [role, controller, methods] of entries) for (const method of methods) out[`${controller}|${method}`] = role
  return out
}

const WORKSPACE: RoleTable = (() => {
  const base: Array<[ShareRole, string[]]> = [
    ['read', ['getDocument', 'copyDocument', 'copyDocuments', 'copyFolder', 'getPreview', 'getDocumentProperties', 'getRevision', 'listRevisions', 'getDocumentBase64']],
    ['contrib', ['updateDocument']],
    ['manager', ['deleteDocument', 'deleteFolder', 'bulkDelete', 'deleteComment', 'deleteRevision', 'getParentInfos', 'moveDocument', 'moveDocuments', 'moveFolder', 'moveTrash', 'moveTrashFolder', 'transferDocuments', 'renameDocument', 'renameFolder', 'restoreFolder', 'restoreTrash', 'shareJson', 'shareResource', 'shareJsonSubmit', 'removeShare']],
    ['comment', ['commentDocument', 'commentFolder']]
  ]
  // Data from before the 3.3.0 migration names the service class instead of the controller.
  return table(base.flatMap(([role, methods]) => [[role, 'WorkspaceController', methods], [role, 'WorkspaceService', methods]] as Array<[ShareRole, string, string[]]>))
})()

const PAGES_TABLE = table([
  ['read', 'PagesController', ['get']],
  ['contrib', 'PagesController', ['update']],
  ['manager', 'PagesController', ['delete', 'share', 'shareSubmit', 'removeShare', 'shareResource']]
])

const ROLE_TABLES: Record<string, RoleTable> = {
  workspace: WORKSPACE,
  blog: table([
    ['read', 'BlogController', ['get']],
    ['read', 'PostController', ['get', 'list', 'comments']],
    ['contrib', 'PostController', ['create', 'update', 'delete', 'submit', 'unpublish']],
    ['manager', 'BlogController', ['update', 'delete', 'shareJson', 'shareJsonSubmit', 'removeShare', 'shareResource', 'updatePublicBlog']],
    ['manager', 'PostController', ['publish', 'publishComment']],
    ['comment', 'PostController', ['comment', 'updateComment', 'deleteComment']]
  ]),
  calendar: table([
    ['read', 'EventController', ['getEvents', 'getEvent', 'getIcal']],
    ['contrib', 'EventController', ['createEvent', 'updateEvent', 'updateAllEvents', 'deleteEvent']],
    ['manager', 'CalendarController', ['updateCalendar', 'deleteCalendar', 'shareCalendar', 'shareCalendarSubmit', 'removeShareCalendar', 'shareResource']],
    ['manager', 'EventController', ['shareEvent', 'shareResource', 'importIcal']]
  ]),
  wiki: table([
    ['read', 'WikiController', ['getWiki', 'listPages', 'getWholeWiki', 'getPage', 'duplicatePage']],
    ['contrib', 'WikiController', ['createPage', 'updatePage', 'deletePageList', 'updatePageList', 'listRevisions', 'getRevisionById']],
    ['manager', 'WikiController', ['updateWiki', 'deleteWiki', 'deletePage', 'deleteComment', 'shareWiki', 'shareWikiSubmit', 'shareWikiRemove', 'shareResource']],
    ['comment', 'WikiController', ['comment', 'updateComment']]
  ]),
  forum: table([
    ['read', 'ForumController', ['getCategory', 'listSubjects', 'getSubject', 'listMessages', 'getMessage']],
    ['contrib', 'ForumController', ['createSubject', 'createMessage']],
    ['manager', 'ForumController', ['updateCategory', 'deleteCategory', 'shareCategory', 'shareCategorySubmit', 'removeShareCategory', 'shareResource']],
    ['publish', 'ForumController', ['updateSubject', 'deleteSubject', 'updateMessage', 'deleteMessage']]
  ]),
  collaborativewall: table([
    ['read', 'CollaborativeWallController', ['viewNote', 'retrieve', 'retrieveAllNotes', 'getNote']],
    ['contrib', 'CollaborativeWallController', ['createNote', 'updateNote', 'deleteNote']],
    ['manager', 'CollaborativeWallController', ['update', 'delete', 'share', 'shareCollaborativeWallSubmit', 'removeShareCollaborativeWall', 'shareResource']]
  ]),
  mindmap: table([
    ['read', 'MindmapController', ['retrieve', 'changeMindmapFolder']],
    ['contrib', 'MindmapController', ['update']],
    ['manager', 'MindmapController', ['delete', 'share', 'shareMindmapSubmit', 'removeShareMindmap', 'shareResource', 'duplicateMindmap']]
  ]),
  timelinegenerator: table([
    ['read', 'EventController', ['getEvents', 'getEvent']],
    ['read', 'TimelineController', ['getTimeline', 'getTimelineData', 'print']],
    ['contrib', 'EventController', ['createEvent', 'updateEvent', 'deleteEvent']],
    ['manager', 'TimelineController', ['updateTimeline', 'deleteTimeline', 'shareTimeline', 'shareTimelineSubmit', 'removeShareTimeline', 'shareResource']]
  ]),
  pages: PAGES_TABLE,
  community: PAGES_TABLE,
  collaborativeeditor: table([
    ['read', 'CollaborativeEditorController', ['retrieve', 'session', 'deleteSession', 'embedPad']],
    ['contrib', 'CollaborativeEditorController', ['update']],
    ['manager', 'CollaborativeEditorController', ['delete', 'share', 'shareCollaborativeEditorSubmit', 'removeShareCollaborativeEditor', 'shareResource']]
  ]),
  exercizer: table([
    ['read', 'SubjectController', ['grainList', 'duplicateSubjects', 'getMoodle']],
    ['contrib', 'SubjectController', ['canSchedule', 'update', 'grainPersist']],
    ['manager', 'SubjectController', ['remove', 'shareSubmit', 'shareRemove', 'shareResource']],
    ['manager', 'GrainScheduledController', ['persist']]
  ])
}

const STRENGTH: Record<ShareRole, number> = { read: 0, comment: 1, contrib: 2, publish: 3, manager: 4 }

/** `org-entcore-blog-controllers-BlogController|get` → `BlogController|get`. */
function shortAction(action: string): string {
  const bar = action.indexOf('|')
  if (bar < 0) return action
  const qualified = action.slice(0, bar)
  const dash = Math.max(qualified.lastIndexOf('-'), qualified.lastIndexOf('.'))
  return `${qualified.slice(dash + 1)}${action.slice(bar)}`
}

/** The role one action grants in `app`: the app's table, else the notes' naming rule. */
export function roleOfAction(app: string, action: string): ShareRole {
  const short = shortAction(action)
  const known = ROLE_TABLES[app]?.[short]
  if (known) return known
  const method = short.includes('|') ? short.slice(short.indexOf('|') + 1) : short
  if (/^(share|removeShare|delete|remove)/i.test(method)) return 'manager'
  if (/^(create|update|submit|persist)/i.test(method)) return 'contrib'
  if (/^comment/i.test(method) || /Comment$/.test(method)) return 'comment'
  if (/^publish/i.test(method)) return 'publish'
  return 'read'
}

interface RecipientActions {
  kind: ShareKind
  entId: string
  actions: Set<string>
  explicit: boolean
}

function collect(entries: unknown, explicit: boolean, into: Map<string, RecipientActions>): void {
  if (!Array.isArray(entries)) return
  for (const entry of entries) {
    if (!entry || typeof entry !== 'object') continue
    const record = entry as Record<string, unknown>
    const kind: ShareKind | null = typeof record.userId === 'string' ? 'user' : typeof record.groupId === 'string' ? 'group' : null
    if (!kind) continue
    const entId = (kind === 'user' ? record.userId : record.groupId) as string
    const key = `${kind}:${entId}`
    const recipient = into.get(key) ?? { kind, entId, actions: new Set<string>(), explicit }
    recipient.explicit = recipient.explicit || explicit
    for (const [name, value] of Object.entries(record)) {
      if (name !== 'userId' && name !== 'groupId' && value === true) recipient.actions.add(name)
    }
    into.set(key, recipient)
  }
}

/**
 * Normalises a resource's `shared` (explicit) and `inheritedShares` (effective, workspace)
 * arrays into one grant per recipient, leaving out the exporting user.
 */
export function normaliseShares(app: string, resourceId: string, shared: unknown, inheritedShares: unknown, exportingUserId: string | null): ShareGrant[] {
  if (!(Array.isArray(shared) && shared.length > 0) && !(Array.isArray(inheritedShares) && inheritedShares.length > 0)) return []
  const recipients = new Map<string, RecipientActions>()
  collect(shared, true, recipients)
  collect(inheritedShares, false, recipients)
  const grants: ShareGrant[] = []
  for (const recipient of recipients.values()) {
    if (recipient.kind === 'user' && recipient.entId === exportingUserId) continue
    const actions = [...recipient.actions].sort()
    let role: ShareRole = 'read'
    for (const action of actions) {
      const candidate = roleOfAction(app, action)
      if (STRENGTH[candidate] > STRENGTH[role]) role = candidate
    }
    grants.push({ app, resourceId, kind: recipient.kind, entId: recipient.entId, role, actions, inherited: !recipient.explicit })
  }
  return grants
}

/** `kind:id` and the granted actions of one share entry, or null when it names nobody. */
function entrySignature(entry: unknown): string | null {
  if (!entry || typeof entry !== 'object') return null
  const record = entry as Record<string, unknown>
  const who = typeof record.userId === 'string' ? `user:${record.userId}` : typeof record.groupId === 'string' ? `group:${record.groupId}` : null
  if (!who) return null
  const actions = Object.entries(record).filter(([name, value]) => name !== 'userId' && name !== 'groupId' && value === true).map(([name]) => name).sort()
  return `${who}|${actions.join(',')}`
}

/**
 * The share entries a workspace node holds itself. The ENT copies a folder's effective shares
 * into every child's `inheritedShares` (entcore common/folders/impl/InheritShareComputer:
 * the child's own `shared` followed by the parent's `inheritedShares`), so an entry the parent folder already has belongs to the
 * folder: left out here, the folder's pending share covers its children. What remains are the
 * child's own grants.
 */
export function sharesBeyondParent(shared: unknown, inheritedShares: unknown, parentInheritedShares: unknown): { shared: unknown[]; inheritedShares: unknown[] } {
  const fromParent = new Set<string>()
  if (Array.isArray(parentInheritedShares)) {
    for (const entry of parentInheritedShares) {
      const signature = entrySignature(entry)
      if (signature) fromParent.add(signature)
    }
  }
  const keep = (entries: unknown): unknown[] => (Array.isArray(entries) ? entries.filter(e => { const s = entrySignature(e); return s !== null && !fromParent.has(s) }) : [])
  return { shared: keep(shared), inheritedShares: keep(inheritedShares) }
}
