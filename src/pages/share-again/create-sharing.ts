/**
 * `POST /sharings/` (docs/sharing.md) through cozy-client's SharingCollection.create:
 * re-creating ENT shares as a Cozy sharing. Read-only recipients go to `readOnlyRecipients`
 * (`read_only_recipients`), the others to `recipients`. Several documents make one sharing
 * with one rule each (model/sharing/rule.go ValidateRules allows many rules, but a files rule
 * with the id selector holds one value), so a recipient gets one invitation for everything
 * shared with them. The collection takes our `rules` as given (its own getSharingRules makes
 * the rules of one document only) and `openSharing`.
 */
import type CozyClient from 'cozy-client'
import { withStackErrors, type ErrorRule } from '../../stack-client/StackError'

export interface SharingMember {
  id: string
  doctype: 'io.cozy.contacts' | 'io.cozy.contacts.groups'
}

export interface SharedDocument {
  doctype: 'io.cozy.files' | 'io.cozy.calendar.events'
  id: string
  type: 'directory' | 'file' | 'event'
  title: string
}

export interface SharingRequest {
  description: string
  /** The shared document, or `documents` for several. */
  document?: SharedDocument
  documents?: SharedDocument[]
  readWrite: SharingMember[]
  readOnly: SharingMember[]
}

/**
 * contact.ErrNoMailAddress: POST /sharings/ returns it unwrapped, so the stack renders it as a
 * 500 "Unqualified error" (web/sharings/sharings.go CreateSharing, web/errors/errors.go); its
 * wrapErrors makes it a 422 on "recipients" elsewhere. The message tells them apart.
 */
const NO_MAIL_ADDRESS = /The contact has no email address/
const CREATE_RULES: ErrorRule[] = [
  { status: 500, detail: NO_MAIL_ADDRESS, key: 'shareAgain.errors.noEmail' },
  { status: 422, detail: NO_MAIL_ADDRESS, key: 'shareAgain.errors.noEmail' },
  { status: 403, key: 'shareAgain.errors.forbidden' }
]

/**
 * A folder is synced both ways. A file alone follows its updates and revokes the sharing when
 * removed (cozy-client's rules); among several, removing one must not revoke the others, so
 * its removal is synced. Folders come first, then files, then other doctypes: the recipient's
 * app is chosen by the first rule's doctype (docs/sharing.md "Intents"), and the recipient's
 * stack makes its sharing folder from the first files rule (model/sharing/files.go
 * CreateDirForSharing: that rule's title and first value), where the other roots then go.
 */
export function sharingRules(documents: SharedDocument | SharedDocument[]): Array<Record<string, unknown>> {
  const list = Array.isArray(documents) ? documents : [documents]
  const rank = (d: SharedDocument) => (d.type === 'directory' ? 0 : d.doctype === 'io.cozy.files' ? 1 : 2)
  const ordered = [...list].sort((a, b) => rank(a) - rank(b))
  const alone = ordered.length === 1
  return ordered.map(document => {
    const base = { title: document.title, doctype: document.doctype, values: [document.id] }
    if (document.type === 'directory') return { ...base, add: 'sync', update: 'sync', remove: 'sync' }
    return { ...base, update: 'sync', remove: alone ? 'revoke' : 'sync' }
  })
}

function requestDocuments(request: SharingRequest): SharedDocument[] {
  return [...(request.document ? [request.document] : []), ...(request.documents ?? [])]
}

/** What SharingCollection.create sends as members: `{ _id, _type }` become relationship items. */
const members = (list: SharingMember[]) => list.map(m => ({ _id: m.id, _type: m.doctype }))

/** The part of cozy-stack-client's SharingCollection used here (SharingCollection.js `create`). */
interface Sharings {
  create(params: {
    description: string
    rules: Array<Record<string, unknown>>
    recipients: Array<{ _id: string; _type: string }>
    readOnlyRecipients: Array<{ _id: string; _type: string }>
    openSharing: boolean
  }): Promise<{ data: { _id?: string; id?: string } }>
}

/** Creates the sharing and returns its id; the stack mails the invitations. */
export async function createSharing(client: CozyClient, request: SharingRequest): Promise<string> {
  const sharings = client.collection('io.cozy.sharings') as unknown as Sharings
  const { data } = await withStackErrors(
    () =>
      sharings.create({
        description: request.description,
        rules: sharingRules(requestDocuments(request)),
        recipients: members(request.readWrite),
        readOnlyRecipients: members(request.readOnly),
        openSharing: false
      }),
    CREATE_RULES
  )
  return data._id ?? data.id ?? ''
}
