import type { Transporter } from 'nodemailer'
import type { MailMessage } from '../ports/mail'
import { MailError, type Mailer, scrub } from '../ports/mail'

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
        ...(message.attachments?.length
          ? {
              attachments: message.attachments.map((file) => ({
                filename: file.filename,
                contentType: file.contentType,
                content: file.content,
              })),
            }
          : {}),
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

/**
 * A Resend-compatible HTTP mail API, for Workers (no sockets needed): JSON `{from, to, subject, text}`, and
 * `attachments` as `{filename, content (base64), content_type}`.
 */
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
          ...(message.attachments?.length
            ? {
                attachments: message.attachments.map((file) => ({
                  filename: file.filename,
                  content: base64(file.content),
                  content_type: file.contentType,
                })),
              }
            : {}),
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

/** UTF-8 text as base64, with what both Node and Workers have (no Buffer). */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}
