import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { and, asc, eq, inArray, lte } from 'drizzle-orm'
import { webhookDeliveries, webhooks } from '../../../schema/db'
import { noWebhookFetch, type WebhookFetch } from '../../core/webhook-destination'
import type { Db } from '../../ports/database'
import type { Logger } from '../../ports/log'
import { safeEqual } from '../auth/keys'
import type { Services } from '../index'
import type { FollowUpDeps, LeadEvent, WebhookEventType } from './types'

export const maxWebhooksPerSite = 10
/** A delivery is tried at most this many times, then it is `failed`. */
export const maxAttempts = 6
/** The wait after the first failed attempt; it doubles after each further one (30 s, 1, 2, 4, 8 min). */
export const retryBaseMs = 30_000
export const deliveryTimeoutMs = 5_000
/** A claimed delivery is left alone by other runners this long (well past the timeout), then is due again. */
const leaseMs = 60_000

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: what `Promo-Signature` carries. */
export function signatureHeader(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000)
  return `t=${t},v1=${signatureOf(secret, t, body)}`
}

const signatureOf = (secret: string, t: number, body: string) =>
  bytesToHex(hmac(sha256, utf8ToBytes(secret), utf8ToBytes(`${t}.${body}`)))

/**
 * For receivers: true when `header` (the `Promo-Signature` value) signs this exact raw `body` with `secret`
 * and its timestamp is within `toleranceSeconds` of `nowMs`. Any of several `v1` values may match (a receiver
 * rotating secrets can be sent both).
 */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowMs: number = Date.now(),
  toleranceSeconds = 300,
): boolean {
  let t: number | undefined
  const signatures: string[] = []
  for (const part of header.split(',')) {
    const equals = part.indexOf('=')
    if (equals < 0) continue
    const key = part.slice(0, equals).trim()
    const value = part.slice(equals + 1).trim()
    if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value)
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value)
  }
  if (t === undefined || signatures.length === 0) return false
  if (Math.abs(nowMs / 1000 - t) > toleranceSeconds) return false
  const expected = signatureOf(secret, t, body)
  return signatures.some((signature) => safeEqual(signature, expected))
}

/** What a receiver gets: the event's id (the same for every webhook it goes to), its type and its data. */
function payloadOf(type: string, siteId: string, data: Record<string, unknown>, now: number) {
  return { id: crypto.randomUUID(), type, createdAt: new Date(now).toISOString(), siteId, data }
}

/** Pending deliveries, due now, for each of the site's active webhooks that takes this event. Their ids. */
export async function enqueueDeliveries(
  db: Db,
  event: LeadEvent,
  now: number = Date.now(),
): Promise<string[]> {
  const data = { lead: event.lead, submission: event.submission, campaign: event.campaign }
  return enqueueEvent(db, event.siteId, event.type, data, now)
}

/**
 * Pending deliveries of one event of any type (`lead.created`, `audience.changed`), due now, for each of the
 * site's active webhooks that takes it; their ids. Inside the caller's transaction when `db` is one.
 */
export async function enqueueEvent(
  db: Db,
  siteId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
  now: number,
): Promise<string[]> {
  const hooks = await db
    .select({ id: webhooks.id, events: webhooks.events })
    .from(webhooks)
    .where(and(eq(webhooks.siteId, siteId), eq(webhooks.active, 1)))
  const targets = hooks.filter((hook) => hook.events.includes(type))
  if (targets.length === 0) return []
  const payload = payloadOf(type, siteId, data, now)
  const at = new Date(now)
  const rows = await db
    .insert(webhookDeliveries)
    .values(
      targets.map((hook) => ({
        webhookId: hook.id,
        siteId,
        event: type,
        payload,
        status: 'pending' as const,
        nextAttemptAt: at,
        createdAt: at,
      })),
    )
    .returning({ id: webhookDeliveries.id })
  return rows.map((row) => row.id)
}

export interface DeliverOptions {
  /** Only these deliveries (the kick right after a lead); default: any that are due. */
  ids?: string[]
  /** Deliveries per run; default 50. */
  limit?: number
  timeoutMs?: number
  log?: Logger
}

export interface DeliveryRun {
  attempted: number
  succeeded: number
  retrying: number
  failed: number
}

/** When a delivery that has now failed `attempts` times is tried next, or null when it is given up. */
export function nextAttemptAfter(attempts: number, now: number): Date | null {
  return attempts >= maxAttempts ? null : new Date(now + retryBaseMs * 2 ** (attempts - 1))
}

/** The one way deliveries are sent: the runtime's guarded fetch, or, without one, a refusal of every try. */
export const webhookFetchOf = (deps: FollowUpDeps): WebhookFetch => deps.webhookFetch ?? noWebhookFetch

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string }

/**
 * What an admin reads of a failed try: the receiver's status, a timeout, or one "could not connect" for every
 * other failure (a refused address, a closed port, DNS, TLS), naming no address, so the delivery log cannot
 * map which hosts and ports answer.
 */
export const couldNotConnect = 'could not connect'

const isTimeout = (error: unknown) =>
  error instanceof Error &&
  (error.name === 'TimeoutError' || (error.cause instanceof Error && error.cause.name === 'TimeoutError'))

async function post(
  send: WebhookFetch,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<Outcome> {
  try {
    const response = await send(url, {
      method: 'POST',
      headers,
      body,
      // A redirect is an answer, not a new target: it counts as a failure and is not followed.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
    await response.body?.cancel().catch(() => {})
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status }
    return { ok: false, status: response.status, error: `HTTP ${response.status}` }
  } catch (error) {
    return {
      ok: false,
      status: null,
      error: isTimeout(error) ? `timed out after ${timeoutMs} ms` : couldNotConnect,
    }
  }
}

/**
 * Sends the deliveries that are due: each is claimed first (so concurrent runners never send one twice), then
 * POSTed with `Promo-Signature`, `Promo-Event` and `Promo-Delivery`. A 2xx answer is `succeeded`; anything else
 * is tried again after 30 s × 2^(attempts − 1), and after `maxAttempts` it is `failed`. The delivery log keeps
 * the last status and error.
 */
export async function deliverDue(
  db: Db,
  send: WebhookFetch,
  now: number,
  options: DeliverOptions = {},
): Promise<DeliveryRun> {
  const run: DeliveryRun = { attempted: 0, succeeded: 0, retrying: 0, failed: 0 }
  if (options.ids?.length === 0) return run
  const due = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        lte(webhookDeliveries.nextAttemptAt, new Date(now)),
        options.ids ? inArray(webhookDeliveries.id, options.ids) : undefined,
      ),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(options.limit ?? 50)
    .for('update', { skipLocked: true })
  const claimed = await db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: new Date(now + leaseMs) })
    .where(inArray(webhookDeliveries.id, due))
    .returning()
  if (claimed.length === 0) return run
  const hooks = await db
    .select({ id: webhooks.id, url: webhooks.url, secret: webhooks.secret })
    .from(webhooks)
    .where(
      inArray(
        webhooks.id,
        claimed.map((d) => d.webhookId),
      ),
    )
  const hookById = new Map(hooks.map((hook) => [hook.id, hook]))

  await Promise.all(
    claimed.map(async (delivery) => {
      const hook = hookById.get(delivery.webhookId)
      // Deleted meanwhile: its deliveries went with it.
      if (!hook) return
      run.attempted++
      const body = JSON.stringify(delivery.payload)
      const outcome = await post(
        send,
        hook.url,
        {
          'content-type': 'application/json',
          'user-agent': 'Promo-Webhooks/1',
          'promo-event': delivery.event,
          'promo-delivery': delivery.id,
          'promo-signature': signatureHeader(hook.secret, body, now),
        },
        body,
        options.timeoutMs ?? deliveryTimeoutMs,
      )
      const attempts = delivery.attempts + 1
      const next = outcome.ok ? null : nextAttemptAfter(attempts, now)
      const status = outcome.ok ? 'succeeded' : next ? 'pending' : 'failed'
      await db
        .update(webhookDeliveries)
        .set({
          status,
          attempts,
          nextAttemptAt: next,
          lastStatus: outcome.status,
          lastError: outcome.ok ? null : outcome.error,
          deliveredAt: outcome.ok ? new Date(now) : null,
        })
        // Only the claim this run holds: a delivery another runner has moved on since is left as it is.
        .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.attempts, delivery.attempts)))
      if (status === 'succeeded') run.succeeded++
      else if (status === 'pending') run.retrying++
      else {
        run.failed++
        options.log?.error('webhook delivery given up', {
          deliveryId: delivery.id,
          webhookId: hook.id,
          attempts,
          error: outcome.ok ? undefined : outcome.error,
        })
      }
    }),
  )
  return run
}

/**
 * Node: sends due deliveries every `intervalMs` (retries included) through the app's webhook fetch, the same
 * guard as first tries, one run at a time, without keeping the process alive. `stop()` ends it after the run
 * in flight.
 */
export function startWebhookRunner(services: Services, intervalMs = 10_000): { stop(): Promise<void> } {
  const send = webhookFetchOf(services.deps)
  let running: Promise<void> | undefined
  const tick = () => {
    if (running) return
    running = deliverDue(services.db, send, services.now(), { log: services.log })
      .then(
        () => {},
        (error) =>
          services.log.error('webhook deliveries not run', {
            error: error instanceof Error ? error.name : typeof error,
          }),
      )
      .finally(() => {
        running = undefined
      })
  }
  const timer = setInterval(tick, intervalMs)
  timer.unref?.()
  return {
    stop: async () => {
      clearInterval(timer)
      await running
    },
  }
}
