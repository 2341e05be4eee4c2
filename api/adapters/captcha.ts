import type { CaptchaVerifier } from '../ports/captcha'
export const turnstileUrl = 'https://challenges.cloudflare.com/turnstile/v0/siteverify'

export interface TurnstileOptions {
  /** The widget's secret key (TURNSTILE_SECRET_KEY). */
  secret: string
  /** Another siteverify endpoint (a test server, a proxy); default Cloudflare's. */
  url?: string
  fetch?: typeof fetch
  timeoutMs?: number
}

/**
 * Cloudflare Turnstile's siteverify. The visitor's IP is optional there and not sent: the token alone is checked.
 * A token is good once, so a retried submit needs a fresh one from the widget.
 */
export class TurnstileVerifier implements CaptchaVerifier {
  private readonly url: string
  private readonly fetch: typeof fetch

  constructor(private readonly options: TurnstileOptions) {
    this.url = options.url ?? turnstileUrl
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init))
  }

  async verify(token: string): Promise<boolean> {
    const response = await this.fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ secret: this.options.secret, response: token }).toString(),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
    })
    if (!response.ok) throw new Error(`captcha verifier answered ${response.status}`)
    const answer = (await response.json()) as { success?: unknown }
    return answer.success === true
  }
}
