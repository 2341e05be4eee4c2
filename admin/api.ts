import type { Kpis } from '../api/core/kpis'
import type { LeadEventType } from '../api/services/followup/types'
import type { AttributionModel } from '../schema/attribution'
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
  TransitionAction,
} from '../schema/campaign'
import type { ContentSource, LeadConsent, LeadSource } from '../schema/db'
import type { SegmentRule } from '../schema/segments'
import type { Decision, ServeRequest } from '../schema/serve'

export interface User {
  id: string
  email: string
  name: string
}

export interface Session {
  user: User
  organization: { id: string; name: string }
}

interface SessionResponse extends Session {
  csrfToken: string
}

export interface Site {
  id: string
  name: string
  publishableKey: string
  allowedOrigins: string[]
  createdAt: string
}

export interface Variant {
  id: string
  name: string
  weight: number
  creative: Creative
}

export interface Campaign {
  id: string
  siteId: string
  name: string
  type: CampaignType
  status: CampaignStatus
  objective?: string | null
  priority: number
  weight: number
  placements: string[]
  schedule: Schedule
  targeting: Targeting
  frequency: Frequency
  experiment: Experiment
  pacing: Pacing | null
  cost: Cost | null
  config: Record<string, unknown>
  variants: Variant[]
  createdBy: string | null
  createdAt: string
  updatedAt: string
}

export interface VariantBody {
  id?: string
  name: string
  weight: number
  creative: Creative
}

export interface CampaignBody {
  siteId: string
  name: string
  /** A type the admin registry knows (admin/promotions.ts); the API validates `config` against it. */
  type: string
  placements: string[]
  priority: number
  schedule: Partial<Schedule> & { timezone: string }
  /** Left out, the API applies the type's default caps. */
  frequency?: Frequency
  experiment?: Experiment
  pacing?: Pacing | null
  cost?: Cost | null
  config: Record<string, unknown>
  variants: VariantBody[]
}

export type CampaignPatch = Partial<Omit<CampaignBody, 'type' | 'siteId'>>

export interface Page<T> {
  data: T[]
  nextCursor: string | null
}

export interface CampaignQuery {
  siteId?: string
  status?: CampaignStatus
  type?: CampaignType
  limit?: number
  cursor?: string
}

export type Breakdown = 'variant' | 'device' | 'country'

export interface AnalyticsQuery {
  from: string
  to: string
  interval: 'day'
  model: AttributionModel
  groupBy: Breakdown
}

/** The few numbers the API gives every breakdown row and series bucket. */
export interface Brief {
  impressions: number
  viewableImpressions: number
  clicks: number
  ctr: number
  /** Credit under the chosen attribution model, so possibly fractional. */
  conversions: number
  revenue: number
}

export interface Comparison {
  variantId: string
  metric: 'conversionRate'
  /** Treatment minus control, as a fraction; null while either side has no visitors. */
  difference: number | null
  ci95: { low: number; high: number } | null
  lift: number | null
  significant: boolean
}

/** `GET /campaigns/:id/analytics`: every type's KPIs in one shape (api/core/kpis.ts). */
export interface Analytics {
  type: CampaignType
  /** Every type's KPIs, as the API computes them (api/core/kpis.ts). */
  totals: Kpis
  reachExact: boolean
  series: (Brief & { t: string; reach?: number })[]
  byVariant: (Brief & { variantId: string; name: string; reach: number; conversionRate: number })[]
  groupBy?: Breakdown
  /** Variant rows carry `name` too; device and country rows only their key. */
  groups?: (Brief & { key: string; name?: string })[]
  /** Visitors by how many impressions they saw; the last bucket (`orMore`) counts that many or more. */
  frequencyDistribution: { impressions: number; visitors: number; orMore: boolean }[]
  experiment: {
    holdoutPercent: number
    bandit: { metric: 'click' | 'conversion' } | null
    /** Absent with one variant, and with a bandit, which moves traffic on purpose. */
    srm: { chiSquare: number; pValue: number; mismatch: boolean } | null
    /** The first variant, which every other is compared with. */
    control: string | null
    comparisons: Comparison[]
  }
}

export interface OverviewQuery {
  siteId?: string
  from: string
  to: string
}

/** `GET /analytics/overview`: a site at a glance. */
export interface Overview {
  totals: {
    visitors: number
    visitorsExact: boolean
    pageViews: number
    impressions: number
    clicks: number
    attributedConversions: number
    attributedRevenue: number
  }
  conversions: Record<string, { count: number; value: number }>
  campaigns: (Brief & { id: string; name: string; roas: number | null })[]
}

/** Why one campaign was or was not chosen for a slot or page position, from `POST /serve?debug=1`. */
export interface TraceEntry {
  campaignId: string
  name: string
  slot?: string
  position?: string
  outcome: 'chosen' | 'skipped'
  reason?: string
  detail?: string
}

export interface DecisionTrace {
  decisions: Decision[]
  ttl: number
  trace: TraceEntry[]
  store: 'ok' | 'unavailable'
}

interface BuiltInAudience {
  key: string
  name: string
  description: string
  builtIn: true
}

export interface CustomAudience {
  id: string
  siteId: string
  key: string
  name: string
  rule: SegmentRule
  lookbackDays: number
  builtIn: false
  createdAt: string
  updatedAt: string
}

export type Audience = BuiltInAudience | CustomAudience

export interface AudienceBody {
  siteId: string
  key: string
  name: string
  rule: unknown
  lookbackDays: number
}

export type Grade = 'A' | 'B' | 'C' | 'D'

/** `GET /leads`: one person per site and email (promotions/lead_generation/server/admin.ts). */
export interface Lead {
  id: string
  siteId: string
  email: string
  fields: Record<string, string | boolean>
  score: number
  grade: Grade
  /** Exactly as the form sent it: the text shown beside the box, whether it was ticked, and when. */
  consent: LeadConsent | null
  firstCampaignId: string | null
  lastCampaignId: string | null
  anonymousId: string | null
  source: LeadSource
  submissionCount: number
  createdAt: string
  updatedAt: string
}

/** One submit of a form, with the values, consent and source of that submit. */
export interface Submission {
  id: string
  campaignId: string
  variantId: string | null
  anonymousId: string | null
  fields: Record<string, string | boolean>
  consent: LeadConsent | null
  source: LeadSource
  score: number
  createdAt: string
}

export interface LeadDetail extends Lead {
  submissions: Submission[]
}

export interface LeadFilters {
  siteId?: string
  campaignId?: string
  grade?: Grade
  /** First captured in [from, to): ISO times with an offset. */
  from?: string
  to?: string
  /** The start of the email. */
  q?: string
}

export interface LeadQuery extends LeadFilters {
  limit?: number
  cursor?: string
}

export type MailStatus = 'outbox' | 'queued' | 'sent' | 'failed'

/** A mail the product sent or holds (`GET /outbox`). */
export interface Mail {
  id: string
  /** The outbox names site and lead; a person's export leaves them to the lead the mail is listed under. */
  siteId?: string
  leadId?: string | null
  to: string
  subject: string
  text: string
  status: MailStatus
  transport: 'outbox' | 'smtp' | 'http'
  attempts: number
  lastError: string | null
  createdAt: string
  sentAt: string | null
}

export interface OutboxQuery {
  siteId?: string
  limit?: number
  cursor?: string
}

/** `GET /leads/person`: everything stored about one email, for a privacy request. */
export interface PersonData {
  email: string
  leads: (Lead & {
    submissions: Submission[]
    mail: Mail[]
    webhookDeliveries: { id: string; event: string; status: string; createdAt: string; payload: unknown }[]
  })[]
  /** The person's visitor ids, with what is stored under each (events: newest 1,000). */
  visitors: { siteId: string; anonymousId: string; events: unknown[] }[]
  /** Server conversions that name the person (email hash, user id) without a visitor id of theirs. */
  serverEvents: unknown[]
  /** Mail and webhook deliveries about the person whose lead is gone (deleted by retention). */
  mail: Mail[]
  webhookDeliveries: { id: string; event: string; status: string; createdAt: string; payload: unknown }[]
}

/** `DELETE /leads/person`: what was erased. */
export interface Erasure {
  email: string
  deleted: {
    leads: number
    submissions: number
    mail: number
    webhookDeliveries: number
    visitors: number
    serverEvents: number
  }
}

export interface Webhook {
  id: string
  siteId: string
  url: string
  events: LeadEventType[]
  active: boolean
  createdAt: string
}

/** The create answer is the only one that carries the signing secret. */
export interface CreatedWebhook extends Webhook {
  secret: string
}

export interface WebhookBody {
  siteId: string
  url: string
  events: LeadEventType[]
}

export interface Delivery {
  id: string
  webhookId: string
  event: LeadEventType
  status: 'pending' | 'succeeded' | 'failed'
  attempts: number
  nextAttemptAt: string | null
  /** The HTTP status of the last attempt; null when it got no answer. */
  lastStatus: number | null
  lastError: string | null
  createdAt: string
  deliveredAt: string | null
  payload: Record<string, unknown>
}

/** A content catalog item (`GET /content`, promotions/traffic/server/catalog.ts). */
export interface ContentItem {
  id: string
  siteId: string
  url: string
  title: string
  imageUrl: string | null
  summary: string | null
  tags: string[]
  category: string | null
  publishedAt: string | null
  source: ContentSource
  /** Whether rails may recommend it: a learned page waits as `pending` until corroborated or approved. */
  review: ContentReview
  impressions: number
  clicks: number
  createdAt: string
  updatedAt: string
}

export type ContentReview = 'pending' | 'approved' | 'rejected'

export interface ContentQuery {
  siteId?: string
  q?: string
  tag?: string
  review?: ContentReview
  limit?: number
  cursor?: string
}

/** One item for `PUT /content`, upserted by its URL. */
export interface ContentBody {
  siteId: string
  url: string
  title: string
  imageUrl?: string | null
  summary?: string | null
  tags?: string[]
  category?: string | null
  publishedAt?: string | null
}

/** `POST /content/import`: the valid rows are stored together; each refused row by its line in the file. */
export interface ImportResult {
  created: number
  updated: number
  rejected: { line: number; errors: FieldProblem[] }[]
}

/** `GET /types`: the campaign types this server knows, and whether it can serve each one yet. */
export interface ServedType {
  type: string
  servable: boolean
}

/** `GET /engagements/comments`: one comment as moderators see it (promotions/engagement). */
export interface EngagementComment {
  id: string
  siteId: string
  campaignId: string
  campaignName: string
  variantId: string | null
  text: string
  name?: string | null
  status: CommentStatus
  createdAt: string
  /** When it was last approved or rejected. */
  moderatedAt?: string | null
  anonymousId: string | null
}

export type CommentStatus = 'pending' | 'published' | 'rejected'

export interface CommentQuery {
  siteId?: string
  campaignId?: string
  status?: CommentStatus
  limit?: number
  cursor?: string
}

export interface FieldProblem {
  path: string
  message: string
}

/** Every failure the admin can meet (HTTP error, unreadable answer, no network) arrives as this one type. */
export class ApiError extends Error {
  override readonly name = 'ApiError'

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = undefined,
  ) {
    super(message)
  }

  /** Validation details as `{path, message}` pairs; paths given as arrays are joined with dots. */
  get fieldProblems(): FieldProblem[] {
    if (!Array.isArray(this.details)) return []
    const problems: FieldProblem[] = []
    for (const item of this.details) {
      if (typeof item !== 'object' || item === null) continue
      const { path, message } = item as { path?: unknown; message?: unknown }
      const text = typeof message === 'string' ? message : 'is invalid'
      if (typeof path === 'string') problems.push({ path, message: text })
      else if (Array.isArray(path)) problems.push({ path: path.join('.'), message: text })
    }
    return problems
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

const base = '/api/v1'

function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value))
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}

function analyticsPath(id: string, query: AnalyticsQuery, format?: 'csv'): string {
  return `/campaigns/${encodeURIComponent(id)}/analytics${queryString({ ...query, format })}`
}

/**
 * The same analytics as a spreadsheet, for a plain link: a same-origin GET carries the session cookie, and reads
 * need no CSRF token.
 */
export function analyticsCsvUrl(id: string, query: AnalyticsQuery): string {
  return `${base}${analyticsPath(id, query, 'csv')}`
}

/** The leads export with the list's filters, for a plain link (a same-origin GET with the session cookie). */
export function leadsCsvUrl(filters: LeadFilters): string {
  return `${base}/leads/export.csv${queryString({ ...filters })}`
}

async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown
  try {
    body = await response.json()
  } catch {
    body = undefined
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
    ?.error
  if (error && typeof error === 'object') {
    return new ApiError(
      response.status,
      typeof error.code === 'string' ? error.code : `http_${response.status}`,
      typeof error.message === 'string' ? error.message : `Request failed (${response.status})`,
      error.details,
    )
  }
  return new ApiError(response.status, `http_${response.status}`, `Request failed (${response.status})`)
}

/** A typed client for the admin endpoints: same-origin session cookie, CSRF header on every write. */
export function createApi() {
  let csrfToken = ''
  let unauthorizedHandler: (() => void) | undefined

  async function request<T>(
    method: Method,
    path: string,
    body?: unknown,
    { quietUnauthorized = false, contentType = 'application/json' } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = contentType
    if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken
    // JSON bodies are serialised here; a body of another type is sent as the text it is.
    const sent =
      body === undefined
        ? undefined
        : contentType === 'application/json'
          ? JSON.stringify(body)
          : String(body)
    let response: Response
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: sent,
      })
    } catch {
      throw new ApiError(
        0,
        'network_error',
        'The server could not be reached. Check your connection and retry.',
      )
    }
    if (!response.ok) {
      const error = await errorFrom(response)
      if (error.status === 401 && !quietUnauthorized) unauthorizedHandler?.()
      throw error
    }
    if (response.status === 204) return undefined as T
    try {
      return (await response.json()) as T
    } catch {
      throw new ApiError(
        response.status,
        'bad_response',
        'The server sent an answer the admin could not read.',
      )
    }
  }

  function keepSession(answer: SessionResponse): Session {
    csrfToken = answer.csrfToken
    return { user: answer.user, organization: answer.organization }
  }

  return {
    /** Called when a request meets 401 outside login/me, i.e. the session ended while the app was open. */
    onUnauthorized(handler: () => void) {
      unauthorizedHandler = handler
    },
    async login(email: string, password: string): Promise<Session> {
      const answer = await request<SessionResponse>(
        'POST',
        '/auth/login',
        { email, password },
        { quietUnauthorized: true },
      )
      return keepSession(answer)
    },
    /** The current session, or null when nobody is logged in. */
    async me(): Promise<Session | null> {
      try {
        return keepSession(
          await request<SessionResponse>('GET', '/auth/me', undefined, { quietUnauthorized: true }),
        )
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null
        throw error
      }
    },
    async logout(): Promise<void> {
      await request<void>('POST', '/auth/logout', undefined, { quietUnauthorized: true })
      csrfToken = ''
    },
    listSites: () => request<Page<Site>>('GET', '/sites'),
    listCampaigns: (query: CampaignQuery = {}) =>
      request<Page<Campaign>>('GET', `/campaigns${queryString({ ...query })}`),
    getCampaign: (id: string) => request<Campaign>('GET', `/campaigns/${encodeURIComponent(id)}`),
    createCampaign: (body: CampaignBody) => request<Campaign>('POST', '/campaigns', body),
    updateCampaign: (id: string, patch: CampaignPatch) =>
      request<Campaign>('PATCH', `/campaigns/${encodeURIComponent(id)}`, patch),
    deleteCampaign: (id: string) => request<void>('DELETE', `/campaigns/${encodeURIComponent(id)}`),
    transition: (id: string, action: TransitionAction) =>
      request<Campaign>('POST', `/campaigns/${encodeURIComponent(id)}/${action}`),
    analytics: (id: string, query: AnalyticsQuery) => request<Analytics>('GET', analyticsPath(id, query)),
    overview: (query: OverviewQuery) =>
      request<Overview>('GET', `/analytics/overview${queryString({ ...query })}`),
    /** A real serve, traced: it counts toward caps for `anonymousId`, so the admin names its own visitor. */
    traceServe: (body: ServeRequest) => request<DecisionTrace>('POST', '/serve?debug=1', body),
    listAudiences: (siteId: string) =>
      request<{ data: Audience[] }>('GET', `/audiences${queryString({ siteId })}`),
    createAudience: (body: AudienceBody) => request<CustomAudience>('POST', '/audiences', body),
    deleteAudience: (id: string) => request<void>('DELETE', `/audiences/${encodeURIComponent(id)}`),
    listLeads: (query: LeadQuery) => request<Page<Lead>>('GET', `/leads${queryString({ ...query })}`),
    getLead: (id: string) => request<LeadDetail>('GET', `/leads/${encodeURIComponent(id)}`),
    /** Everything stored about one email on one site: a privacy request's export. */
    findPerson: (email: string, siteId: string) =>
      request<PersonData>('GET', `/leads/person${queryString({ email, siteId })}`),
    erasePerson: (email: string, siteId: string) =>
      request<Erasure>('DELETE', `/leads/person${queryString({ email, siteId })}`),
    listOutbox: (query: OutboxQuery) => request<Page<Mail>>('GET', `/outbox${queryString({ ...query })}`),
    listWebhooks: (siteId: string) => request<Page<Webhook>>('GET', `/webhooks${queryString({ siteId })}`),
    createWebhook: (body: WebhookBody) => request<CreatedWebhook>('POST', '/webhooks', body),
    deleteWebhook: (id: string) => request<void>('DELETE', `/webhooks/${encodeURIComponent(id)}`),
    listDeliveries: (id: string, cursor?: string) =>
      request<Page<Delivery>>(
        'GET',
        `/webhooks/${encodeURIComponent(id)}/deliveries${queryString({ cursor })}`,
      ),
    listContent: (query: ContentQuery) =>
      request<Page<ContentItem>>('GET', `/content${queryString({ ...query })}`),
    /** Creates or updates the item with this URL. */
    saveContent: (body: ContentBody) => request<ContentItem>('PUT', '/content', body),
    deleteContent: (id: string) => request<void>('DELETE', `/content/${encodeURIComponent(id)}`),
    /** Lets rails recommend the item now, or keeps it out of them for good. */
    reviewContent: (id: string, verdict: 'approve' | 'reject') =>
      request<ContentItem>('POST', `/content/${encodeURIComponent(id)}/${verdict}`),
    listTypes: () => request<{ data: ServedType[] }>('GET', '/types'),
    listComments: (query: CommentQuery) =>
      request<Page<EngagementComment>>('GET', `/engagements/comments${queryString({ ...query })}`),
    /** Publishes a held comment, or takes a published one down. */
    moderateComment: (id: string, verdict: 'approve' | 'reject') =>
      request<EngagementComment>('POST', `/engagements/comments/${encodeURIComponent(id)}/${verdict}`),
    deleteComment: (id: string) => request<void>('DELETE', `/engagements/comments/${encodeURIComponent(id)}`),
    importContent: (siteId: string, csv: string) =>
      request<ImportResult>('POST', `/content/import${queryString({ siteId })}`, csv, {
        contentType: 'text/csv',
      }),
  }
}

export type Api = ReturnType<typeof createApi>

export const api = createApi()
