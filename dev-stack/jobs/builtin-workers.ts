import type { WorkerDefinition } from './system'

const once = { timeoutSeconds: () => 60, maxExecCount: () => 1 }

/** The `log` worker (worker/log): writes its message to the server log. */
export const logWorker: WorkerDefinition = {
  type: 'log',
  ...once,
  run: async ({ job, runtime }) => {
    runtime.config.log(`[log worker] ${JSON.stringify(job.message)}`)
  }
}

interface SendmailMessage {
  mode?: string
  to?: { name?: string; email?: string }[]
  subject?: string
  parts?: { body?: string; type?: string }[]
  template_name?: string
  template_values?: Record<string, unknown>
}

/**
 * The `sendmail` worker (worker/mails): mode "noreply" writes to the instance's owner, mode
 * "from" to the given recipients; the mail goes to the outbox instead of SMTP.
 */
export const sendmailWorker: WorkerDefinition = {
  type: 'sendmail',
  timeoutSeconds: () => 60,
  maxExecCount: () => 3,
  run: async ({ job, instance, runtime }) => {
    const msg = (job.message ?? {}) as SendmailMessage
    const recipients = msg.mode === 'from' ? (msg.to ?? []).map(t => t.email ?? '').filter(Boolean) : [instance.state.email]
    if (recipients.length === 0) throw new Error('Missing recipient')
    const text = (msg.parts ?? []).map(p => p.body ?? '').join('\n\n') || JSON.stringify(msg.template_values ?? {})
    for (const to of recipients) {
      await runtime.outbox.send({
        instance: instance.domain,
        to,
        subject: msg.subject ?? msg.template_name ?? '',
        template: msg.template_name ?? 'sendmail',
        text,
        values: msg.template_values ?? {}
      })
    }
  }
}

/** Workers only the stack itself may use (job.WorkerIsReserved): pushing one is a 403. */
export const reservedWorkers: WorkerDefinition[] = ['thumbnail', 'trash-files', 'share-track', 'share-replicate', 'share-upload', 'share-group', 'notes-save', 'sms', 'migrations', 'clean-clients'].map(type => ({
  type,
  reserved: true,
  ...once,
  run: async () => undefined
}))
