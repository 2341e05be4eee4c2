import { sql } from 'drizzle-orm'
import {
  bigint,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import type { AttributionModel, AttributionSettings } from './attribution'
import type {
  CampaignStatus,
  CampaignType,
  Cost,
  Creative,
  Experiment,
  Frequency,
  Pacing,
  Schedule,
  Targeting,
} from './campaign'
import type { ActionSource, StoredUserData } from './conversions'
import type { RetentionSettings } from './retention'
import type { Role } from './roles'
import type { SegmentRule } from './segments'
import type { Device } from './targeting'

/** Binary data; postgres.js and PGlite both hand it back as a Uint8Array (a Buffer on Node). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' })

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: createdAt(),
})

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** What the member may do (api/core/roles.ts holds the table); the organization's creator is its owner. */
    role: text('role').$type<Role>().notNull().default('owner'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
)

/** The session token itself is never stored: only its SHA-256, so a database leak opens no session. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    /** Names the session in the member's list (revoking one), so the token's hash never leaves the server. */
    id: uuid('id').notNull().defaultRandom(),
    /** Refreshed at most every few minutes by the admin guard, not on every request. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /** The browser that signed in, cut short, to tell sessions apart in the list. */
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), uniqueIndex('sessions_id_key').on(t.id)],
)

/** An invitation to join an organization: the token is mailed, only its SHA-256 stored; single use, expiring. */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role').$type<Role>().notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_key').on(t.tokenHash),
    index('invitations_org_idx').on(t.organizationId, t.createdAt),
  ],
)

/**
 * Every admin write that changed something: who (a member, by id and email as it was then, or a secret key's
 * prefix), what (method, route pattern, entity id), when, and for a campaign its row before and after.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** The site the change concerns when known (a campaign's); a secret key reads only its site's entries. */
    siteId: uuid('site_id'),
    actor: text('actor').notNull(),
    actorEmail: text('actor_email'),
    method: text('method').notNull(),
    route: text('route').notNull(),
    entityId: text('entity_id'),
    status: integer('status').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_org_created_idx').on(t.organizationId, t.createdAt)],
)

export const sites = pgTable(
  'sites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** Publishable keys are public by design (they sit in the page), so they are stored as they are. */
    publishableKey: text('publishable_key').notNull(),
    /** Lookback windows and model parameters for crediting this site's conversions; null is the defaults. */
    attribution: jsonb('attribution').$type<AttributionSettings>(),
    /** How long raw events, leads, mail and webhook deliveries are kept (schema/retention.ts); null is the defaults. */
    retention: jsonb('retention').$type<RetentionSettings>(),
    /** Hosts besides the allowed origins whose images a page learned into the catalog may show (a CDN). */
    contentImageHosts: jsonb('content_image_hosts').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** How a page learned from events gets into rails: corroborated by visitors, or only once an admin approves it. */
    learnedContent: text('learned_content').$type<LearnedContentPolicy>().notNull().default('corroborated'),
    /**
     * The share of visitors (0–50%) who see no campaign of the site at all, by their bucket under the site's own
     * salt: what every promotion together adds is read against them (api/services/lift.ts).
     */
    globalHoldoutPercent: doublePrecision('global_holdout_percent').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('sites_publishable_key_key').on(t.publishableKey),
    index('sites_org_idx').on(t.organizationId),
  ],
)

/** Secret keys: only a SHA-256 of the key (high entropy, so a fast hash is right) and a display prefix. */
export const secretKeys = pgTable(
  'secret_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull(),
    /** What the key is for, as its creator named it ("Checkout server"); keys made before names have none. */
    name: text('name'),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('secret_keys_hash_key').on(t.hash), index('secret_keys_site_idx').on(t.siteId)],
)

/** Server-side secrets that must survive restarts (the click-URL signing key in embedded mode). */
export const instanceSecrets = pgTable('instance_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
})

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    type: text('type').$type<CampaignType>().notNull(),
    status: text('status').$type<CampaignStatus>().notNull().default('draft'),
    objective: text('objective'),
    priority: integer('priority').notNull().default(0),
    weight: integer('weight').notNull().default(1),
    placements: jsonb('placements').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    schedule: jsonb('schedule').$type<Schedule>().notNull(),
    targeting: jsonb('targeting').$type<Targeting>().notNull(),
    frequency: jsonb('frequency').$type<Frequency>().notNull(),
    experiment: jsonb('experiment').$type<Experiment>().notNull().default(sql`'{"holdoutPercent":0}'::jsonb`),
    pacing: jsonb('pacing').$type<Pacing>(),
    cost: jsonb('cost').$type<Cost>(),
    config: jsonb('config').$type<Record<string, unknown>>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('campaigns_site_status_idx').on(t.siteId, t.status),
    index('campaigns_site_created_idx').on(t.siteId, t.createdAt),
  ],
)

export const variants = pgTable(
  'variants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    weight: integer('weight').notNull().default(1),
    position: integer('position').notNull().default(0),
    creative: jsonb('creative').$type<Creative>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('variants_campaign_idx').on(t.campaignId)],
)

/**
 * Raw events, append-only, partitioned by month of `ts` on PostgreSQL (migration 0006; drizzle-kit cannot
 * express partitioning): old months can be dropped whole and time-bounded queries read only their months.
 * A partitioned table can only enforce keys that hold the partition column, so the event id's uniqueness
 * lives in `event_ids`, written in the same statement: ingest stays idempotent by id alone.
 */
export const events = pgTable(
  'events',
  {
    id: uuid('id').notNull(),
    siteId: uuid('site_id').notNull(),
    name: text('name').notNull(),
    timestamp: timestamp('ts', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    anonymousId: text('anonymous_id').notNull(),
    sessionId: text('session_id'),
    userId: text('user_id'),
    campaignId: uuid('campaign_id'),
    variantId: uuid('variant_id'),
    slot: text('slot'),
    url: text('url'),
    referrer: text('referrer'),
    props: jsonb('props').$type<Record<string, unknown>>(),
    value: doublePrecision('value'),
    currency: text('currency'),
    /** Who sent it: the visitor's browser (the SDK, a click redirect) or the site's server (`/conversions`). */
    source: text('source').$type<'browser' | 'server'>().notNull().default('browser'),
    /**
     * The sender's own id for a server conversion (Meta's `event_id`); a browser event's id is its `id`. No two
     * page-level events (no campaign id, not one of the SDK's own names) of a site with the same name and
     * `coalesce(event_id, id::text)` within 48 hours of each other: `event_dedupe` holds that rule.
     */
    eventId: text('event_id'),
    actionSource: text('action_source').$type<ActionSource>(),
    /** Hashed emails and phones, external ids and the user agent of a server conversion; never an IP. */
    userData: jsonb('user_data').$type<StoredUserData>(),
    /** From the sender's User-Agent at ingest: desktop, mobile or tablet. */
    device: text('device').$type<Device>(),
    /**
     * The sender's operating system from the User-Agent at ingest, lower case as ua-parser names it (`ios`,
     * `android`, `mac os`, `windows`…, 32 characters at most): with `device`, the platform an app promotion tells
     * apart (promotions/app_promotion/platform.ts). Null for server conversions and rows older than the column.
     */
    os: text('os'),
    /** ISO 3166-1 alpha-2, from the edge (Cloudflare) or a configured proxy header at ingest; never from an IP here. */
    country: text('country'),
  },
  (t) => [
    index('events_campaign_name_ts_idx').on(t.campaignId, t.name, t.timestamp),
    index('events_site_ts_idx').on(t.siteId, t.timestamp),
    // Custom segments count a visitor's events by name within a lookback window on every ingest batch.
    index('events_visitor_name_ts_idx').on(t.siteId, t.anonymousId, t.name, t.timestamp),
    // A privacy request finds the server conversions that name a person (email hash, user id) by containment;
    // only server conversions carry user data, so the index stays small.
    index('events_user_data_idx')
      .using('gin', t.userData.op('jsonb_path_ops'))
      .where(sql`${t.userData} is not null`),
  ],
)

/**
 * Server conversions sent with a test event code (`test_event_code`): kept apart from `events`, so no count,
 * rollup, attribution, audience or profile ever reads them, for the admin's test view, and deleted after
 * `testEventRetentionDays`. They hold no match key, only which keys were present.
 */
export const testEvents = pgTable(
  'test_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    eventId: text('event_id').notNull(),
    /** The event's own time (`event_time`). */
    timestamp: timestamp('ts', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    actionSource: text('action_source').$type<ActionSource>().notNull(),
    value: doublePrecision('value'),
    currency: text('currency'),
    /** The match keys the event carried (`em`, `ph`, `external_id`, `fbc`, `fbp`, `client_user_agent`), by name. */
    matchKeys: text('match_keys').array().notNull(),
    /** Lines of `contents`. */
    items: integer('items').notNull().default(0),
  },
  (t) => [
    index('test_events_site_received_idx').on(t.siteId, t.receivedAt),
    index('test_events_site_code_received_idx').on(t.siteId, t.code, t.receivedAt),
  ],
)

/** Every stored event's id, once: what makes ingest idempotent by id across the monthly partitions of events. */
export const eventIds = pgTable('event_ids', { id: uuid('id').primaryKey() })

/**
 * One row per page-level event that takes part in deduplication (see `events.eventId`), written in the same
 * statement as the event. Migration 0006 adds the exclusion constraint drizzle-kit cannot express (the rule used
 * to sit on `events`, where a partitioned table cannot keep it): no two rows with the same site, name and key
 * whose ±24 hour windows meet. Rows older than the longest a conversion may arrive late are pruned.
 */
export const eventDedupe = pgTable(
  'event_dedupe',
  {
    siteId: uuid('site_id').notNull(),
    name: text('name').notNull(),
    /** `coalesce(event_id, id::text)` of the event. */
    key: text('key').notNull(),
    timestamp: timestamp('ts', { withTimezone: true }).notNull(),
    eventId: uuid('event_id').notNull(),
  },
  (t) => [index('event_dedupe_ts_idx').on(t.timestamp)],
)

/**
 * Which user an anonymous visitor turned out to be (from `Promo.identify`, or any event carrying both ids),
 * with the traits last sent. One row per site and anonymous id; a later identify moves it to the new user.
 */
export const identities = pgTable(
  'identities',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    anonymousId: text('anonymous_id').notNull(),
    userId: text('user_id').notNull(),
    traits: jsonb('traits').$type<Record<string, unknown>>(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.anonymousId] }),
    index('identities_user_idx').on(t.siteId, t.userId),
  ],
)

/**
 * What ingest knows about a visitor, kept current on every batch: the inputs of the built-in segments, the
 * traits from `Promo.identify`, and the segments (built-in and custom) the visitor is in now. Serving reads the
 * segments and traits from the key-value store, where ingest mirrors them.
 */
export const visitorProfiles = pgTable(
  'visitor_profiles',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    anonymousId: text('anonymous_id').notNull(),
    userId: text('user_id'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    /** The session before the latest one ended here: "days since last visit" looks at it. */
    previousVisitAt: timestamp('previous_visit_at', { withTimezone: true }),
    lastSessionId: text('last_session_id'),
    sessions: integer('sessions').notNull().default(0),
    pageViews: integer('page_views').notNull().default(0),
    clicks: integer('clicks').notNull().default(0),
    engagements: integer('engagements').notNull().default(0),
    purchases: integer('purchases').notNull().default(0),
    revenue: doublePrecision('revenue').notNull().default(0),
    traits: jsonb('traits').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    segments: jsonb('segments').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.anonymousId] }),
    index('visitor_profiles_user_idx').on(t.siteId, t.userId),
  ],
)

/** A site's custom segment: a rule over traits and events within a lookback window. */
export const segments = pgTable(
  'segments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    rule: jsonb('rule').$type<SegmentRule>().notNull(),
    lookbackDays: integer('lookback_days').notNull().default(30),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('segments_site_key_key').on(t.siteId, t.key)],
)

/**
 * The credit each campaign touch earned for a conversion, one row per (conversion, model, touch) for all five
 * models, written when the conversion is stored. The key makes attributing a conversion again a no-op, and
 * analytics reads a campaign's credit for any model by the conversion's time without recomputing it.
 */
export const attributions = pgTable(
  'attributions',
  {
    conversionId: uuid('conversion_id').notNull(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    model: text('model').$type<AttributionModel>().notNull(),
    campaignId: uuid('campaign_id').notNull(),
    variantId: uuid('variant_id'),
    touchId: uuid('touch_id').notNull(),
    /** Share of the conversion, 0 < weight ≤ 1; the shares of one conversion under one model add up to 1. */
    weight: doublePrecision('weight').notNull(),
    /** weight × the conversion's value (0 when it had none). */
    value: doublePrecision('value').notNull(),
    conversionAt: timestamp('conversion_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.conversionId, t.model, t.touchId] }),
    index('attributions_campaign_model_at_idx').on(t.campaignId, t.model, t.conversionAt),
  ],
)

/**
 * Credit a promotion type's projection gave a newly stored event outside attribution (sales' funnel events,
 * credited whole to the visitor's last sales touch), as it was rolled up: kept so that rebuilding the rollups
 * from raw events puts it back, as `attributions` keeps a conversion's credit. One row per (event, metric,
 * campaign); it names no visitor. `variantId` is the nil UUID when the touch had no variant.
 */
export const eventCredits = pgTable(
  'event_credits',
  {
    eventId: uuid('event_id').notNull(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    metric: text('metric').notNull(),
    campaignId: uuid('campaign_id').notNull(),
    variantId: uuid('variant_id').notNull(),
    n: doublePrecision('n').notNull(),
    value: doublePrecision('value').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    device: text('device'),
    country: text('country'),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.metric, t.campaignId] }),
    index('event_credits_site_at_idx').on(t.siteId, t.at),
  ],
)

/**
 * Rollups: what dashboards read instead of raw events. Ingest adds each newly stored event to them in the
 * transaction that stores it, so they are exactly as current as the events. A metric is an event name (an
 * attribution model's credit is `credit:<model>`); `n` is how many (a fractional share for credit) and `value`
 * the summed event values. Events without a campaign or variant are kept under the nil UUID, so the site's
 * page-level events (page views, conversions) roll up too.
 */
const rollupColumns = () => ({
  siteId: uuid('site_id')
    .notNull()
    .references(() => sites.id, { onDelete: 'cascade' }),
  campaignId: uuid('campaign_id').notNull(),
  variantId: uuid('variant_id').notNull(),
  metric: text('metric').notNull(),
  n: doublePrecision('n').notNull(),
  value: doublePrecision('value').notNull(),
})

export const rollupsDaily = pgTable(
  'rollups_daily',
  { ...rollupColumns(), day: date('day', { mode: 'string' }).notNull() },
  (t) => [primaryKey({ columns: [t.siteId, t.campaignId, t.variantId, t.day, t.metric] })],
)

export const rollupsHourly = pgTable(
  'rollups_hourly',
  { ...rollupColumns(), hour: timestamp('hour', { withTimezone: true }).notNull() },
  (t) => [primaryKey({ columns: [t.siteId, t.campaignId, t.variantId, t.hour, t.metric] })],
)

/** The same counts by day per device class and per country (variant folded in), for `groupBy=device|country`. */
export const rollupsByDimension = pgTable(
  'rollups_by_dimension',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    dimension: text('dimension').$type<'device' | 'country'>().notNull(),
    key: text('key').notNull(),
    metric: text('metric').notNull(),
    n: doublePrecision('n').notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.campaignId, t.dimension, t.day, t.key, t.metric] })],
)

/**
 * Who was reached, per campaign × variant × day (impressions), and the site's visitors per day (any event,
 * under the nil UUIDs): a sketch (api/core/sketch.ts) whose union over any range is the true unique count,
 * exact up to a thousand visitors a day and within about 1.6% beyond.
 */
export const reachDaily = pgTable(
  'reach_daily',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id').notNull(),
    variantId: uuid('variant_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    sketch: bytea('sketch').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.campaignId, t.variantId, t.day] })],
)

/**
 * Impressions per visitor and campaign over the campaign's life, and how many visitors have seen it 1, 2, …
 * times (the last bucket holds that many or more), kept in step by ingest: the frequency distribution.
 */
export const campaignVisitors = pgTable(
  'campaign_visitors',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id').notNull(),
    anonymousId: text('anonymous_id').notNull(),
    impressions: integer('impressions').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.anonymousId] })],
)

export const frequencyHistogram = pgTable(
  'frequency_histogram',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id').notNull(),
    impressions: integer('impressions').notNull(),
    visitors: integer('visitors').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.impressions] })],
)

/**
 * A visitor's first exposure to a campaign with a holdout, in either arm: `exposed` when it was shown to them,
 * `holdout` when it would have been (drawn, in schedule, targeted) but their bucket held it back and the next
 * candidate was shown instead. One row per visitor and campaign, the first one, written by serve; the lift
 * readout compares what each arm did after it.
 */
export const exposures = pgTable(
  'exposures',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id').notNull(),
    anonymousId: text('anonymous_id').notNull(),
    arm: text('arm').$type<ExposureArm>().notNull(),
    /** The variant shown; null in the holdout. */
    variantId: uuid('variant_id'),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.anonymousId] }),
    index('exposures_campaign_first_idx').on(t.campaignId, t.firstAt),
    index('exposures_site_first_idx').on(t.siteId, t.firstAt),
  ],
)
export type ExposureArm = 'exposed' | 'holdout'

/** What a lead said about consent: whether given, the exact text shown, and when. */
export interface LeadConsent {
  granted: boolean
  text: string | null
  at: string
}

/** Where a submission came from, captured from the page it was made on. */
export interface LeadSource {
  utm: Partial<Record<'utm_source' | 'utm_medium' | 'utm_campaign' | 'utm_term' | 'utm_content', string>>
  referrer: string | null
  url: string | null
}

/**
 * One person per site, by normalised email: a second submit updates the lead (fields merged, score and grade
 * recomputed) and adds a submission, so both are kept.
 */
export const leads = pgTable(
  'leads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    fields: jsonb('fields').$type<Record<string, string | boolean>>().notNull(),
    score: integer('score').notNull(),
    grade: text('grade').$type<'A' | 'B' | 'C' | 'D'>().notNull(),
    consent: jsonb('consent').$type<LeadConsent>(),
    firstCampaignId: uuid('first_campaign_id'),
    lastCampaignId: uuid('last_campaign_id'),
    anonymousId: text('anonymous_id'),
    source: jsonb('source').$type<LeadSource>().notNull(),
    submissions: integer('submissions').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('leads_site_email_key').on(t.siteId, t.email),
    index('leads_site_created_idx').on(t.siteId, t.createdAt),
    index('leads_site_campaign_idx').on(t.siteId, t.lastCampaignId),
  ],
)

/** Every submit of a form, as sent (after validation), with the consent and source of that submit. */
export const leadSubmissions = pgTable(
  'lead_submissions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id').notNull(),
    variantId: uuid('variant_id'),
    anonymousId: text('anonymous_id'),
    fields: jsonb('fields').$type<Record<string, string | boolean>>().notNull(),
    consent: jsonb('consent').$type<LeadConsent>(),
    source: jsonb('source').$type<LeadSource>().notNull(),
    score: integer('score').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('lead_submissions_lead_idx').on(t.leadId),
    index('lead_submissions_site_idx').on(t.siteId, t.createdAt),
  ],
)

/** A file sent with a mail: its name, its MIME type and its content as text (an .ics is text). */
export interface MailAttachment {
  filename: string
  contentType: string
  content: string
}

/**
 * Mail the product sends (a lead's confirmation): every message is written here first, then handed to the
 * configured mailer (SMTP on Node, an HTTP provider on Workers); with none configured it stays here as
 * `outbox`, which the admin shows, so development needs no mail server.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null for an organization's own mail (a team invitation), which names its organization instead. */
    siteId: uuid('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'set null' }),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    status: text('status').$type<'outbox' | 'queued' | 'sent' | 'failed'>().notNull(),
    transport: text('transport').$type<'outbox' | 'smtp' | 'http'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Files sent with the message (an event's .ics), as text; null for none. Size-limited by api/ports/mail.ts. */
    attachments: jsonb('attachments').$type<MailAttachment[]>(),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('mail_outbox_site_created_idx').on(t.siteId, t.createdAt)],
)

/** A site's webhook: lead events are POSTed to `url`, signed with HMAC-SHA256 of timestamp and body. */
export const webhooks = pgTable(
  'webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    /** Shown once when created; kept to sign deliveries (the receiver holds the same secret). */
    secret: text('secret').notNull(),
    events: jsonb('events').$type<string[]>().notNull(),
    active: integer('active').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [index('webhooks_site_idx').on(t.siteId)],
)

/** Each delivery of an event to a webhook, retried with backoff: the delivery log. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<'pending' | 'succeeded' | 'failed'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt),
  ],
)

/** Where a catalog item came from: the admin API, a CSV import, or a page the SDK saw (its Open Graph tags). */
export type ContentSource = 'admin' | 'csv' | 'page'
/**
 * Whether rails may recommend an item: admin and CSV items are approved as stored; a learned page waits as
 * `pending` until corroborated or approved, and a `rejected` one is never recommended nor learned again.
 */
export type ContentReview = 'pending' | 'approved' | 'rejected'
export type LearnedContentPolicy = 'corroborated' | 'approval'

/**
 * A site's content catalog: the pages recommendation rails choose from, one row per normalised URL (no fragment,
 * no utm_* or ad-click ids). Impressions and clicks count the item's own showings in rails, for its CTR.
 */
export const contentItems = pgTable(
  'content_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    title: text('title').notNull(),
    imageUrl: text('image_url'),
    summary: text('summary'),
    /** Lower case, without repeats. */
    tags: jsonb('tags').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    category: text('category'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    source: text('source').$type<ContentSource>().notNull(),
    review: text('review').$type<ContentReview>().notNull().default('approved'),
    impressions: bigint('impressions', { mode: 'number' }).notNull().default(0),
    clicks: bigint('clicks', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('content_items_site_url_key').on(t.siteId, t.url),
    index('content_items_site_created_idx').on(t.siteId, t.createdAt, t.id),
  ],
)

/**
 * Who reported a pending learned page, and on which (UTC, server clock) day: the evidence that corroborates it.
 * Rows exist only while their item is pending with its current content; a change of content starts over.
 */
export const contentSightings = pgTable(
  'content_sightings',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    anonymousId: text('anonymous_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.url, t.anonymousId, t.day] })],
)

/**
 * The pages each visitor viewed last (at most 50 per visitor, by normalised URL), which recommendations leave out
 * and take the visitor's interests from. Its own table rather than a column of visitor_profiles: that row is
 * locked and rewritten on every ingest flush, and a list of 50 URLs would make it several kilobytes (TOASTed,
 * copied on each update); serving reads these rows only for a traffic decision, by the primary key's prefix.
 */
export const visitorRecentViews = pgTable(
  'visitor_recent_views',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    anonymousId: text('anonymous_id').notNull(),
    url: text('url').notNull(),
    viewedAt: timestamp('viewed_at', { withTimezone: true }).notNull(),
  },
  // No index holds `viewed_at`, so a view seen again updates its row on its page (HOT, with the room migration
  // 0027 leaves): a visitor's few rows are read by the key's prefix and sorted, never by an index on time.
  (t) => [primaryKey({ columns: [t.siteId, t.anonymousId, t.url] })],
)

/**
 * Engagement (promotions/engagement): a visitor's like and reaction on a campaign, one row each (`kind` is
 * `like` or `reaction`), so both are exact under concurrency: a like is an insert that does nothing on conflict,
 * a reaction an upsert that changes which one it is. Counts are read from these rows.
 */
export const engagementReactions = pgTable(
  'engagement_reactions',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id'),
    anonymousId: text('anonymous_id').notNull(),
    kind: text('kind').$type<'like' | 'reaction'>().notNull(),
    /** For `reaction`: which (love, wow, …); null for a like. */
    reaction: text('reaction'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.anonymousId, t.kind] }),
    index('engagement_reactions_site_visitor_idx').on(t.siteId, t.anonymousId),
    index('engagement_reactions_site_created_idx').on(t.siteId, t.createdAt),
  ],
)

/**
 * A campaign's engagement counts, kept in step with the rows above in the transaction that changes them (each
 * change counted from what the statement really inserted, deleted or moved), so an answer reads a few rows
 * however many visitors engaged. Keys: `likes`, `shares`, `comments` (published), `voters`, `reaction:<name>`,
 * `vote:<option id>`.
 */
export const engagementCounts = pgTable(
  'engagement_counts',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    n: bigint('n', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.key] })],
)

/** A visitor's vote in a campaign's poll: one per visitor and campaign, with the option ids chosen. */
export const engagementVotes = pgTable(
  'engagement_votes',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id'),
    anonymousId: text('anonymous_id').notNull(),
    options: jsonb('options').$type<string[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.anonymousId] }),
    index('engagement_votes_site_visitor_idx').on(t.siteId, t.anonymousId),
    index('engagement_votes_site_created_idx').on(t.siteId, t.createdAt),
  ],
)

/** A visitor's comment: plain text as sent (trimmed), held as `pending` under pre-moderation. */
export const engagementComments = pgTable(
  'engagement_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id'),
    anonymousId: text('anonymous_id'),
    name: text('name'),
    text: text('text').notNull(),
    status: text('status').$type<'pending' | 'published' | 'rejected'>().notNull(),
    createdAt: createdAt(),
    moderatedAt: timestamp('moderated_at', { withTimezone: true }),
  },
  (t) => [
    index('engagement_comments_campaign_status_idx').on(t.campaignId, t.status, t.createdAt, t.id),
    index('engagement_comments_site_status_idx').on(t.siteId, t.status, t.createdAt, t.id),
    index('engagement_comments_site_visitor_idx').on(t.siteId, t.anonymousId),
  ],
)

/** A share, by the id the widget made and put in the shared link (`promo_share`): a resent share counts once. */
export const engagementShares = pgTable(
  'engagement_shares',
  {
    id: uuid('id').primaryKey(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id'),
    anonymousId: text('anonymous_id').notNull(),
    network: text('network').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('engagement_shares_campaign_idx').on(t.campaignId),
    index('engagement_shares_site_visitor_idx').on(t.siteId, t.anonymousId),
    index('engagement_shares_site_created_idx').on(t.siteId, t.createdAt),
  ],
)

/**
 * An event's RSVP (offer_event): one per campaign and email (trimmed, lower case), so a resent RSVP answers the
 * same row. `position` is the waitlist number given on arrival (1, 2, … per campaign, never reused), kept after a
 * promotion so the order stays readable; `status` says where the person stands now.
 */
export const rsvps = pgTable(
  'rsvps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    firstName: text('first_name'),
    anonymousId: text('anonymous_id'),
    /** `attended` once checked in: it still holds its seat. */
    status: text('status').$type<'confirmed' | 'waitlisted' | 'cancelled' | 'attended'>().notNull(),
    position: integer('position'),
    createdAt: createdAt(),
    promotedAt: timestamp('promoted_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** When the person checked in (status `attended`). */
    attendedAt: timestamp('attended_at', { withTimezone: true }),
    /** When the 24 h reminder was written to the outbox: set in that same transaction, so it is sent once. */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('rsvps_campaign_email_idx').on(t.campaignId, t.email),
    uniqueIndex('rsvps_campaign_position_idx').on(t.campaignId, t.position),
    index('rsvps_campaign_status_idx').on(t.campaignId, t.status, t.position),
    index('rsvps_campaign_created_idx').on(t.campaignId, t.createdAt, t.id),
    index('rsvps_site_visitor_idx').on(t.siteId, t.anonymousId),
  ],
)

/**
 * An event's seat counts: the row every RSVP and cancellation of the campaign locks (`for update`) before it
 * reads or changes a seat, so confirmed seats never pass capacity and waitlist positions come in commit order.
 */
export const rsvpCounters = pgTable('rsvp_counters', {
  campaignId: uuid('campaign_id')
    .primaryKey()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  confirmed: integer('confirmed').notNull().default(0),
  /** The last waitlist position handed out. */
  lastPosition: integer('last_position').notNull().default(0),
})

/**
 * Sales promo codes (promotions/sales): a shared code or one of a pool of unique codes, each credited to its
 * campaign (and variant). `uses` is the number of live redemptions, moved only by a conditional update in the
 * redemption's own transaction (`uses < max_uses`), so a code is never redeemed past its limit. A batch is what
 * one create made (the shared code, or the whole pool): the per-customer limit counts across it.
 */
export const promoCodes = pgTable(
  'promo_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id'),
    batchId: uuid('batch_id').notNull(),
    kind: text('kind').$type<'shared' | 'unique'>().notNull(),
    /** Upper case: a shopper types it in any case. */
    code: text('code').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    minOrderValue: doublePrecision('min_order_value'),
    maxUses: integer('max_uses'),
    maxUsesPerCustomer: integer('max_uses_per_customer'),
    uses: integer('uses').notNull().default(0),
    /** A pool code's one reveal to a visitor (`POST /promo-codes/reveal`); null while it is still free. */
    revealedAt: timestamp('revealed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('promo_codes_site_code_idx').on(t.siteId, t.code),
    index('promo_codes_campaign_idx').on(t.campaignId, t.createdAt, t.id),
    index('promo_codes_free_idx')
      .on(t.campaignId, t.createdAt, t.id)
      .where(sql`kind = 'unique' and revealed_at is null`),
  ],
)

/**
 * The code a visitor was shown by a campaign's unit (its copy button): one per visitor and campaign, so a reload
 * shows the same code and a pool is never handed out twice.
 */
export const promoCodeReveals = pgTable(
  'promo_code_reveals',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id'),
    anonymousId: text('anonymous_id').notNull(),
    codeId: uuid('code_id')
      .notNull()
      .references(() => promoCodes.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.anonymousId] }),
    index('promo_code_reveals_site_visitor_idx').on(t.siteId, t.anonymousId),
    index('promo_code_reveals_site_created_idx').on(t.siteId, t.createdAt),
  ],
)

/**
 * A customer's live redemptions of a batch, for `maxUsesPerCustomer`: one row per batch and customer, moved by a
 * conditional upsert in the redemption's transaction. The customer is a one-way hash of the shop's customer id or
 * email hash.
 */
export const promoCodeCustomers = pgTable(
  'promo_code_customers',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    batchId: uuid('batch_id').notNull(),
    customerKey: text('customer_key').notNull(),
    uses: integer('uses').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.customerKey] })],
)

/**
 * One order's use of a code: the campaign and variant it credits and the discount it gave (campaign cost). At
 * most one live (unreleased) redemption per site and order id, so a retried checkout answers the one it made.
 */
export const promoCodeRedemptions = pgTable(
  'promo_code_redemptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id'),
    codeId: uuid('code_id')
      .notNull()
      .references(() => promoCodes.id, { onDelete: 'cascade' }),
    batchId: uuid('batch_id').notNull(),
    orderId: text('order_id').notNull(),
    orderValue: doublePrecision('order_value').notNull(),
    currency: text('currency').notNull(),
    discount: doublePrecision('discount').notNull(),
    customerKey: text('customer_key'),
    createdAt: createdAt(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('promo_code_redemptions_live_order_idx')
      .on(t.siteId, t.orderId)
      .where(sql`released_at is null`),
    index('promo_code_redemptions_campaign_idx').on(t.campaignId, t.createdAt),
    index('promo_code_redemptions_code_idx').on(t.codeId),
  ],
)

export type ProductSource = 'admin' | 'csv' | 'page'
export type ProductAvailability = 'in_stock' | 'out_of_stock' | 'preorder' | 'backorder'

/**
 * A site's product catalog (sales): one row per product id (the SKU the site's commerce events' `contents` name).
 * Written by the admin API and CSV imports, and learned from product pages' metadata (`page` events); what an
 * admin or an import entered is never overwritten by a page (see promotions/sales/server/products.ts).
 */
export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    productId: text('product_id').notNull(),
    title: text('title').notNull(),
    url: text('url').notNull(),
    imageUrl: text('image_url'),
    price: doublePrecision('price'),
    currency: text('currency'),
    availability: text('availability').$type<ProductAvailability>(),
    category: text('category'),
    source: text('source').$type<ProductSource>().notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('products_site_product_key').on(t.siteId, t.productId),
    index('products_site_created_idx').on(t.siteId, t.createdAt, t.id),
  ],
)

/** One line of a visitor's open cart. */
export interface CartRowLine {
  id: string
  quantity: number
  price?: number
}

/**
 * A visitor's open cart (sales), derived from their stored `AddToCart`, `RemoveFromCart` and `Purchase` events
 * in ingest's transaction: a purchase deletes it. `sessionId` is the session it last changed in.
 */
export const carts = pgTable(
  'carts',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    anonymousId: text('anonymous_id').notNull(),
    lines: jsonb('lines').$type<CartRowLine[]>().notNull(),
    currency: text('currency'),
    sessionId: text('session_id'),
    /** The time of the last event that changed it (the event's own clock). */
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.anonymousId] }),
    index('carts_site_changed_idx').on(t.siteId, t.changedAt),
  ],
)

/** Purchases of a product per hour (sales' social proof): counted from stored `Purchase` events' `contents`. */
export const productPurchasesHourly = pgTable(
  'product_purchases_hourly',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    productId: text('product_id').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    purchases: integer('purchases').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.productId, t.hour] })],
)

/**
 * App promotion's deferred deep links: one row per click and app event (`install`, `first_open`) an app claimed
 * (`POST /api/v1/app/claims`). The key makes a replayed claim answer the same and store nothing again; the
 * event it recorded keeps its id here, so a replay whose first write was lost writes that same event (ingest is
 * idempotent by id). Matched by the click id or the signed-in user's id only; never by address or device.
 */
export const appClaims = pgTable(
  'app_claims',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    clickId: uuid('click_id').notNull(),
    event: text('event').$type<'install' | 'first_open'>().notNull(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id'),
    /** The clicking visitor's anonymous id: the recorded event is theirs, so attribution and reach see it. */
    anonymousId: text('anonymous_id').notNull(),
    platform: text('platform').$type<'ios' | 'android'>().notNull(),
    /** How the app named the click: the install referrer's id, or the signed-in user. */
    matchedBy: text('matched_by').$type<'click_id' | 'user_id'>().notNull(),
    eventId: uuid('event_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.clickId, t.event] }),
    index('app_claims_campaign_idx').on(t.campaignId, t.createdAt),
  ],
)

/** A weekly opening span of a store: days 0 (Sunday) to 6; a close at or before the open runs past midnight. */
export interface StoreHours {
  days: number[]
  open: string
  close: string
}
/** A date (the store's calendar) whose hours replace the week's. */
export interface StoreSpecialDay {
  date: string
  closed?: boolean
  spans?: { open: string; close: string }[]
}

/**
 * A site's physical stores, which the store locator answers from: address, coordinates, hours in the store's own
 * time zone, services, and local inventory (units by SKU). `ref` is the site's own code for the store, the key
 * an admin upsert or a CSV import matches on.
 */
export const stores = pgTable(
  'stores',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    ref: text('ref').notNull(),
    name: text('name').notNull(),
    street: text('street').notNull(),
    city: text('city').notNull(),
    region: text('region'),
    postalCode: text('postal_code'),
    country: text('country').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    phone: text('phone'),
    url: text('url'),
    timeZone: text('time_zone').notNull(),
    hours: jsonb('hours').$type<StoreHours[]>().notNull().default(sql`'[]'::jsonb`),
    specialDays: jsonb('special_days').$type<StoreSpecialDay[]>().notNull().default(sql`'[]'::jsonb`),
    services: jsonb('services').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    inventory: jsonb('inventory').$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('stores_site_ref_key').on(t.siteId, t.ref)],
)

/**
 * Who is in an audience and since when: one row per stay, open (`exited_at` null) while the visitor is a member.
 * The audience engine (api/services/audiences) writes entries and exits from ingest (the batch's visitors) and
 * from its scheduled run (visitors whose window crossed the clock). `notified` marks the rows whose change the
 * `audience.changed` webhook has carried (0 none, 1 the entry, 2 the exit too).
 */
export const audienceMemberships = pgTable(
  'audience_memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    /** A saved audience's segment key, or `campaignAudienceKey(campaign id)`. */
    audienceKey: text('audience_key').notNull(),
    anonymousId: text('anonymous_id').notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
    exitedAt: timestamp('exited_at', { withTimezone: true }),
    notified: integer('notified').notNull().default(0),
  },
  (t) => [
    uniqueIndex('audience_memberships_open_key')
      .on(t.siteId, t.audienceKey, t.anonymousId)
      .where(sql`exited_at is null`),
    index('audience_memberships_site_key_idx').on(t.siteId, t.audienceKey, t.enteredAt),
    index('audience_memberships_visitor_idx').on(t.siteId, t.anonymousId),
    index('audience_memberships_unnotified_idx')
      .on(t.siteId, t.audienceKey)
      .where(sql`notified < 2 and (notified = 0 or exited_at is not null)`),
  ],
)

/**
 * Each kept audience's refresh state: when the scheduled run last evaluated it (its next run looks only at
 * windows that crossed since), and the definition it evaluated (a changed definition is evaluated in full).
 */
export const audienceRuns = pgTable(
  'audience_runs',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'cascade' }),
    audienceKey: text('audience_key').notNull(),
    definition: text('definition').notNull(),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.audienceKey] })],
)
