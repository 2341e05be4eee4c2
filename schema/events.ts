import { z } from 'zod'
import { isStorableTime, limits, unstorableTimeMessage } from './limits'

const propValue = z.union([z.string().max(limits.propValue), z.number().finite(), z.boolean(), z.null()])

/** Lines a commerce event's `contents` holds at most. */
export const maxContentLines = 50

/**
 * One line of a commerce event's `contents`, as Meta's pixel and Conversions API write it: the product's id (SKU),
 * how many, and the unit price when known. The same shape whether the page or the shop's server sent it.
 */
export const contentLine = z.strictObject({
  id: z.string().trim().min(1).max(100),
  quantity: z.number().int().min(1).max(10_000),
  item_price: z.number().finite().min(0).max(1e9).optional(),
})
export type ContentLine = z.infer<typeof contentLine>
export const eventContents = z.array(contentLine).min(1).max(maxContentLines)

type PropValue = z.infer<typeof propValue>
/** An event's props: flat values by name, and a commerce event's `contents` (the one prop that is a list). */
export type EventProps = { [name: string]: PropValue | ContentLine[] }

/**
 * An event's props: flat strings, finite numbers, booleans and nulls by name, and a commerce event's `contents`
 * (`AddToCart`, `Purchase`…), checked line by line so a bad line is refused at its path (`props.contents.1.quantity`).
 */
const eventProps = z
  .record(z.string().max(limits.propKey), z.union([propValue, z.array(z.unknown())]))
  .refine((p) => Object.keys(p).length <= limits.props, `at most ${limits.props} props`)
  .superRefine((props, ctx) => {
    for (const [key, value] of Object.entries(props)) {
      if (key === 'contents' && !Array.isArray(value)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'a list of {id, quantity, item_price}' })
        continue
      }
      if (!Array.isArray(value)) continue
      if (key !== 'contents') {
        ctx.addIssue({ code: 'custom', path: [key], message: 'only `contents` may be a list' })
        continue
      }
      const lines = eventContents.safeParse(value)
      if (lines.success) continue
      for (const issue of lines.error.issues) {
        ctx.addIssue({ code: 'custom', path: [key, ...issue.path], message: issue.message })
      }
    }
  })
  .transform((props) => props as EventProps)

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
  props: eventProps.optional(),
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
