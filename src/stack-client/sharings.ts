/**
 * `POST /sharings/` (docs/sharing.md): re-creating an ENT share as a Cozy sharing. Read-only
 * recipients go to `read_only_recipients`, the others to `recipients`; a folder is synced
 * both ways, a file follows its updates and is revoked on removal (cozy-client's rules).
 */
import type { StackFetcher } from './fetcher'
import { withStackErrors, type ErrorRule } from './StackError'
import { singleResource } from './jsonapi'

export interface SharingMember {
  id: string
  doctype: 'io.cozy.contacts' | 'io.cozy.contacts.groups'
}

export interface SharingRequest {
  description: string
  /** The shared document. */
  document: { doctype: 'io.cozy.files' | 'io.cozy.calendar.events'; id: string; type: 'directory' | 'file' | 'event'; title: string }
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

export function sharingRules(document: SharingRequest['document']): Array<Record<string, unknown>> {
  const base = { title: document.title, doctype: document.doctype, values: [document.id] }
  if (document.type === 'directory') return [{ ...base, add: 'sync', update: 'sync', remove: 'sync' }]
  return [{ ...base, update: 'sync', remove: 'revoke' }]
}

export function sharingBody(request: SharingRequest): Record<string, unknown> {
  const relation = (members: SharingMember[]) => ({ data: members.map(m => ({ id: m.id, type: m.doctype })) })
  const relationships: Record<string, unknown> = {}
  if (request.readWrite.length > 0) relationships.recipients = relation(request.readWrite)
  if (request.readOnly.length > 0) relationships.read_only_recipients = relation(request.readOnly)
  return {
    data: {
      type: 'io.cozy.sharings',
      attributes: { description: request.description, rules: sharingRules(request.document), open_sharing: false },
      relationships
    }
  }
}

export function sharingsApi(stack: StackFetcher) {
  return {
    /** Creates the sharing and returns its id; the stack mails the invitations. */
    async create(request: SharingRequest): Promise<string> {
      const body = await withStackErrors(() => stack.fetchJSON('POST', '/sharings/', sharingBody(request)), CREATE_RULES)
      return singleResource(body).id
    }
  }
}

export type SharingsApi = ReturnType<typeof sharingsApi>
