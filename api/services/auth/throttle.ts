/**
 * Failed-login throttle: after `limit` failures for one key inside `windowMs`, further attempts are refused
 * until the window ends. In memory per instance; the decision-engine issue moves counters behind a KV port.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; resetAt: number }>()

  constructor(
    private readonly now: () => number,
    private readonly limit = 10,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfter(key: string): number {
    const entry = this.failures.get(key)
    if (!entry || entry.resetAt <= this.now()) return 0
    return entry.count >= this.limit ? Math.ceil((entry.resetAt - this.now()) / 1000) : 0
  }

  fail(key: string): void {
    const now = this.now()
    const entry = this.failures.get(key)
    if (!entry || entry.resetAt <= now) {
      if (this.failures.size > 100_000) this.failures.clear()
      this.failures.set(key, { count: 1, resetAt: now + this.windowMs })
    } else entry.count++
  }

  succeed(key: string): void {
    this.failures.delete(key)
  }
}
