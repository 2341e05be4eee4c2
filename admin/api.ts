import type { Kpis } from '../api/analytics/kpis'
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
  type: 'awareness'
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

/** `GET /campaigns/:id/analytics`: every type's KPIs in one shape (api/analytics/kpis.ts). */
export interface Analytics {
  type: CampaignType
  /** Every type's KPIs, as the API computes them (api/analytics/kpis.ts). */
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

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

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
    { quietUnauthorized = false } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken
    let response: Response
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
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
  }
}

export type Api = ReturnType<typeof createApi>

export const api = createApi()
