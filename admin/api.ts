import type { Kpis } from '../api/core/kpis'
import type { LeadEventType } from '../api/services/followup/types'
import type {
  Audience,
  Campaign,
  CampaignAnalytics,
  ContentItem,
  CreatedWebhook,
  CustomAudience,
  DecisionTrace,
  Delivery,
  FieldProblem,
  Grade,
  Mail,
  Overview,
  Page,
  ServedType,
  SessionAnswer,
  Site,
  Webhook,
} from '../schema/api'
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
import type { ServeRequest } from '../schema/serve'

// What the API answers: the types of the schemas it is documented and tested with (schema/api.ts), imported as
// types only, so the admin bundle holds no zod. What the admin sends (bodies, queries) stays its own below.
export type {
  Audience,
  Campaign,
  Comparison,
  ContentItem,
  CreatedWebhook,
  CustomAudience,
  DecisionTrace,
  Delivery,
  Erasure,
  FieldProblem,
  Grade,
  ImportResult,
  Lead,
  LeadDetail,
  Mail,
  Overview,
  Page,
  PersonData,
  ServedType,
  Site,
  Submission,
  TraceEntry,
  User,
  Variant,
  Webhook,
} from '../schema/api'

export type Session = Omit<SessionAnswer, 'csrfToken'>

/** `GET /campaigns/:id/analytics`, with `totals` as every type's KPIs (api/core/kpis.ts) rather than open. */
export type Analytics = Omit<CampaignAnalytics, 'totals'> & { totals: Kpis }

export type MailStatus = Mail['status']
export type ContentReview = ContentItem['review']
export type Breakdown = NonNullable<CampaignAnalytics['groupBy']>
/** The few numbers the API gives every breakdown row and series bucket. */
export type Brief = Omit<CampaignAnalytics['series'][number], 't' | 'reach'>

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
  /** Who sees it; left out, everyone (on create) or as it was (on update). */
  targeting?: Targeting
  config: Record<string, unknown>
  variants: VariantBody[]
}

export type CampaignPatch = Partial<Omit<CampaignBody, 'type' | 'siteId'>>

export interface CampaignQuery {
  siteId?: string
  status?: CampaignStatus
  type?: CampaignType
  limit?: number
  cursor?: string
}

export interface AnalyticsQuery {
  from: string
  to: string
  interval: 'day'
  model: AttributionModel
  groupBy: Breakdown
}

export interface OverviewQuery {
  siteId?: string
  from: string
  to: string
}

export interface AudienceBody {
  siteId: string
  key: string
  name: string
  rule: unknown
  lookbackDays: number
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

export interface OutboxQuery {
  siteId?: string
  limit?: number
  cursor?: string
}

export interface WebhookBody {
  siteId: string
  url: string
  events: LeadEventType[]
}

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

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

const base = '/api/v1'

export function queryString(params: Record<string, string | number | undefined>): string {
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

  function keepSession(answer: SessionAnswer): Session {
    csrfToken = answer.csrfToken
    return { user: answer.user, organization: answer.organization }
  }

  return {
    /** Called when a request meets 401 outside login/me, i.e. the session ended while the app was open. */
    onUnauthorized(handler: () => void) {
      unauthorizedHandler = handler
    },
    async login(email: string, password: string): Promise<Session> {
      const answer = await request<SessionAnswer>(
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
          await request<SessionAnswer>('GET', '/auth/me', undefined, { quietUnauthorized: true }),
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
    listOutbox: (query: OutboxQuery) => request<Page<Mail>>('GET', `/outbox${queryString({ ...query })}`),
    listWebhooks: (siteId: string) => request<Page<Webhook>>('GET', `/webhooks${queryString({ siteId })}`),
    createWebhook: (body: WebhookBody) => request<CreatedWebhook>('POST', '/webhooks', body),
    deleteWebhook: (id: string) => request<void>('DELETE', `/webhooks/${encodeURIComponent(id)}`),
    listDeliveries: (id: string, cursor?: string) =>
      request<Page<Delivery>>(
        'GET',
        `/webhooks/${encodeURIComponent(id)}/deliveries${queryString({ cursor })}`,
      ),
    listTypes: () => request<{ data: ServedType[] }>('GET', '/types'),
    /** Any call a promotion type's admin makes to its own routes, with the same session, CSRF and errors. */
    call: <T>(method: Method, path: string, body?: unknown, options?: { contentType?: string }) =>
      request<T>(method, path, body, options),
  }
}

export type Api = ReturnType<typeof createApi>

export const api = createApi()
