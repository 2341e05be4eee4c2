import { eq, sql } from 'drizzle-orm'
import { mailOutbox } from '../../../schema/db'
import type { Db } from '../../ports/database'
import type { Logger } from '../../ports/log'
import { checkAttachments, type MailAttachment, MailError, type Mailer, scrub } from '../../ports/mail'

export interface OutgoingMail {
  /** Null for the organization's own mail (a team invitation), which then names `organizationId`. */
  siteId: string | null
  organizationId?: string | null
  leadId?: string | null
  to: string
  subject: string
  text: string
  /** Kept on the outbox row and sent with the message; within `attachmentLimits` (api/ports/mail.ts). */
  attachments?: readonly MailAttachment[]
}

export interface SendMailOptions {
  from?: string
  now?: number
  log?: Logger
}

export const defaultMailFrom = 'Promo <no-reply@promo.invalid>'

/**
 * Writes the message to the outbox first, so it is never lost and the admin sees it, then hands it to the
 * mailer: `sent` or `failed` (with the reason, free of credentials). Without a mailer it stays `outbox`.
 * Never throws for a failed send: the failure is on the row.
 */
export async function sendMail(
  db: Db,
  mailer: Mailer | undefined,
  mail: OutgoingMail,
  options: SendMailOptions = {},
): Promise<{ id: string; status: 'outbox' | 'sent' | 'failed' }> {
  checkAttachments(mail.attachments)
  const attachments = mail.attachments?.length ? [...mail.attachments] : null
  const live = mailer && mailer.transport !== 'outbox' ? mailer : undefined
  const [row] = await db
    .insert(mailOutbox)
    .values({
      siteId: mail.siteId,
      organizationId: mail.organizationId ?? null,
      leadId: mail.leadId ?? null,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      attachments,
      status: live ? 'queued' : 'outbox',
      transport: live ? live.transport : 'outbox',
      ...(options.now === undefined ? {} : { createdAt: new Date(options.now) }),
    })
    .returning({ id: mailOutbox.id })
  const id = row!.id
  if (!live) return { id, status: 'outbox' }
  try {
    await live.send({
      from: options.from ?? defaultMailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(attachments ? { attachments } : {}),
    })
    await db
      .update(mailOutbox)
      .set({
        status: 'sent',
        attempts: sql`${mailOutbox.attempts} + 1`,
        lastError: null,
        sentAt: new Date(options.now ?? Date.now()),
      })
      .where(eq(mailOutbox.id, id))
    return { id, status: 'sent' }
  } catch (error) {
    const reason = error instanceof MailError ? error.message : 'send failed'
    await db
      .update(mailOutbox)
      .set({ status: 'failed', attempts: sql`${mailOutbox.attempts} + 1`, lastError: reason })
      .where(eq(mailOutbox.id, id))
    // The id names the row in the admin's outbox; the address and the text stay out of the log.
    options.log?.error('mail not sent', {
      mailId: id,
      transport: live.transport,
      error: scrub(reason, [mail.to]),
    })
    return { id, status: 'failed' }
  }
}
