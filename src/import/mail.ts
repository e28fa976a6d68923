/**
 * Messagerie → `.eml`: one RFC 822 message per ENT mail, built by nodemailer's MailComposer,
 * with its attachments streamed from the archive into the message (never held whole).
 * ENT users have no e-mail address in the archive: they are written as
 * `"Display Name" <ent-id@ent.invalid>` (the reserved `.invalid` domain), which keeps the
 * names readable and the ids for the "Share again" page. Recipients the ENT removed since
 * keep only their name: `"Name" <deleted@ent.invalid>`.
 *
 * Images the body shows from the workspace become parts of the message (multipart/related,
 * `cid:` in the HTML); documents it only links are attached. A missing image leaves a note
 * in the body (the planner reports it as a failed item).
 */
import { createHash } from 'crypto'
import { Readable } from 'stream'
import MailComposer from 'nodemailer/lib/mail-composer'
import type Mail from 'nodemailer/lib/mailer'
import fr from '../../locales/fr.json'
import type { AttachmentRef, EntArchive, EntPerson, MailMessage } from '../ent/node'
import { baseName, withoutDocumentId } from './names'
import { sanitizeEntHtml } from './html'
import { escapeHtml } from '../text/escape-html'

/** The import writes the Cozy's content in French (folder names too, see plan.ts). */
const TEXTS = fr.entMail
const DELETED = 'deleted@ent.invalid'
/** Marks, in the sanitised HTML, an image whose document is missing (replaced by a note). */
const MISSING = 'missing-'

function interpolate(text: string, values: Record<string, string>): string {
  return text.replace(/%\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole)
}

/**
 * Groups without a display name of their own are named `<scope>-<Profile>` (a class, a
 * school, a community); the ENT words them from the profile (entcore common UserUtils.groupDisplayName).
 */
export function recipientName(name: string): string {
  const at = name.lastIndexOf('-')
  if (at <= 0) return name
  const label = (TEXTS.groups as Record<string, string>)[name.slice(at + 1)]
  return label ? interpolate(label, { scope: name.slice(0, at).trim() }) : name
}

/** An id the archive names nowhere keeps its address (the id) with a name saying so. */
function address(person: EntPerson, names: ReadonlyMap<string, string>, unknown: string): Mail.Address {
  const local = person.entId.replace(/[^A-Za-z0-9._-]/g, '_') || 'unknown'
  const name = person.name ?? names.get(person.entId)
  return { name: name ? recipientName(name) : unknown, address: `${local}@ent.invalid` }
}

function removed(name: string): Mail.Address {
  return { name: recipientName(name), address: DELETED }
}

function messageId(entId: string): string {
  return `<${entId.replace(/[^A-Za-z0-9.-]/g, '')}@ent.invalid>`
}

/** The name a workspace document of a mail is known by. */
export function documentName(ref: AttachmentRef): string {
  return ref.name ?? (ref.file ? withoutDocumentId(baseName(ref.file.path)) : ref.documentId)
}

interface Body {
  html: string
  /** Documents shown as images, found in the archive (parts of the message). */
  inline: AttachmentRef[]
  /** Documents linked only, found in the archive (attached). */
  linked: AttachmentRef[]
  /** Documents shown as images but missing from the archive. */
  missing: AttachmentRef[]
  /** Documents linked only and missing from the archive (the link is dropped). */
  missingLinks: AttachmentRef[]
}

/** The sanitised HTML with workspace images pointing to the message's own parts. */
export function mailBody(message: MailMessage): Body {
  const refs = new Map(message.documents.map(d => [d.documentId.toLowerCase(), d]))
  const inline = new Map<string, AttachmentRef>()
  const linked = new Map<string, AttachmentRef>()
  const missing = new Map<string, AttachmentRef>()
  const missingLinks = new Map<string, AttachmentRef>()
  const html = sanitizeEntHtml(
    message.html,
    (id, tag) => {
      const ref = refs.get(id) ?? { documentId: id, file: null, name: null, contentType: null }
      if (tag === 'img') {
        if (!ref.file) {
          missing.set(id, ref)
          return `cid:${MISSING}${cidOf(id)}`
        }
        inline.set(id, ref)
        return `cid:${cidOf(id)}`
      }
      if (ref.file) linked.set(id, ref)
      else missingLinks.set(id, ref)
      return null
    },
    ['cid']
  )
  // The note takes the missing image's place (the sanitiser escapes `>` inside attribute values).
  const noted = html.replace(new RegExp(`<img\\b[^>]*\\bsrc="cid:${MISSING}([^"@]+)@ent\\.invalid"[^>]*>`, 'g'), (_whole, id: string) => {
    const ref = missing.get(id)
    return `<em>${escapeHtml(interpolate(TEXTS.missingImage, { name: ref ? documentName(ref) : id }))}</em>`
  })
  return {
    html: noted,
    inline: [...inline.values()],
    linked: [...linked.values()].filter(ref => !inline.has(ref.documentId.toLowerCase())),
    missing: [...missing.values()],
    missingLinks: [...missingLinks.values()].filter(ref => !missing.has(ref.documentId.toLowerCase()))
  }
}

function cidOf(documentId: string): string {
  return `${documentId.toLowerCase()}@ent.invalid`
}

/** In-Reply-To the parent; References the thread's first message and the parent (the ids the archive gives). */
function threading(message: MailMessage): Pick<Mail.Options, 'inReplyTo' | 'references'> {
  const references = [message.threadId, message.parentId].filter((id): id is string => !!id && id !== message.entId)
  return {
    inReplyTo: message.parentId && message.parentId !== message.entId ? messageId(message.parentId) : undefined,
    references: references.length ? [...new Set(references)].map(messageId) : undefined
  }
}

/**
 * MailComposer options for an ENT message; attachments read from the archive when sent. The
 * MIME boundary and the date are derived from the message, so the same archive always gives
 * the same bytes (a resumed import and an uninterrupted one write identical files).
 */
export function mailOptions(message: MailMessage, archive: EntArchive): Mail.Options & { baseBoundary: string } {
  const names = archive.names
  const body = mailBody(message)
  const attachments: Mail.Attachment[] = []
  for (const attachment of message.attachments) {
    if (!attachment.file) continue
    const file = attachment.file
    attachments.push({
      filename: attachment.name,
      contentType: attachment.contentType ?? undefined,
      content: Readable.from(archive.openFile(file))
    })
  }
  for (const ref of body.inline) {
    const file = ref.file as NonNullable<AttachmentRef['file']>
    attachments.push({ filename: documentName(ref), contentType: ref.contentType ?? undefined, cid: cidOf(ref.documentId), contentDisposition: 'inline', content: Readable.from(archive.openFile(file)) })
  }
  for (const ref of body.linked) {
    const file = ref.file as NonNullable<AttachmentRef['file']>
    attachments.push({ filename: documentName(ref), contentType: ref.contentType ?? undefined, content: Readable.from(archive.openFile(file)) })
  }
  const from = message.from ? address(message.from, names, TEXTS.unknownSender) : message.removed.from ? removed(message.removed.from) : undefined
  const recipient = (p: EntPerson): Mail.Address => address(p, names, TEXTS.unknownRecipient)
  return {
    from,
    to: [...message.to.map(recipient), ...message.removed.to.map(removed)],
    cc: [...message.cc.map(recipient), ...message.removed.cc.map(removed)],
    bcc: [...message.bcc.map(recipient), ...message.removed.bcc.map(removed)],
    subject: message.subject,
    date: message.date ?? archive.exportedAt ?? new Date(0),
    baseBoundary: createHash('sha256').update(message.entId).digest('hex').slice(0, 16),
    messageId: messageId(message.entId),
    ...threading(message),
    html: body.html,
    headers: { 'X-ENT-Id': message.entId, ...(message.state ? { 'X-ENT-State': message.state } : {}) },
    attachments
  }
}

/** The `.eml` bytes of a message, as a stream (attachments are pulled from the archive as it is read). */
export function emlStream(message: MailMessage, archive: EntArchive): AsyncIterable<Uint8Array> {
  const node = new MailComposer(mailOptions(message, archive)).compile()
  // MailComposer leaves Bcc out (it builds messages to send); a kept mail keeps it.
  node.keepBcc = true
  return node.createReadStream() as unknown as AsyncIterable<Uint8Array>
}

/** Attachments whose binary the archive lacks (named in the report). */
export function missingAttachments(message: MailMessage): string[] {
  return message.attachments.filter(a => !a.file).map(a => a.name)
}

/** Documents the body shows (images: the mail says so) or links whose copy the archive lacks. */
export function missingDocuments(message: MailMessage): { images: AttachmentRef[]; links: AttachmentRef[] } {
  const body = mailBody(message)
  return { images: body.missing, links: body.missingLinks }
}
