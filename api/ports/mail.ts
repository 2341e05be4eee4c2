import type { MailAttachment } from '../../schema/db'

export type { MailAttachment }

export interface MailMessage {
  to: string
  subject: string
  text: string
  from: string
  /** Files sent with it, as text (see `checkAttachments` for the limits). */
  attachments?: readonly MailAttachment[]
}

/** A mail's attachments: at most this many, this large together (UTF-8 bytes of their content). */
export const attachmentLimits = { count: 5, totalBytes: 256 * 1024, filename: 100, contentType: 100 } as const

const safeFilename = /^[\w.-]{1,100}$/
const mimeType = /^[a-z]+\/[\w.+-]+(;\s*[\w-]+=[\w.-]+)*$/i

/**
 * Throws a `TypeError` for attachments past the limits or with a name or type a mail header could not carry
 * as is: the product makes its own attachments, so one that fails here is a bug, never the visitor's input.
 */
export function checkAttachments(attachments: readonly MailAttachment[] | undefined): void {
  if (!attachments || attachments.length === 0) return
  if (attachments.length > attachmentLimits.count) throw new TypeError('too many attachments')
  let total = 0
  for (const file of attachments) {
    if (!safeFilename.test(file.filename)) throw new TypeError('an attachment name is letters, digits, . _ -')
    if (file.contentType.length > attachmentLimits.contentType || !mimeType.test(file.contentType)) {
      throw new TypeError('an attachment type is a MIME type')
    }
    total += new TextEncoder().encode(file.content).length
  }
  if (total > attachmentLimits.totalBytes) throw new TypeError('attachments too large')
}

/** The mail port: SMTP on Node, an HTTP provider on Workers, or none at all (the outbox). */
export interface Mailer {
  readonly transport: 'outbox' | 'smtp' | 'http'
  /** Resolves once the server took the message; rejects with a `MailError`, whose message holds no secret. */
  send(message: MailMessage): Promise<void>
}

/** A failed send, its message already stripped of credentials so it can be stored and logged. */
export class MailError extends Error {
  override name = 'MailError'
}

/** Development and tests: nothing leaves the process, every message waits in the outbox for the admin. */
export const outboxMailer: Mailer = { transport: 'outbox', send: async () => {} }

const maxErrorLength = 500

/** The message with every given secret (as written and URL-encoded) blanked out, cut to a storable length. */
export function scrub(message: string, secrets: (string | undefined)[]): string {
  let out = message
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***')
  }
  return out.replaceAll('\u0000', '').slice(0, maxErrorLength)
}
