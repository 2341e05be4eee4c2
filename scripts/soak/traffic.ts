/**
 * The soak's visitors: page views asking `/serve`, the SDK's event batches (page views, impressions and
 * viewable impressions of what serve answered, clicks, a conversion now and then) and lead form submits, each
 * from a browser, leads from many addresses. Event batches and leads refused with 429, 5xx or no answer are
 * sent again as the SDK sends them (the same body, so the same event ids) after Retry-After or a backoff,
 * until the run's drain deadline; every answer is handed to `record`.
 */
import { Agent, request } from 'node:http'

export type Kind = 'serve' | 'events' | 'leads'
export const kinds: Kind[] = ['serve', 'events', 'leads']
export type Status = number | 'timeout' | 'error'

export interface Outcome {
  kind: Kind
  status: Status
  /** Milliseconds from sending to the whole answer. */
  ms: number
  /** When the answer came, in milliseconds since the process started (performance.now()). */
  at: number
  retry: boolean
}

export interface Target {
  port: number
  publishableKey: string
  leadCampaignId: string
  leadVariantId: string
}

/** Shares of requests by kind (retries come on top). */
export const mix: Record<Kind, number> = { serve: 0.6, events: 0.35, leads: 0.05 }

const chrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const visitors = 20_000
const timeoutMs = 5_000

interface Shown {
  anonymousId: string
  campaignId: string
  variantId: string
  slot?: string
}

interface Answer {
  status: Status
  body: string
  retryAfterMs?: number
}

/**
 * Each visitor's own address (10.0.0.0/8), named by the trusted proxy header as a proxy in front would, so the
 * per-address rate limits count visitors as they would on a real site, not the load generator as one.
 */
const visitorAddress = (visitor: number) => ({
  'x-forwarded-for': `10.${(visitor >> 16) & 255}.${(visitor >> 8) & 255}.${visitor & 255}`,
})

export class Traffic {
  /** Event ids the server acknowledged (a 200 whose `rejected` does not name them). */
  readonly accepted = new Set<string>()
  /** Every event id sent, acknowledged or not. */
  readonly sent = new Set<string>()
  /** Lead answers 201: email → lead id. */
  readonly leads = new Map<string, string>()
  /** Event items the server rejected (a 200 naming them): none expected, the generator sends valid events. */
  rejectedItems = 0
  /** Batches and leads given up at the drain deadline, never acknowledged. */
  givenUp = { events: 0, leads: 0 }
  /** Deliveries (first attempt or retry) not finished. */
  open = 0
  /** First sends not answered yet: the open-loop scheduler sheds above a bound instead of queueing. */
  inFlight = 0
  /** A few unexpected answers, for the report. */
  readonly surprises: string[] = []
  /** Past this time (performance.now()), retries stop and what is not acknowledged is given up. */
  drainDeadline = Number.POSITIVE_INFINITY

  // Idle sockets are closed after 2 s, before the server's 5 s keep-alive timeout can close one under a request
  // just sent on it (a reset that says nothing about the server).
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 2_000 })
  private sequence = 0
  private leadSequence = 0
  private readonly shown: Shown[] = []
  private shownAt = 0
  private readonly runId = Date.now().toString(36)

  constructor(
    private readonly target: Target,
    public record: (outcome: Outcome) => void,
  ) {}

  /** One request of a kind picked by `mix`; resolves when its first answer came (retries go on behind). */
  async one(): Promise<void> {
    const r = Math.random()
    if (r < mix.serve) return this.serve()
    if (r < mix.serve + mix.events) return this.events()
    return this.lead()
  }

  close(): void {
    this.agent.destroy()
  }

  private async serve(): Promise<void> {
    const visitor = this.sequence++ % visitors
    const body = JSON.stringify({
      site: this.target.publishableKey,
      slots: ['home-hero', 'article-inline'],
      anonymousId: `soak-visitor-${visitor}`,
      sessionId: `soak-session-${visitor}`,
      context: { url: 'https://shop.example/', language: 'en' },
    })
    const answer = await this.send('serve', '/api/v1/serve', body, visitorAddress(visitor), false)
    // What was shown feeds the event batches that follow (impressions of real decisions).
    if (answer.status === 200 && visitor % 4 === 0) {
      try {
        const { decisions } = JSON.parse(answer.body) as { decisions: Omit<Shown, 'anonymousId'>[] }
        for (const d of decisions) {
          const shown = {
            anonymousId: `soak-visitor-${visitor}`,
            campaignId: d.campaignId,
            variantId: d.variantId,
          }
          this.shown[this.shownAt++ % 512] = d.slot ? { ...shown, slot: d.slot } : shown
        }
      } catch {
        this.surprise(`serve: unreadable answer ${answer.body.slice(0, 120)}`)
      }
    }
  }

  private async events(): Promise<void> {
    const n = this.sequence++
    const visitor = n % visitors
    const now = new Date().toISOString()
    const base = { timestamp: now, url: 'https://shop.example/products/boots' }
    const batch: Record<string, unknown>[] = [
      {
        ...base,
        id: crypto.randomUUID(),
        name: 'page',
        anonymousId: `soak-visitor-${visitor}`,
        sessionId: `soak-session-${visitor}`,
      },
    ]
    const seen = this.shown.length > 0 ? this.shown[n % this.shown.length] : undefined
    if (seen) {
      const about = { ...base, ...seen, sessionId: `soak-session-${seen.anonymousId.slice(13)}` }
      batch.push({ ...about, id: crypto.randomUUID(), name: 'impression' })
      batch.push({ ...about, id: crypto.randomUUID(), name: 'viewable' })
      if (n % 10 === 0) batch.push({ ...about, id: crypto.randomUUID(), name: 'click' })
    }
    if (n % 20 === 0) {
      batch.push({
        ...base,
        id: crypto.randomUUID(),
        name: 'AddToCart',
        anonymousId: `soak-visitor-${visitor}`,
        value: 19.9,
        currency: 'EUR',
      })
    }
    const ids = batch.map((e) => e.id as string)
    for (const id of ids) this.sent.add(id)
    const body = JSON.stringify({ site: this.target.publishableKey, batch, sentAt: now })
    await this.deliver('events', '/api/v1/events', body, visitorAddress(visitor), (answer) => {
      let rejected: { index: number }[] = []
      try {
        rejected = (JSON.parse(answer.body) as { rejected: { index: number }[] }).rejected
      } catch {
        this.surprise(`events: unreadable answer ${answer.body.slice(0, 120)}`)
        return
      }
      const refused = new Set(rejected.map((r) => r.index))
      if (refused.size > 0) {
        this.rejectedItems += refused.size
        this.surprise(`events: rejected ${answer.body.slice(0, 200)}`)
      }
      ids.forEach((id, index) => {
        if (!refused.has(index)) this.accepted.add(id)
      })
    })
  }

  private async lead(): Promise<void> {
    const n = this.leadSequence++
    const email = `soak-${this.runId}-${n}@example.com`
    // A new address per lead (198.18.0.0/15, the benchmarking range), named by the trusted proxy header.
    const address = `198.${18 + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`
    const body = JSON.stringify({
      site: this.target.publishableKey,
      campaignId: this.target.leadCampaignId,
      variantId: this.target.leadVariantId,
      fields: { email, first_name: 'Ada', company: 'Soak Ltd', job_title: 'Director', terms: true },
      anonymousId: `soak-visitor-${n % visitors}`,
      consent: { granted: true, text: 'Send me the guide and related news' },
      elapsedMs: 6_000,
      context: { url: 'https://shop.example/guide' },
    })
    await this.deliver('leads', '/api/v1/leads', body, { 'x-forwarded-for': address }, (answer) => {
      try {
        this.leads.set(email, (JSON.parse(answer.body) as { leadId: string }).leadId)
      } catch {
        this.surprise(`leads: unreadable answer ${answer.body.slice(0, 120)}`)
      }
    })
  }

  /**
   * Sends until acknowledged (2xx) or refused for good (another 4xx): a 429, a 5xx, a timeout or a broken
   * connection is retried with the same body. Resolves after the first attempt; retries run behind it.
   */
  private async deliver(
    kind: 'events' | 'leads',
    path: string,
    body: string,
    headers: Record<string, string>,
    acknowledged: (answer: Answer) => void,
  ): Promise<void> {
    this.open++
    const settle = (answer: Answer, attempt: number): boolean => {
      if (typeof answer.status === 'number' && answer.status < 300) {
        acknowledged(answer)
        return true
      }
      const retryable = typeof answer.status !== 'number' || answer.status === 429 || answer.status >= 500
      if (!retryable) {
        this.surprise(`${kind}: ${answer.status} ${answer.body.slice(0, 200)}`)
        return true
      }
      if (performance.now() > this.drainDeadline) {
        this.givenUp[kind]++
        return true
      }
      const backoff = Math.min(500 * 2 ** attempt, 8_000) * (0.5 + Math.random())
      const wait = answer.retryAfterMs ?? backoff
      setTimeout(() => {
        void this.send(kind, path, body, headers, true).then((next) => {
          if (settle(next, attempt + 1)) this.open--
        })
      }, wait)
      return false
    }
    const first = await this.send(kind, path, body, headers, false)
    if (settle(first, 0)) this.open--
  }

  private send(
    kind: Kind,
    path: string,
    body: string,
    headers: Record<string, string>,
    retry: boolean,
  ): Promise<Answer> {
    const started = performance.now()
    if (!retry) this.inFlight++
    return new Promise<Answer>((resolve) => {
      let done = false
      const finish = (answer: Answer) => {
        if (done) return
        done = true
        if (!retry) this.inFlight--
        const at = performance.now()
        this.record({ kind, status: answer.status, ms: at - started, at, retry })
        resolve(answer)
      }
      const req = request(
        {
          agent: this.agent,
          host: '127.0.0.1',
          port: this.target.port,
          method: 'POST',
          path,
          headers: {
            'content-type': 'text/plain',
            'user-agent': chrome,
            'content-length': Buffer.byteLength(body),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () => {
            const retryAfter = Number(res.headers['retry-after'])
            finish({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString(),
              ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
            })
          })
          res.on('error', () => finish({ status: 'error', body: '' }))
        },
      )
      req.setTimeout(timeoutMs, () => {
        finish({ status: 'timeout', body: '' })
        req.destroy()
      })
      req.on('error', (error) => {
        if (!done) this.surprise(`${kind}: ${String(error)}`)
        finish({ status: 'error', body: String(error) })
      })
      req.end(body)
    })
  }

  private surprise(text: string): void {
    if (this.surprises.length < 20) this.surprises.push(text)
  }
}
