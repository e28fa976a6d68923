/**
 * Messagerie → `.eml`: one RFC 822 message per ENT mail, built by nodemailer's MailComposer,
 * with its attachments streamed from the archive into the message (never held whole).
 * ENT users have no e-mail address in the archive: they are written as
 * `"Display Name" <ent-id@ent.invalid>` (the reserved `.invalid` domain), which keeps the
 * names readable and the ids for the "Share again" page.
 */
import { createHash } from 'crypto'
import { Readable } from 'stream'
import MailComposer from 'nodemailer/lib/mail-composer'
import type Mail from 'nodemailer/lib/mailer'
import type { EntArchive, EntPerson, MailMessage } from '../ent/node'
import { sanitizeEntHtml } from './html'

function address(person: EntPerson, names: ReadonlyMap<string, string>): Mail.Address {
  const local = person.entId.replace(/[^A-Za-z0-9._-]/g, '_') || 'unknown'
  return { name: person.name ?? names.get(person.entId) ?? person.entId, address: `${local}@ent.invalid` }
}

/**
 * MailComposer options for an ENT message; attachments read from the archive when sent. The
 * MIME boundary and the date are derived from the message, so the same archive always gives
 * the same bytes (a resumed import and an uninterrupted one write identical files).
 */
export function mailOptions(message: MailMessage, archive: EntArchive): Mail.Options & { baseBoundary: string } {
  const names = archive.names
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
  return {
    from: message.from ? address(message.from, names) : undefined,
    to: message.to.map(p => address(p, names)),
    cc: message.cc.map(p => address(p, names)),
    bcc: message.bcc.map(p => address(p, names)),
    subject: message.subject,
    date: message.date ?? archive.exportedAt ?? new Date(0),
    baseBoundary: createHash('sha256').update(message.entId).digest('hex').slice(0, 16),
    messageId: `<${message.entId.replace(/[^A-Za-z0-9.-]/g, '')}@ent.invalid>`,
    html: sanitizeEntHtml(message.html),
    headers: { 'X-ENT-Id': message.entId, ...(message.state ? { 'X-ENT-State': message.state } : {}) },
    attachments
  }
}

/** The `.eml` bytes of a message, as a stream (attachments are pulled from the archive as it is read). */
export function emlStream(message: MailMessage, archive: EntArchive): AsyncIterable<Uint8Array> {
  const composer = new MailComposer(mailOptions(message, archive))
  return composer.compile().createReadStream() as unknown as AsyncIterable<Uint8Array>
}

/** Attachments whose binary the archive lacks (named in the report). */
export function missingAttachments(message: MailMessage): string[] {
  return message.attachments.filter(a => !a.file).map(a => a.name)
}
