import { eq, sql } from 'drizzle-orm'
import type { Transporter } from 'nodemailer'
import { mailOutbox } from '../../../schema/db'
import type { Db } from '../../ports/database'
import type { Logger } from '../../ports/deps'

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
function scrub(message: string, secrets: (string | undefined)[]): string {
  let out = message
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***')
  }
  return out.replaceAll('\u0000', '').slice(0, maxErrorLength)
}

export interface SmtpOptions {
  /** Ceiling of each SMTP step (connect, greeting, an idle socket), in ms. Default 10 s. */
  timeoutMs?: number
}

/**
 * SMTP through nodemailer, for Node. `url` is `smtp://user:pass@host:587` (STARTTLS when offered) or
 * `smtps://…:465`. Nodemailer is imported on the first send, so a bundle that never sends by SMTP (the Worker)
 * never evaluates it.
 */
export class SmtpMailer implements Mailer {
  readonly transport = 'smtp'
  private transporter: Promise<Transporter> | undefined
  private readonly password: string | undefined

  constructor(
    private readonly url: string,
    private readonly options: SmtpOptions = {},
  ) {
    const parsed = new URL(url)
    if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
      throw new TypeError('the SMTP URL must start with smtp:// or smtps://')
    }
    this.password = parsed.password ? decodeURIComponent(parsed.password) : undefined
  }

  private connect(): Promise<Transporter> {
    const timeout = this.options.timeoutMs ?? 10_000
    this.transporter ??= import('nodemailer').then(
      ({ createTransport }) =>
        createTransport({
          url: this.url,
          connectionTimeout: timeout,
          greetingTimeout: timeout,
          socketTimeout: timeout,
        }),
      (error: unknown) => {
        this.transporter = undefined
        throw error
      },
    )
    return this.transporter
  }

  async send(message: MailMessage): Promise<void> {
    try {
      const transporter = await this.connect()
      await transporter.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      })
    } catch (error) {
      throw new MailError(scrub(describeSmtpError(error), [this.password]))
    }
  }
}

function describeSmtpError(error: unknown): string {
  if (!(error instanceof Error)) return 'SMTP send failed'
  const { code, responseCode } = error as { code?: unknown; responseCode?: unknown }
  const label = [
    typeof code === 'string' ? code : undefined,
    typeof responseCode === 'number' ? responseCode : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' ')
  return label ? `${label}: ${error.message}` : error.message
}

export interface HttpMailerOptions {
  /** The provider's API origin; Resend's by default. `POST {baseUrl}/emails` sends one message. */
  baseUrl?: string
  apiKey: string
  fetch?: typeof fetch
  /** Default 10 s. */
  timeoutMs?: number
}

/** A Resend-compatible HTTP mail API, for Workers (no sockets needed): JSON `{from, to, subject, text}`. */
export class HttpMailer implements Mailer {
  readonly transport = 'http'
  private readonly endpoint: string

  constructor(private readonly options: HttpMailerOptions) {
    const base = new URL(options.baseUrl ?? 'https://api.resend.com')
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new TypeError('the mail API URL must be http(s)')
    }
    this.endpoint = `${base.toString().replace(/\/+$/, '')}/emails`
  }

  async send(message: MailMessage): Promise<void> {
    const fetchImpl = this.options.fetch ?? fetch
    let response: Response
    try {
      response = await fetchImpl(this.endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          from: message.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        redirect: 'manual',
      })
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'request failed'
      throw new MailError(scrub(reason, [this.options.apiKey]))
    }
    if (response.ok) {
      await response.body?.cancel()
      return
    }
    const detail = (await response.text().catch(() => '')).slice(0, 200)
    throw new MailError(scrub(`HTTP ${response.status}${detail ? `: ${detail}` : ''}`, [this.options.apiKey]))
  }
}

export interface OutgoingMail {
  siteId: string
  leadId?: string | null
  to: string
  subject: string
  text: string
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
  const live = mailer && mailer.transport !== 'outbox' ? mailer : undefined
  const [row] = await db
    .insert(mailOutbox)
    .values({
      siteId: mail.siteId,
      leadId: mail.leadId ?? null,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
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
