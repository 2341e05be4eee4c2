export interface MailMessage {
  to: string
  subject: string
  text: string
  from: string
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
