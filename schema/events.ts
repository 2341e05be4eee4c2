import { z } from 'zod'
import { isStorableTime, limits, unstorableTimeMessage } from './limits'

const propValue = z.union([z.string().max(limits.propValue), z.number().finite(), z.boolean(), z.null()])

/** Names the SDK itself emits; any other name up to the limit is a custom (or Meta standard) event. */
export const builtinEventNames = ['impression', 'viewable', 'click', 'close', 'page', 'identify'] as const

export const eventName = z
  .string()
  .min(1)
  .max(limits.eventName)
  .regex(/^[A-Za-z0-9_.:\- ]+$/, 'letters, digits, space and _ . : - only')

/** ISO 8601 with its offset, in the years PostgreSQL stores (no year 0000): refused at its field, never by the database. */
const isoTimestamp = z.iso
  .datetime({ offset: true, abort: true })
  .refine(isStorableTime, unstorableTimeMessage)

export const eventItem = z.strictObject({
  id: z.uuid(),
  /** The page's own id for the event (an order id, say): the same id and name within 48 hours count once. */
  eventId: z.string().trim().min(1).max(100).optional(),
  name: eventName,
  timestamp: isoTimestamp,
  anonymousId: z.string().min(1).max(limits.id),
  sessionId: z.string().max(limits.id).optional(),
  userId: z.string().max(limits.id).optional(),
  campaignId: z.uuid().optional(),
  variantId: z.uuid().optional(),
  slot: z.string().max(limits.slot).optional(),
  url: z.string().max(limits.url).optional(),
  referrer: z.string().max(limits.url).optional(),
  props: z
    .record(z.string().max(limits.propKey), propValue)
    .refine((p) => Object.keys(p).length <= limits.props, `at most ${limits.props} props`)
    .optional(),
  value: z.number().finite().min(-1e12).max(1e12).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'ISO 4217 code like EUR')
    .optional(),
})
export type EventItem = z.infer<typeof eventItem>

/** The envelope is checked as a whole; each item is then checked alone so one bad item never sinks the rest. */
export const eventBatch = z.strictObject({
  site: z.string().min(1).max(limits.id),
  batch: z.array(z.unknown()).min(1).max(limits.batch),
  /** The sender's clock when it sent the batch: never stored, so any ISO 8601 time will do. */
  sentAt: z.iso.datetime({ offset: true }).optional(),
})

export interface BatchResult {
  accepted: number
  duplicates: number
  /** Events from a crawler or other bot (by User-Agent): answered, never stored. */
  filtered?: number
  rejected: { index: number; error: { code: string; message: string; details?: unknown } }[]
}

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A sender's event id as stored for deduplication: UUIDs in lower case (as PostgreSQL prints them), else as sent. */
export const dedupeId = (eventId: string) => (uuidShape.test(eventId) ? eventId.toLowerCase() : eventId)
