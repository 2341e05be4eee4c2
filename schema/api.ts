import { z } from 'zod'
import { attributionModel, attributionSettings } from './attribution'
import { campaignType, cost, creative, experiment, frequency, pacing, schedule } from './campaign'
import { retentionSettings } from './retention'
import { roles } from './roles'
import { segmentRule } from './segments'
import { campaignStatuses, transitions } from './status'
import { targeting } from './targeting'

/**
 * What the API answers, as zod schemas: the OpenAPI document (api/http/contract/) is generated from them, tests
 * check answers against them (api/testing/harness.ts, `readJson`), and the admin takes its response types from
 * them with type-only imports (admin/api.ts), so its bundle never holds zod. Objects are open (`z.object`): an
 * answer may gain fields, never lose or rename one (PRODUCT.md). Nothing here is server code.
 */

export const uuid = z.uuid()
export const time = z.iso.datetime({ offset: true })
export const fieldProblem = z.object({ path: z.string(), message: z.string() })

/** Every error: `{"error":{"code","message","details"}}`; validation details name each failing field's path. */
export const errorAnswer = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation_failed' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' })

/** A list and the cursor of its next page (`null` on the last). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() })
export type Page<T> = { data: T[]; nextCursor: string | null }

// Auth

export const user = z.object({ id: uuid, email: z.string(), name: z.string(), role: z.enum(roles) })
export const session = z
  .object({
    user,
    organization: z.object({ id: uuid, name: z.string() }),
    /** Sent back as `X-CSRF-Token` on every write made with the session cookie. */
    csrfToken: z.string(),
  })
  .meta({ id: 'Session' })

// Team, account and audit log

export const member = z
  .object({ id: uuid, email: z.string(), name: z.string(), role: z.enum(roles), createdAt: time })
  .meta({ id: 'Member' })
export const invitation = z
  .object({
    id: uuid,
    email: z.string(),
    role: z.enum(roles),
    expiresAt: time,
    createdAt: time,
  })
  .meta({ id: 'Invitation' })
export const createdInvitation = invitation
  .extend({
    /** The link the invitee opens (also mailed); shown once, only the token's hash is stored. */
    acceptUrl: z.string(),
    mail: z.object({ id: uuid, status: z.enum(['outbox', 'sent', 'failed']) }),
  })
  .meta({ id: 'CreatedInvitation' })
export const teamAnswer = z
  .object({ members: z.array(member), invitations: z.array(invitation) })
  .meta({ id: 'Team' })
export const invitationPreview = z
  .object({ email: z.string(), role: z.enum(roles), organization: z.string() })
  .meta({ id: 'InvitationPreview' })
export const accountSession = z
  .object({
    id: uuid,
    createdAt: time,
    lastSeenAt: time.nullable(),
    expiresAt: time,
    userAgent: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'AccountSession' })
export const accountSessions = z.object({ data: z.array(accountSession) }).meta({ id: 'AccountSessions' })
export const revokedSessions = z.object({ revoked: z.number().int() }).meta({ id: 'RevokedSessions' })
export const auditEntry = z
  .object({
    id: uuid,
    siteId: uuid.nullable(),
    /** `user:<id>` or `key:<prefix>`; `actorEmail` is the member's email when the change was made. */
    actor: z.string(),
    actorEmail: z.string().nullable(),
    method: z.string(),
    route: z.string(),
    entityId: z.string().nullable(),
    status: z.number().int(),
    /** A campaign's JSON before and after the change (`{truncated, json}` when too long); null otherwise. */
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    createdAt: time,
  })
  .meta({ id: 'AuditEntry' })

// Sites

/** `name` is what its creator called the key; keys made before keys had names have none. */
export const secretKeySummary = z.object({
  id: uuid,
  prefix: z.string(),
  name: z.string().nullable(),
  createdAt: time,
})
/** Every key of a site, revoked ones too (with when), newest first. */
export const secretKeyList = z
  .object({ data: z.array(secretKeySummary.extend({ revokedAt: time.nullable() })) })
  .meta({ id: 'SecretKeyList' })
/**
 * Whether the site's tag is installed: the latest event its pages sent (browser events within the last 30 days),
 * or null when none came.
 */
export const installCheck = z
  .object({
    lastEvent: z.object({ name: z.string(), at: time, url: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'InstallCheck' })
export const site = z
  .object({
    id: uuid,
    organizationId: uuid,
    name: z.string(),
    allowedOrigins: z.array(z.string()),
    contentImageHosts: z.array(z.string()),
    learnedContent: z.enum(['corroborated', 'approval']),
    globalHoldoutPercent: z.number(),
    publishableKey: z.string(),
    attribution: attributionSettings,
    retention: retentionSettings,
    secretKeys: z.array(secretKeySummary),
    createdAt: time,
  })
  .meta({ id: 'Site' })
/** The create answer is the only one that carries the first secret key. */
export const createdSite = site.extend({ secretKey: z.string() })
/** A new secret key: shown once. */
export const createdSecretKey = secretKeySummary.extend({ key: z.string() })
/** Attribution recomputed over a range: the conversions looked at and the credits written. */
export const recomputeAnswer = z.object({ conversions: z.number().int(), credits: z.number().int() })

// Campaigns

export const variant = z.object({ id: uuid, name: z.string(), weight: z.number(), creative })
export const campaign = z
  .object({
    id: uuid,
    siteId: uuid,
    name: z.string(),
    type: campaignType,
    status: z.enum(campaignStatuses),
    objective: z.string().nullable().optional(),
    priority: z.number().int(),
    weight: z.number().int(),
    placements: z.array(z.string()),
    schedule,
    targeting,
    frequency,
    experiment,
    pacing: pacing.nullable(),
    cost: cost.nullable(),
    config: z.record(z.string(), z.unknown()),
    variants: z.array(variant),
    /** `user:<id>` or `key:<prefix>`: who created it. */
    createdBy: z.string().nullable(),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'Campaign' })
export const campaignPage = pageOf(campaign)
/** `POST /campaigns/{id}/{action}`: the status machine's moves. */
export const transitionAction = z.enum(Object.keys(transitions) as [string, ...string[]])

/** `GET /types`: every campaign type, whether this server can serve it, and whether its campaigns have promo codes. */
export const servedTypes = z.object({
  data: z.array(z.object({ type: campaignType, servable: z.boolean(), promoCodes: z.boolean() })),
})

// Serving

export const decision = z
  .object({
    slot: z.string().optional(),
    campaignId: uuid,
    variantId: uuid,
    type: campaignType,
    format: z.string(),
    creative,
    config: z.record(z.string(), z.unknown()),
    clickUrl: z.string().optional(),
    token: z.string().optional(),
    visitorToken: z.string().optional(),
    items: z
      .array(
        z.object({
          url: z.string(),
          title: z.string(),
          imageUrl: z.string().optional(),
          imageAlt: z.string().optional(),
          summary: z.string().optional(),
          badge: z.string().optional(),
          clickUrl: z.string(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Decision' })
export const traceEntry = z.object({
  campaignId: z.string(),
  name: z.string(),
  slot: z.string().optional(),
  position: z.string().optional(),
  outcome: z.enum(['chosen', 'skipped']),
  reason: z.string().optional(),
  detail: z.string().optional(),
})
/** `POST /serve`: the units to render and how long (seconds) the answer may be reused. */
export const serveAnswer = z.object({
  decisions: z.array(decision),
  ttl: z.number(),
  /** With `?debug=1` and admin credentials only. */
  trace: z.array(traceEntry).optional(),
  store: z.enum(['ok', 'unavailable']).optional(),
})
export const decisionTrace = serveAnswer.required({ trace: true, store: true })

// Events and conversions

/** One refused item of a batch, by its index, with the failing fields of that item. */
const rejection = z.object({
  index: z.number().int(),
  error: z.object({ code: z.string(), message: z.string(), details: z.array(fieldProblem).optional() }),
})
export const batchAnswer = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  filtered: z.number().int().optional(),
  rejected: z.array(rejection),
})
export const conversionAnswer = z.object({
  received: z.number().int(),
  deduplicated: z.number().int(),
  /** Valid events sent with a test event code: in the test view, never in the counts. */
  testEvents: z.number().int(),
  rejected: z.array(rejection),
})

/** A site's recent test events (`test_event_code`), newest first: which match keys each carried, never their values. */
export const testEventsAnswer = z.object({
  siteId: z.uuid(),
  retentionDays: z.number().int(),
  events: z.array(
    z.object({
      id: z.uuid(),
      code: z.string(),
      name: z.string(),
      eventId: z.string(),
      eventTime: z.string(),
      receivedAt: z.string(),
      actionSource: z.string(),
      value: z.number().nullable(),
      currency: z.string().nullable(),
      /** Lines of `contents`. */
      items: z.number().int(),
      matchKeys: z.object({
        em: z.boolean(),
        ph: z.boolean(),
        external_id: z.boolean(),
        fbc: z.boolean(),
        fbp: z.boolean(),
        client_user_agent: z.boolean(),
      }),
    }),
  ),
})

// Audiences

export const builtInAudience = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  builtIn: z.literal(true),
})
export const customAudience = z
  .object({
    id: uuid,
    siteId: uuid,
    key: z.string(),
    name: z.string(),
    rule: segmentRule,
    lookbackDays: z.number().int(),
    builtIn: z.literal(false),
    createdAt: time,
    updatedAt: time,
    /** Members now (the list carries it; the audience engine keeps it). */
    size: z.number().int().optional(),
    /** When the scheduled run last refreshed it; null before its first run. */
    refreshedAt: time.nullable().optional(),
  })
  .meta({ id: 'Audience' })
export const audienceList = z.object({ data: z.array(z.union([builtInAudience, customAudience])) })
/** A campaign's own audience (a type with `audience`), as its config defines it, with its size. */
export const campaignAudience = z
  .object({
    campaignId: uuid,
    siteId: uuid,
    name: z.string(),
    status: z.string(),
    /** The segment key its members carry: `c_` and the campaign id's hex digits. */
    key: z.string(),
    audience: z.record(z.string(), z.unknown()),
    exclude: z.record(z.string(), z.unknown()),
    size: z.number().int(),
    refreshedAt: time.nullable(),
  })
  .meta({ id: 'CampaignAudience' })
export const campaignAudienceList = z.object({ data: z.array(campaignAudience) })
/** An audience's size now and at the end of each day of the range (UTC days). */
export const audienceSizeAnswer = z.object({
  key: z.string(),
  siteId: uuid,
  size: z.number().int(),
  refreshedAt: time.nullable(),
  series: z.array(z.object({ day: z.string(), size: z.number().int() })),
})

// Analytics

const brief = {
  impressions: z.number(),
  viewableImpressions: z.number(),
  clicks: z.number(),
  ctr: z.number(),
  /** Credit under the chosen attribution model, so possibly fractional. */
  conversions: z.number(),
  revenue: z.number(),
}
export const comparison = z.object({
  variantId: z.string(),
  metric: z.literal('conversionRate'),
  difference: z.number().nullable(),
  ci95: z.object({ low: z.number(), high: z.number() }).nullable(),
  lift: z.number().nullable(),
  significant: z.boolean(),
})
const interval = z.object({ low: z.number(), high: z.number() })
const liftEstimate = z.object({
  /** Exposed − held-out; null when a group has no visitors. */
  difference: z.number().nullable(),
  ci95: interval.nullable(),
  /** Exposed ÷ held-out − 1; null when the held-out value is 0. */
  relative: z.number().nullable(),
  relativeCi95: interval.nullable(),
})
const liftArm = z.object({
  visitors: z.number(),
  converters: z.number(),
  conversionRate: z.number(),
  revenue: z.number(),
  revenuePerVisitor: z.number(),
})
/**
 * What showing a campaign (or, for a site, every campaign) added: exposed against held-out visitors, with 95%
 * intervals (api/core/lift.ts says how each is computed).
 */
export const liftReadout = z
  .object({
    holdoutPercent: z.number(),
    exposed: liftArm,
    holdout: liftArm,
    conversionRate: liftEstimate,
    revenuePerVisitor: liftEstimate,
    incrementalConversions: z.object({ value: z.number(), ci95: interval }).nullable(),
    incrementalRevenue: z.object({ value: z.number(), ci95: interval }).nullable(),
    costPerIncrementalConversion: z.number().nullable(),
    srm: z.object({ chiSquare: z.number(), pValue: z.number(), mismatch: z.boolean() }),
    verdict: z.enum(['not_enough', 'added', 'reduced', 'unclear']),
    /** How long after a visitor's first exposure a conversion counts: the site's click attribution window. */
    windowDays: z.number(),
  })
  .meta({ id: 'LiftReadout' })
const incremental = z.object({ value: z.number(), ci95: interval }).nullable()
/** A campaign's readout, with each variant against the one holdout and the days of first exposure. */
export const campaignLift = liftReadout
  .extend({
    byVariant: z.array(
      z.object({
        variantId: z.string(),
        name: z.string(),
        exposed: liftArm,
        holdout: liftArm,
        conversionRate: liftEstimate,
        revenuePerVisitor: liftEstimate,
        incrementalConversions: incremental,
        incrementalRevenue: incremental,
        verdict: z.enum(['not_enough', 'added', 'reduced', 'unclear']),
      }),
    ),
    series: z.array(
      z.object({
        /** The day of the visitors' first exposure, as the analytics series name it. */
        t: z.string(),
        exposedVisitors: z.number(),
        holdoutVisitors: z.number(),
        incrementalConversions: incremental,
        incrementalRevenue: incremental,
      }),
    ),
  })
  .meta({ id: 'CampaignLift' })
/** `GET /campaigns/{id}/analytics`: every type's KPIs in one shape; a type adds its own fields. */
export const campaignAnalytics = z
  .object({
    campaignId: uuid,
    type: campaignType,
    from: time,
    to: time,
    interval: z.enum(['hour', 'day']),
    model: attributionModel,
    totals: z.record(z.string(), z.unknown()),
    reachExact: z.boolean(),
    series: z.array(z.object({ t: z.string(), ...brief, reach: z.number().optional() })),
    byVariant: z.array(
      z.object({
        variantId: z.string(),
        name: z.string(),
        reach: z.number(),
        conversionRate: z.number(),
        ...brief,
      }),
    ),
    /** `series` for each variant, bucket by bucket. */
    variantSeries: z.array(
      z.object({ variantId: z.string(), series: z.array(z.object({ t: z.string(), ...brief })) }),
    ),
    groupBy: z.enum(['variant', 'device', 'country']).optional(),
    groups: z.array(z.object({ key: z.string(), name: z.string().optional(), ...brief })).optional(),
    frequencyDistribution: z.array(
      z.object({ impressions: z.number(), visitors: z.number(), orMore: z.boolean() }),
    ),
    experiment: z.object({
      holdoutPercent: z.number(),
      bandit: z.object({ metric: z.enum(['click', 'conversion']) }).nullable(),
      srm: z.object({ chiSquare: z.number(), pValue: z.number(), mismatch: z.boolean() }).nullable(),
      control: z.string().nullable(),
      comparisons: z.array(comparison),
      /** Exposed against held-out visitors by first exposure in the range; null when the campaign has neither. */
      lift: campaignLift.nullable(),
    }),
  })
  .meta({ id: 'CampaignAnalytics' })
export const reachAnswer = z.object({
  from: time,
  to: time,
  reach: z.number(),
  exact: z.boolean(),
  impressions: z.number(),
  frequency: z.number(),
  byVariant: z.record(z.string(), z.number()),
})
export const overview = z.object({
  siteId: uuid,
  from: time,
  to: time,
  model: attributionModel,
  totals: z.object({
    visitors: z.number(),
    visitorsExact: z.boolean(),
    pageViews: z.number(),
    impressions: z.number(),
    clicks: z.number(),
    attributedConversions: z.number(),
    attributedRevenue: z.number(),
  }),
  conversions: z.record(z.string(), z.object({ count: z.number(), value: z.number() })),
  /** The site's visitors against its global holdout (intent-to-treat); null when it has none. */
  lift: liftReadout.nullable(),
  campaigns: z.array(
    z.object({
      id: uuid,
      name: z.string(),
      type: campaignType,
      status: z.enum(campaignStatuses),
      cost: cost.nullable(),
      roas: z.number().nullable(),
      ...brief,
    }),
  ),
})

// Leads and follow-ups

export const grade = z.enum(['A', 'B', 'C', 'D'])
export const leadConsent = z.object({ granted: z.boolean(), text: z.string().nullable(), at: z.string() })
export const leadSource = z.object({
  utm: z.partialRecord(
    z.enum(['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content']),
    z.string(),
  ),
  referrer: z.string().nullable(),
  url: z.string().nullable(),
})
const leadFields = z.record(z.string(), z.union([z.string(), z.boolean()]))
export const lead = z
  .object({
    id: uuid,
    siteId: uuid,
    email: z.string(),
    fields: leadFields,
    score: z.number(),
    grade,
    consent: leadConsent.nullable(),
    firstCampaignId: uuid.nullable(),
    lastCampaignId: uuid.nullable(),
    anonymousId: z.string().nullable(),
    source: leadSource,
    submissionCount: z.number().int(),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'Lead' })
export const submission = z.object({
  id: uuid,
  campaignId: uuid,
  variantId: uuid.nullable(),
  anonymousId: z.string().nullable(),
  fields: leadFields,
  consent: leadConsent.nullable(),
  source: leadSource,
  score: z.number(),
  createdAt: time,
})
export const leadDetail = lead.extend({ submissions: z.array(submission) })
/** `POST /leads` (public): the stored lead, and a signed download link when the form offers one. */
export const leadAnswer = z.object({
  leadId: uuid,
  status: z.enum(['created', 'updated']),
  download: z.object({ url: z.string(), expiresAt: time }).optional(),
})

/** What a webhook can take: the lead events and `audience.changed` (entries and exits, batched). */
export const webhookEventType = z.enum(['lead.created', 'lead.updated', 'audience.changed'])
export const mail = z
  .object({
    id: uuid,
    /** Null for the organization's own mail (a team invitation). */
    siteId: uuid.nullable().optional(),
    leadId: uuid.nullable().optional(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    status: z.enum(['outbox', 'queued', 'sent', 'failed']),
    transport: z.enum(['outbox', 'smtp', 'http']),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: time,
    sentAt: time.nullable(),
    /** Files sent with it (an event's .ics), as text; absent or null for none. */
    attachments: z
      .array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() }))
      .nullable()
      .optional(),
  })
  .meta({ id: 'Mail' })
const deliverySummary = z.object({
  id: uuid,
  event: z.string(),
  status: z.string(),
  createdAt: time,
  payload: z.unknown(),
})
export const personData = z.object({
  email: z.string(),
  leads: z.array(
    lead.extend({
      submissions: z.array(submission),
      mail: z.array(mail),
      webhookDeliveries: z.array(deliverySummary),
    }),
  ),
  visitors: z.array(z.object({ siteId: uuid, anonymousId: z.string(), events: z.array(z.unknown()) })),
  serverEvents: z.array(z.unknown()),
  mail: z.array(mail),
  webhookDeliveries: z.array(deliverySummary),
  /** The promotion types' rows that name this email (an event's RSVPs), by the type's part name. */
  byEmail: z.record(z.string(), z.unknown()).optional(),
})
export const erasure = z.object({
  email: z.string(),
  deleted: z.object({
    leads: z.number().int(),
    submissions: z.number().int(),
    mail: z.number().int(),
    webhookDeliveries: z.number().int(),
    visitors: z.number().int(),
    serverEvents: z.number().int(),
    /** The promotion types' rows naming this email that were erased, by the type's part name. */
    byEmail: z.record(z.string(), z.number().int()).optional(),
  }),
})
export const webhook = z
  .object({
    id: uuid,
    siteId: uuid,
    url: z.string(),
    events: z.array(webhookEventType),
    active: z.boolean(),
    createdAt: time,
  })
  .meta({ id: 'Webhook' })
/** The create answer is the only one that carries the signing secret. */
export const createdWebhook = webhook.extend({ secret: z.string() })
export const delivery = z.object({
  id: uuid,
  webhookId: uuid,
  event: webhookEventType,
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: time.nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: time,
  deliveredAt: time.nullable(),
  payload: z.record(z.string(), z.unknown()),
})

// Operations

export const health = z.object({
  ok: z.boolean(),
  database: z.boolean(),
  cache: z.object({
    activeCampaigns: z.object({ hits: z.number(), misses: z.number(), hitRate: z.number() }),
  }),
})
export const readiness = z.object({
  ok: z.boolean(),
  stopping: z.boolean(),
  database: z.boolean(),
  store: z.boolean(),
})

export type User = z.infer<typeof user>
export type SessionAnswer = z.infer<typeof session>
export type MemberAnswer = z.infer<typeof member>
export type InvitationAnswer = z.infer<typeof invitation>
export type CreatedInvitationAnswer = z.infer<typeof createdInvitation>
export type TeamAnswer = z.infer<typeof teamAnswer>
export type InvitationPreviewAnswer = z.infer<typeof invitationPreview>
export type AccountSessionAnswer = z.infer<typeof accountSession>
export type AuditEntryAnswer = z.infer<typeof auditEntry>
export type Site = z.infer<typeof site>
export type TestEventsAnswer = z.infer<typeof testEventsAnswer>
export type Variant = z.infer<typeof variant>
export type Campaign = z.infer<typeof campaign>
export type ServedType = z.infer<typeof servedTypes>['data'][number]
export type Decision = z.infer<typeof decision>
export type TraceEntry = z.infer<typeof traceEntry>
export type DecisionTrace = z.infer<typeof decisionTrace>
export type CustomAudience = z.infer<typeof customAudience>
export type Audience = z.infer<typeof audienceList>['data'][number]
export type CampaignAudienceAnswer = z.infer<typeof campaignAudience>
export type AudienceSizeAnswer = z.infer<typeof audienceSizeAnswer>
export type Comparison = z.infer<typeof comparison>
export type CampaignAnalytics = z.infer<typeof campaignAnalytics>
export type Overview = z.infer<typeof overview>
export type Lift = z.infer<typeof liftReadout>
export type CampaignLift = z.infer<typeof campaignLift>
export type Grade = z.infer<typeof grade>
export type Lead = z.infer<typeof lead>
export type Submission = z.infer<typeof submission>
export type LeadDetail = z.infer<typeof leadDetail>
export type Mail = z.infer<typeof mail>
export type PersonData = z.infer<typeof personData>
export type Erasure = z.infer<typeof erasure>
export type Webhook = z.infer<typeof webhook>
export type CreatedWebhook = z.infer<typeof createdWebhook>
export type Delivery = z.infer<typeof delivery>
export type CreatedSite = z.infer<typeof createdSite>
export type CreatedSecretKey = z.infer<typeof createdSecretKey>
export type SecretKey = z.infer<typeof secretKeyList>['data'][number]
export type InstallCheck = z.infer<typeof installCheck>
export type FieldProblem = z.infer<typeof fieldProblem>
