import { z } from 'zod'
import { httpUrl } from './campaign'
import { builtinEventNames } from './events'
import { limits } from './limits'

/**
 * Server-side conversions, shaped like Meta's Conversions API: a site's server posts what happened
 * (`{"data":[{event_name, event_time, event_id, action_source, user_data, custom_data}]}`) with its secret key.
 * A conversion sent both from the page and from the server, with the same event id and name within 48 hours
 * of each other, counts once. What Meta's Business SDKs send is taken as it is: the fields Promo reads are
 * checked, nulls are fields left out, and every other field is dropped unread, never refused.
 */

export const conversionLimits = {
  /** Events in one request, as Meta allows. */
  batch: 1_000,
  eventId: 100,
  /** Meta refuses events older than 7 days; so does Promo, which counts them by their own time. */
  maxAgeSeconds: 7 * 86_400,
  /** Clock skew allowed between the site's server and this one. */
  maxAheadSeconds: 5 * 60,
  /** Hashed emails, hashed phones or external ids per event. */
  matchKeys: 10,
  userAgent: 512,
  ipAddress: 64,
  contentIds: 50,
  contentId: 100,
  /** Lines of `contents`, as many as a page's `Promo.track` may send. */
  contents: 50,
  quantity: 10_000,
  /** Meta's click id cookie (`fb.1.<ms>.<fbclid>`) and browser id cookie (`fb.1.<ms>.<random>`). */
  cookieId: 500,
  testEventCode: 64,
} as const

export const actionSources = [
  'website',
  'app',
  'phone_call',
  'chat',
  'email',
  'physical_store',
  'system_generated',
  'business_messaging',
  'other',
] as const
export type ActionSource = (typeof actionSources)[number]

/** Meta's rule for emails: trim surrounding spaces and lower-case the whole address. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/**
 * Meta's rule for phone numbers: digits only (no symbols, spaces or letters) and no leading zeros, so
 * `+44 20 7946 0958` and `0044 (20) 7946-0958` are both `442079460958`. The country code must be in the number:
 * a national number such as `020 7946 0958` cannot be matched.
 */
export function normalizePhone(phone: string): string {
  return phone.replace(/\D/g, '').replace(/^0+/, '')
}

/** Lower-case hex SHA-256 of the UTF-8 text, as Meta expects `em` and `ph`; Web Crypto, so browsers, Node and Workers alike. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

const sha256Pattern = /^[0-9a-f]{64}$/

/** A SHA-256 hex digest, never the value itself: a plain address or number gets a message that says so. */
function hashOf(what: 'email' | 'phone', normalizer: string) {
  return z.string().superRefine((value, ctx) => {
    if (sha256Pattern.test(value)) return
    let message = 'must be a SHA-256 digest: 64 lower-case hex characters'
    if (/^[0-9A-Fa-f]{64}$/.test(value)) message = 'must be lower-case hex'
    else if (what === 'email' && value.includes('@'))
      message = `looks like a plain email address: send the SHA-256 of ${normalizer}(email), never the address`
    else if (what === 'phone' && /^[+\d\s().-]{5,}$/.test(value))
      message = `looks like a plain phone number: send the SHA-256 of ${normalizer}(phone), never the number`
    ctx.addIssue({ code: 'custom', message })
  })
}

/** Meta takes one value or a list for each match key; Promo always stores a list. */
const oneOrMany = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? [value] : value),
    z.array(item).min(1).max(conversionLimits.matchKeys),
  )

/**
 * Meta's match keys. The ones Promo uses are checked; any other (`fn`, `ln`, `ct`, `zp`, `ge`, `db`, `country`,
 * `madid`, `lead_id`…) is dropped unread, so a payload built for Meta needs no change.
 */
export const userData = z
  .object({
    em: oneOrMany(hashOf('email', 'normalizeEmail')).optional(),
    ph: oneOrMany(hashOf('phone', 'normalizePhone')).optional(),
    /** The site's own user id: the `userId` its pages pass to `Promo.identify`. */
    external_id: oneOrMany(z.string().min(1).max(limits.id)).optional(),
    client_ip_address: z.unknown().optional(),
    client_user_agent: z.string().max(conversionLimits.userAgent).optional(),
    /** The `_fbc` cookie (a Meta ad click), kept to attribute the purchase to the click's visit. */
    fbc: z.string().min(1).max(conversionLimits.cookieId).optional(),
    /** The `_fbp` cookie (the browser), kept to match the purchase to that browser's visits. */
    fbp: z.string().min(1).max(conversionLimits.cookieId).optional(),
  })
  // The IP address is accepted, so a payload built for Meta needs no change, and dropped here, unread, so no
  // code after validation can store it: it is personal data that counting and attribution do not need, and
  // Meta wants it unhashed, so no safe form of it could be kept either.
  .transform(({ client_ip_address: _dropped, ...kept }) => kept)
export type StoredUserData = z.output<typeof userData>

/** A line of Meta's `contents`, stored as `{id, quantity, item_price?}`: the shape page events store too. */
const contentLine = z
  .object({
    // Meta's SDKs send the id as text; some shops' own code sends a number.
    id: z
      .union([z.string(), z.number().int().min(0).transform(String)])
      .pipe(z.string().min(1).max(conversionLimits.contentId)),
    quantity: z.number().int().min(1).max(conversionLimits.quantity).default(1),
    item_price: z.number().finite().min(0).max(1e12).optional(),
  })
  .transform(({ id, quantity, item_price }) => ({
    id,
    quantity,
    ...(item_price === undefined ? {} : { item_price }),
  }))
export type ContentLine = z.output<typeof contentLine>

/**
 * What Promo reads of Meta's `custom_data` (and `promo_click_id`, its own); any other field (`content_type`, `content_name`, `num_items`,
 * `predicted_ltv`, custom properties…) is dropped unread.
 */
export const customData = z
  .object({
    value: z.number().finite().min(0).max(1e12).optional(),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'ISO 4217 code like EUR')
      .transform((code) => code.toUpperCase())
      .optional(),
    content_ids: z
      .array(z.string().min(1).max(conversionLimits.contentId))
      .max(conversionLimits.contentIds)
      .optional(),
    contents: z.array(contentLine).max(conversionLimits.contents).optional(),
    order_id: z.string().min(1).max(conversionLimits.eventId).optional(),
    /**
     * Promo's own: the id of the Promo click that led here (an app reads it from its install referrer), which
     * makes the event the clicking visitor's, so attribution credits the unit that was clicked.
     */
    promo_click_id: z.uuid('must be a Promo click id').optional(),
  })
  .refine((data) => data.value === undefined || data.currency !== undefined, {
    path: ['currency'],
    message: 'is required with value',
  })

/** A test event code as Meta's Events Manager gives one (`TEST12345`). */
export const testEventCode = z
  .string()
  .trim()
  .min(1)
  .max(conversionLimits.testEventCode)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')

const builtins: ReadonlySet<string> = new Set(builtinEventNames)

export const serverEventName = z
  .string()
  .min(1)
  .max(limits.eventName)
  .regex(/^[A-Za-z0-9_ ]+$/, 'letters, digits, space and _ only')
  .refine((name) => !builtins.has(name), 'is one of the events the SDK itself sends, not a conversion')

const eventTime = (now: number) => {
  const nowSeconds = Math.floor(now / 1000)
  return z
    .number()
    .int('must be whole seconds since the Unix epoch')
    .min(nowSeconds - conversionLimits.maxAgeSeconds, 'is more than 7 days old')
    .max(
      nowSeconds + conversionLimits.maxAheadSeconds,
      'is more than 5 minutes in the future (Unix seconds, not milliseconds)',
    )
}

/**
 * Meta's SDKs write every field they were not given as `null`: here, as everywhere in the conversions API, a
 * null is the field left out. Applied before parsing, to objects at any depth (a null inside a list stays).
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls)
  if (value === null || typeof value !== 'object') return value
  const kept: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) if (item !== null) kept[key] = withoutNulls(item)
  return kept
}

/**
 * One event of the batch, checked against the server's clock (`now`, in milliseconds). The fields Promo reads
 * are checked; Meta's others (`opt_out`, `data_processing_options*`, `app_data`, `original_event_data`,
 * `attribution_data`, `messaging_channel`…) are dropped unread. `test_event_code` on the event sends it to the
 * test view, as the batch's own does.
 */
export function serverEvent(now: number) {
  return z
    .object({
      event_name: serverEventName,
      event_time: eventTime(now),
      event_id: z.string().min(1).max(conversionLimits.eventId),
      action_source: z.enum(actionSources),
      event_source_url: httpUrl.optional(),
      user_data: userData.optional(),
      custom_data: customData.optional(),
      test_event_code: testEventCode.optional(),
    })
    .refine((event) => event.event_name !== 'Purchase' || event.custom_data?.value !== undefined, {
      path: ['custom_data', 'value'],
      message: 'is required for Purchase, with currency',
    })
}
export type ServerEvent = z.output<ReturnType<typeof serverEvent>>

/**
 * The envelope is checked as a whole; each event is then checked alone, so one bad event never sinks the rest.
 * Meta's own envelope fields are taken and ignored: `access_token` (the secret key authenticates; the token is
 * never stored or logged), `partner_agent`, `namespace_id`, `upload_id`, `upload_tag`, `upload_source`,
 * `appsecret_proof` and any other.
 */
export const serverEventBatch = z.preprocess(
  withoutNulls,
  z.object({
    /** Which site, for a signed-in user whose organization has several; a secret key already names its site. */
    siteId: z.uuid().optional(),
    data: z.array(z.unknown()).min(1).max(conversionLimits.batch),
    /** Every event of the request goes to the test view (admin, 7 days), never into the counts. */
    test_event_code: testEventCode.optional(),
  }),
)

/**
 * `received`: events newly stored. `deduplicated`: valid events that were already counted, from the page or the
 * server, with the same event id and name within 48 hours. `testEvents`: valid events sent with a test event
 * code, kept apart. `rejected`: invalid events, by index.
 */
export interface ConversionResult {
  received: number
  deduplicated: number
  /** Valid events of a test (`test_event_code`): kept for the admin's test view, never counted. */
  testEvents: number
  rejected: { index: number; error: { code: string; message: string; details?: unknown } }[]
}
