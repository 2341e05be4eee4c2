import type { z } from 'zod'
import type { Kpis } from '../api/core/kpis'
import type { analyticsQuery, overviewQuery } from '../api/http/routes/analytics'
import type { listQuery as campaignListQuery } from '../api/http/routes/campaigns'
import type { listQuery as outboxQuery } from '../api/http/routes/outbox'
import type { sitePatch } from '../api/http/routes/sites'
import type { webhookCreate } from '../api/http/routes/webhooks'
import type {
  AccountSessionAnswer,
  Audience,
  AudienceSizeAnswer,
  AuditEntryAnswer,
  Campaign,
  CampaignAnalytics,
  CampaignAudienceAnswer,
  CreatedInvitationAnswer,
  CreatedSecretKey,
  CreatedSite,
  CreatedWebhook,
  CustomAudience,
  DecisionTrace,
  Delivery,
  FieldProblem,
  InstallCheck,
  InvitationPreviewAnswer,
  Mail,
  MemberAnswer,
  Overview,
  Page,
  SecretKey,
  ServedType,
  SessionAnswer,
  Site,
  TeamAnswer,
  TestEventsAnswer,
  Webhook,
} from '../schema/api'
import type { campaignCreate, campaignPatch, TransitionAction, variantInput } from '../schema/campaign'
import type { Role } from '../schema/roles'
import type { segmentCreate } from '../schema/segments'
import type { ServeRequest } from '../schema/serve'

// What the API answers: the types of the schemas it is documented and tested with (schema/api.ts), imported as
// types only, so the admin bundle holds no zod. What it sends is typed the same way, below.
export type {
  AccountSessionAnswer as AccountSession,
  Audience,
  AudienceSizeAnswer as AudienceSize,
  AuditEntryAnswer as AuditEntry,
  Campaign,
  CampaignAudienceAnswer as CampaignAudience,
  CampaignLift,
  Comparison,
  CreatedInvitationAnswer as CreatedInvitation,
  CreatedSecretKey,
  CreatedSite,
  CreatedWebhook,
  CustomAudience,
  DecisionTrace,
  Delivery,
  Erasure,
  FieldProblem,
  Grade,
  InstallCheck,
  InvitationAnswer as Invitation,
  InvitationPreviewAnswer as InvitationPreview,
  Lead,
  LeadDetail,
  Lift,
  Mail,
  MemberAnswer as Member,
  Overview,
  Page,
  PersonData,
  SecretKey,
  ServedType,
  Site,
  Submission,
  TeamAnswer as Team,
  TraceEntry,
  User,
  Variant,
  Webhook,
} from '../schema/api'
export type { Role } from '../schema/roles'

export type Session = Omit<SessionAnswer, 'csrfToken'>

/** `GET /campaigns/:id/analytics`, with `totals` as every type's KPIs (api/core/kpis.ts) rather than open. */
export type Analytics = Omit<CampaignAnalytics, 'totals'> & { totals: Kpis }

export type MailStatus = Mail['status']
export type Breakdown = NonNullable<CampaignAnalytics['groupBy']>
/** The few numbers the API gives every breakdown row and series bucket. */
export type Brief = Omit<CampaignAnalytics['series'][number], 't' | 'reach'>

// What the admin sends: the input types of the schemas the API validates with (type-only imports, so no zod in
// the bundle and nothing of the server at run time): a body or query the API would refuse does not typecheck.
export type VariantBody = z.input<typeof variantInput>
/** A query as the admin sends it: the schema's input, with coerced fields (`limit`) as the values they become. */
export type Query<S extends z.ZodType> = {
  [K in keyof z.input<S>]: unknown extends z.input<S>[K]
    ? z.output<S>[K & keyof z.output<S>] | undefined
    : z.input<S>[K]
}
export type CampaignBody = z.input<typeof campaignCreate>
export type CampaignPatch = z.input<typeof campaignPatch>
export type CampaignQuery = Query<typeof campaignListQuery>
export type AnalyticsQuery = Query<typeof analyticsQuery>
export type OverviewQuery = Query<typeof overviewQuery>
export type AudienceBody = z.input<typeof segmentCreate>
export type OutboxQuery = Query<typeof outboxQuery>
export type WebhookBody = z.input<typeof webhookCreate>

/** `PATCH /sites/:id`: what the Sites screen changes (every field optional). */
export type SitePatch = z.input<typeof sitePatch>

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

/** Where the API is, from the admin (same origin). */
export const base = '/api/v1'

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

/** An audience's customer list for Meta or Google (hashes only), for a plain download link. */
export function audienceExportUrl(id: string, format: 'meta' | 'google'): string {
  return `${base}/audiences/${encodeURIComponent(id)}/export${queryString({ format })}`
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
    createSite: (body: { name: string; allowedOrigins?: string[] }) =>
      request<CreatedSite>('POST', '/sites', body),
    getSite: (id: string) => request<Site>('GET', `/sites/${encodeURIComponent(id)}`),
    updateSite: (id: string, patch: SitePatch) =>
      request<Site>('PATCH', `/sites/${encodeURIComponent(id)}`, patch),
    rotatePublishableKey: (id: string) =>
      request<Site>('POST', `/sites/${encodeURIComponent(id)}/publishable-key/rotate`),
    listSecretKeys: (id: string) =>
      request<{ data: SecretKey[] }>('GET', `/sites/${encodeURIComponent(id)}/secret-keys`),
    createSecretKey: (id: string, name?: string) =>
      request<CreatedSecretKey>('POST', `/sites/${encodeURIComponent(id)}/secret-keys`, name ? { name } : {}),
    revokeSecretKey: (id: string, keyId: string) =>
      request<void>('DELETE', `/sites/${encodeURIComponent(id)}/secret-keys/${encodeURIComponent(keyId)}`),
    /** The latest event the site's pages sent: whether its tag is installed. */
    installCheck: (id: string) => request<InstallCheck>('GET', `/sites/${encodeURIComponent(id)}/install`),
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
    listCampaignAudiences: (siteId: string) =>
      request<{ data: CampaignAudienceAnswer[] }>('GET', `/audiences/campaigns${queryString({ siteId })}`),
    audienceSize: (id: string) =>
      request<AudienceSizeAnswer>('GET', `/audiences/${encodeURIComponent(id)}/size`),
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
    /** Server conversions sent with a test event code, newest first (the last 7 days). */
    testEvents: (siteId: string, code?: string) =>
      request<TestEventsAnswer>('GET', `/conversions/test-events${queryString({ siteId, code })}`),
    // Team, account and audit log.
    team: () => request<TeamAnswer>('GET', '/team'),
    invite: (email: string, role: Role) =>
      request<CreatedInvitationAnswer>('POST', '/team/invitations', { email, role }),
    withdrawInvitation: (id: string) =>
      request<void>('DELETE', `/team/invitations/${encodeURIComponent(id)}`),
    setRole: (id: string, role: Role) =>
      request<MemberAnswer>('PATCH', `/team/members/${encodeURIComponent(id)}`, { role }),
    removeMember: (id: string) => request<void>('DELETE', `/team/members/${encodeURIComponent(id)}`),
    previewInvitation: (token: string) =>
      request<InvitationPreviewAnswer>('POST', '/auth/invitation', { token }, { quietUnauthorized: true }),
    async acceptInvitation(token: string, name: string, password: string): Promise<Session> {
      const answer = await request<SessionAnswer>(
        'POST',
        '/auth/accept',
        { token, name, password },
        { quietUnauthorized: true },
      )
      return keepSession(answer)
    },
    sessions: () => request<{ data: AccountSessionAnswer[] }>('GET', '/account/sessions'),
    revokeSession: (id: string) => request<void>('DELETE', `/account/sessions/${encodeURIComponent(id)}`),
    revokeOtherSessions: () => request<{ revoked: number }>('POST', '/account/sessions/revoke-others'),
    changePassword: (currentPassword: string, newPassword: string) =>
      request<void>('POST', '/account/password', { currentPassword, newPassword }),
    audit: (query: { cursor?: string; limit?: number; entityId?: string } = {}) =>
      request<Page<AuditEntryAnswer>>('GET', `/audit${queryString({ ...query })}`),
    /** Any call a promotion type's admin makes to its own routes, with the same session, CSRF and errors. */
    call: <T>(method: Method, path: string, body?: unknown, options?: { contentType?: string }) =>
      request<T>(method, path, body, options),
  }
}

export type Api = ReturnType<typeof createApi>

export const api = createApi()
