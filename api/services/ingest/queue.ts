import { getTableColumns } from 'drizzle-orm'
import { z } from 'zod'
import { events } from '../../../schema/db'
import { ApiError, errorSummary } from '../../core/errors'
import type { EventWriter, StoredEvent, Written } from '../../ports/events'
import type { Services } from '../index'
import { mirror } from './mirror'
import { storeEvents } from './writer'

/**
 * Ingest through a Cloudflare Queue, for Workers: the request's rows are sent to the queue (the durable step)
 * and a consumer stores them with the same idempotent `storeEvents` as every other writer. Delivery is at least
 * once; storing is once per event id, so a redelivered message or a resent batch stores nothing twice.
 */

type ContentType = 'text' | 'bytes' | 'json' | 'v8'

/** What ingest uses of a queue producer binding (`Queue` in @cloudflare/workers-types). */
export interface QueueProducer {
  send(body: unknown, options?: { contentType?: ContentType }): Promise<unknown>
  sendBatch(messages: Iterable<{ body: unknown; contentType?: ContentType }>): Promise<unknown>
}

/** What the consumer uses of a delivered message (`Message`) and of its batch (`MessageBatch`). */
export interface QueuedMessage {
  readonly id: string
  readonly body: unknown
  /** Deliveries so far, this one included (1 the first time). */
  readonly attempts: number
  ack(): void
  retry(options?: { delaySeconds?: number }): void
}
export interface QueuedBatch {
  readonly messages: readonly QueuedMessage[]
}

/**
 * Cloudflare's limits (1 KB is 1,000 bytes): a message at most 128 KB and a `sendBatch` at most 100 messages
 * and 256 KB, each message's metadata (about 100 bytes) included. Messages are kept a little under.
 */
export const queueLimits = {
  messageBytes: 127_000,
  batchMessages: 100,
  batchBytes: 256_000,
  metadataBytes: 100,
} as const

/** The events columns that hold times: they travel as ISO strings and are revived as Dates. */
const timeColumns = Object.entries(getTableColumns(events))
  .filter(([, column]) => column.dataType === 'date')
  .map(([key]) => key)

/** One message: rows of one site. `v` names the format, so a consumer never misreads another version's. */
interface EventsMessage {
  v: 1
  siteId: string
  rows: Record<string, unknown>[]
}

const eventsMessage = z
  .object({
    v: z.literal(1),
    siteId: z.string(),
    rows: z.array(z.looseObject({ id: z.string(), siteId: z.string(), timestamp: z.iso.datetime() })).min(1),
  })
  .refine((message) => message.rows.every((row) => row.siteId === message.siteId))

function encodeRow(row: StoredEvent): Record<string, unknown> {
  const encoded: Record<string, unknown> = { ...row }
  for (const key of timeColumns) {
    const value = encoded[key]
    if (value instanceof Date) encoded[key] = value.toISOString()
  }
  return encoded
}

/** A message's site and rows with their times as Dates again, or undefined when it is not one of ours. */
export function decodeMessage(body: unknown): { siteId: string; rows: StoredEvent[] } | undefined {
  const parsed = eventsMessage.safeParse(body)
  if (!parsed.success) return undefined
  const rows = parsed.data.rows.map((row) => {
    const revived: Record<string, unknown> = { ...row }
    for (const key of timeColumns) {
      const value = revived[key]
      if (typeof value === 'string') revived[key] = new Date(value)
    }
    return revived as StoredEvent
  })
  return { siteId: parsed.data.siteId, rows }
}

const utf8 = new TextEncoder()
const byteLength = (text: string) => utf8.encode(text).length

export interface QueueWriterOptions {
  /** JSON bytes of one message at most. */
  maxMessageBytes?: number
  /** Messages in one `sendBatch` at most. */
  maxBatchMessages?: number
  /** Bytes of one `sendBatch` at most: its messages' JSON plus `metadataBytes` for each. */
  maxBatchBytes?: number
  /** Told of a send that failed (its request got 503). */
  onError?: (error: unknown) => void
}

/**
 * Sends each request's rows to the queue as JSON messages of one site, split to fit the size limits. The
 * answer comes once the queue has them: `stored` is every row sent (whether each is new is only known when
 * the consumer stores it) and `profiles` is empty (the consumer mirrors them). A failed send answers 503 with
 * Retry-After, which the SDK retries; messages already sent by then are stored once all the same.
 */
export class QueueWriter implements EventWriter {
  private readonly maxMessageBytes: number
  private readonly maxBatchMessages: number
  private readonly maxBatchBytes: number
  private readonly onError: (error: unknown) => void

  constructor(
    private readonly queue: QueueProducer,
    options: QueueWriterOptions = {},
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? queueLimits.messageBytes
    this.maxBatchMessages = options.maxBatchMessages ?? queueLimits.batchMessages
    this.maxBatchBytes = options.maxBatchBytes ?? queueLimits.batchBytes
    this.onError = options.onError ?? (() => {})
  }

  async write(siteId: string, rows: StoredEvent[]): Promise<Written> {
    const batches = this.batchesOf(this.messagesOf(siteId, rows))
    try {
      await Promise.all(
        batches.map((batch) =>
          batch.length === 1
            ? this.queue.send(batch[0]!.body, { contentType: 'json' })
            : this.queue.sendBatch(batch.map(({ body }) => ({ body, contentType: 'json' as const }))),
        ),
      )
    } catch (error) {
      this.onError(error)
      throw new ApiError(
        'unavailable',
        'Events could not be queued; retry',
        { retryAfter: 1 },
        { 'Retry-After': '1' },
      )
    }
    return { stored: rows, profiles: [], queued: true }
  }

  /**
   * Rows packed in order into as few messages as fit. The size is counted on the JSON the queue will send:
   * `{"v":1,"siteId":…,"rows":[` then each row's JSON, comma-separated. A row too large for a message on its
   * own is refused with 413 before anything is sent.
   */
  private messagesOf(siteId: string, rows: StoredEvent[]): { body: EventsMessage; bytes: number }[] {
    const envelopeBytes = byteLength(JSON.stringify({ v: 1, siteId, rows: [] } satisfies EventsMessage))
    const messages: { body: EventsMessage; bytes: number }[] = []
    let current: { body: EventsMessage; bytes: number } | undefined
    for (const row of rows) {
      const encoded = encodeRow(row)
      const rowBytes = byteLength(JSON.stringify(encoded))
      if (envelopeBytes + rowBytes > this.maxMessageBytes) {
        throw new ApiError(
          'payload_too_large',
          `Event ${row.id} is too large to queue: ${envelopeBytes + rowBytes} bytes as JSON, at most ${this.maxMessageBytes}`,
        )
      }
      if (current && current.bytes + 1 + rowBytes <= this.maxMessageBytes) {
        current.body.rows.push(encoded)
        current.bytes += 1 + rowBytes
      } else {
        current = { body: { v: 1, siteId, rows: [encoded] }, bytes: envelopeBytes + rowBytes }
        messages.push(current)
      }
    }
    return messages
  }

  /** Messages grouped in order into `sendBatch` calls within the count and byte limits. */
  private batchesOf<T extends { bytes: number }>(messages: T[]): T[][] {
    const batches: T[][] = []
    let current: T[] = []
    let bytes = 0
    for (const message of messages) {
      const size = message.bytes + queueLimits.metadataBytes
      if (
        current.length > 0 &&
        (current.length === this.maxBatchMessages || bytes + size > this.maxBatchBytes)
      ) {
        batches.push(current)
        current = []
        bytes = 0
      }
      current.push(message)
      bytes += size
    }
    if (current.length > 0) batches.push(current)
    return batches
  }

  async close(): Promise<void> {}
}

/** How long a message waits before its next delivery: 2 s after the first, doubling, at most 5 minutes. */
export const retryDelaySeconds = (attempts: number) => Math.min(300, 2 ** Math.max(1, attempts))

export interface ConsumerOptions {
  /** Rows in one transaction at most (whole messages at a time, always at least one). */
  maxRows?: number
}

interface Delivered {
  message: QueuedMessage
  rows: StoredEvent[]
}

/**
 * Stores a batch of queued messages: per site, whole messages up to `maxRows` in one transaction (rows in id
 * order, each id once, so two consumers sharing ids wait for each other instead of deadlocking), then mirrors
 * the newly stored rows and their profiles to the serving store. A message is acked once its rows are stored;
 * when the transaction fails, its messages are stored again one at a time, those that still fail are retried
 * with backoff, and after the consumer's `max_retries` they go to the dead letter queue. An unreadable message is retried too, so the dead letter queue keeps it.
 */
export async function consumeEvents(
  batch: QueuedBatch,
  services: Services,
  options: ConsumerOptions = {},
): Promise<void> {
  const maxRows = options.maxRows ?? 2_000
  const bySite = new Map<string, Delivered[]>()
  for (const message of batch.messages) {
    const decoded = decodeMessage(message.body)
    if (!decoded) {
      services.log.error('queued message is not an events message; retried until dead-lettered', {
        messageId: message.id,
      })
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) })
      continue
    }
    const delivered = { message, rows: decoded.rows }
    const site = bySite.get(decoded.siteId)
    if (site) site.push(delivered)
    else bySite.set(decoded.siteId, [delivered])
  }
  for (const [siteId, delivered] of bySite) {
    let group: Delivered[] = []
    let rows = 0
    for (const next of delivered) {
      if (group.length > 0 && rows + next.rows.length > maxRows) {
        await storeGroup(services, siteId, group)
        group = []
        rows = 0
      }
      group.push(next)
      rows += next.rows.length
    }
    await storeGroup(services, siteId, group)
  }
}

async function storeGroup(services: Services, siteId: string, group: Delivered[]): Promise<void> {
  const unique = new Map<string, StoredEvent>()
  for (const { rows } of group) for (const row of rows) if (!unique.has(row.id)) unique.set(row.id, row)
  const rows = [...unique.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  let written: Written
  try {
    written = await storeEvents(services.db, siteId, rows, services.now(), services.pipeline)
  } catch (error) {
    services.log.error('queued events not stored; retrying', {
      siteId,
      messages: group.length,
      ...errorSummary(error),
    })
    if (group.length === 1) {
      const { message } = group[0]!
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) })
      return
    }
    // Nothing of the group was stored: each message again on its own, so one the database refuses is the only
    // one retried (and, in the end, dead-lettered), never the site's other visitors' events with it.
    for (const delivered of group) await storeGroup(services, siteId, [delivered])
    return
  }
  for (const { message } of group) message.ack()
  await mirror(services, siteId, written.profiles, written.stored as StoredEvent[])
}
