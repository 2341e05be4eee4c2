import type { Hono } from 'hono'
import type { CampaignAudience } from '../schema/audiences'
import type { CampaignType } from '../schema/campaign'
import type { TypeAnalytics } from './http/routes/analytics'
import type { DecisionFiller } from './http/routes/serve'
import type { DemoCampaign } from './services/bootstrap'

export type { DecisionFiller, DemoCampaign, TypeAnalytics }

import type { RouteDoc } from './http/contract/docs'
import type { AppEnv } from './http/env'
import type { LimitedRoute } from './http/limits'
import type { Services } from './services/index'
import type { Projection } from './services/ingest/pipeline'
import type { TypeJob } from './services/jobs'
import type { PersonalData } from './services/personal-data'
import type { CodeTerms } from './services/promo-code-types'

/**
 * What a promotion type brings to the server: everything the generic code (serve, decide, ingest, analytics,
 * bootstrap) asks of a type, so that code names none. A type's folder exports one of these from
 * `promotions/<type>/server/index.ts`, and `api/promotions.ts` registers it in one line. A type without an entry
 * is stored but cannot be activated (422) and is never served.
 */
export interface ServerType {
  /** The decision's `format`, from the campaign's config: a slot format (`inline`, `hero`) or a page one. */
  format(config: Record<string, unknown>): string
  /** The config as visitors' browsers get it, when part of it is the site's alone; all of it otherwise. */
  publicConfig?(config: Record<string, unknown>): Record<string, unknown>
  /**
   * Its decisions carry `visitorToken` (signed site and anonymous id), which the type's own submits send back so
   * the API links them to the visitor only for a browser that was served under that id.
   */
  visitorProof?: boolean
  /** Its own HTTP routes, mounted under `/api/v1` (submits, counts, its admin screens' data). */
  routes?(services: Services): Hono<AppEnv>
  /**
   * Its admin areas by path under `/api/v1` (`/leads`), mounted behind the admin guard (a signed-in admin or a
   * secret key), the admin body limit and no-store, like every generic admin area.
   */
  adminRoutes?: Readonly<Record<`/${string}`, (services: Services) => Hono<AppEnv>>>
  /**
   * The OpenAPI documentation of its `routes` and `adminRoutes` (full paths, `{id}` form), from the schemas its
   * handlers validate with; the document lists them and a test fails for any of its routes left out.
   */
  docs?: readonly RouteDoc[]
  /** Rate limits of its public routes, added to the generic table (api/http/limits.ts). */
  limits?: readonly LimitedRoute[]
  /** Work on stored events inside ingest's transaction, after profiles and before the rollups. */
  projections?: readonly Projection[]
  /** Fills its decisions after the engine chose them (a rail's cards); made once per app. */
  filler?(services: Services): DecisionFiller
  /** Adds the type's own KPIs to a campaign's analytics answer (its totals, series buckets and variants). */
  analytics?(input: TypeAnalytics): Promise<void>
  /** Its rows that hold a visitor's data, for the privacy export, erasure and the retention sweep. */
  personalData?: PersonalData
  /**
   * The audience its campaign is shown to, from the campaign's config: the audience engine keeps its members
   * (entries and exits over time) under `campaignAudienceKey(campaign id)`, and serve shows the campaign only to
   * visitors carrying that key among their profile's segments. Undefined: the campaign has no audience of its own.
   */
  audience?(config: Record<string, unknown>): CampaignAudience | undefined
  /**
   * Its campaigns hand out promo codes (shared codes and pools of unique ones, revealed to visitors and redeemed
   * by the shop's checkout through the promo-code routes), under these terms from the campaign's config: the
   * currency a redemption is in and what a code takes off the order. Undefined: the stored config no longer
   * validates, and its codes cannot be redeemed until the campaign is saved again.
   */
  promoCodes?(config: Record<string, unknown>): CodeTerms | undefined
  /** Work it runs on a schedule (Node: every minute; Workers: the every-minute cron), e.g. event reminders. */
  jobs?: readonly TypeJob[]
  /** Campaigns the demo site starts with on an empty database (api/services/bootstrap.ts). */
  demo?(origin: string): readonly DemoCampaign[]
}

/** The registry's shape: one entry per type that can be served. */
export type ServerTypes = Readonly<Partial<Record<CampaignType, ServerType>>>
