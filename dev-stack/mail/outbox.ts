import { promises as fs } from 'fs'
import path from 'path'

/** A mail the stack would have sent (the stack's "sendmail" worker with a template). */
export interface OutboxMail {
  id: string
  /** Domain of the instance that sent it (127.0.0.1:port). */
  instance: string
  to: string
  subject: string
  /** Template name, as in the stack's assets/mails (e.g. "archiver", "move_confirm"). */
  template: string
  text: string
  html?: string
  /** Links found in the mail (the export link, the move confirmation link, …), for tests. */
  links: string[]
  values: Record<string, unknown>
  sentAt: string
}

export type MailInput = Omit<OutboxMail, 'id' | 'sentAt' | 'links'> & { links?: string[] }

/**
 * Where mails go instead of SMTP: kept in memory and in `<data>/outbox.jsonl` (so they survive
 * a restart), readable at GET /dev/mails, and printed on the console when `print` is set.
 */
export class Outbox {
  private readonly mails: OutboxMail[] = []
  private counter = 0

  constructor(
    private readonly file: string | null,
    private readonly print: ((line: string) => void) | null
  ) {}

  async load(): Promise<void> {
    if (!this.file) return
    try {
      const lines = (await fs.readFile(this.file, 'utf8')).split('\n').filter(Boolean)
      for (const line of lines) this.mails.push(JSON.parse(line) as OutboxMail)
      this.counter = this.mails.length
    } catch {
      // no outbox yet
    }
  }

  async send(input: MailInput): Promise<OutboxMail> {
    this.counter += 1
    const links = input.links ?? [...new Set(input.text.match(/https?:\/\/[^\s"'<>)]+/g) ?? [])]
    const mail: OutboxMail = { ...input, links, id: `mail-${this.counter}`, sentAt: new Date().toISOString() }
    this.mails.push(mail)
    if (this.file) {
      await fs.mkdir(path.dirname(this.file), { recursive: true })
      await fs.appendFile(this.file, JSON.stringify(mail) + '\n')
    }
    this.print?.(`[mail] ${mail.instance} → ${mail.to}: ${mail.subject}\n${mail.text}\n`)
    return mail
  }

  /** Every mail sent so far, oldest first; optionally only those of one instance domain. */
  list(instanceDomain?: string): OutboxMail[] {
    return this.mails.filter(m => !instanceDomain || m.instance === instanceDomain)
  }

  clear(): void {
    this.mails.length = 0
  }
}
