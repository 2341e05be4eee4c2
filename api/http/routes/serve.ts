import type { Context } from 'hono'
import { Hono } from 'hono'
import { z } from 'zod'
import { type CampaignType, campaignType, slotName } from '../../../schema/campaign'
import { limits } from '../../../schema/limits'
import type { Decision, ServeRequest } from '../../../schema/serve'
import { serveRequest } from '../../../schema/serve'
import { inGlobalHoldout } from '../../core/bucket'
import { profileMatches } from '../../core/capping'
import {
  type Choice,
  type DecisionInput,
  decide,
  finish,
  heldExposures,
  type Plan,
  rank,
  type ServableCampaign,
  type ServableVariant,
  type Settled,
  settleLocally,
  type TraceEntry,
} from '../../core/decide'
import { ApiError } from '../../core/errors'
import { type VisitorContext, visitorContext } from '../../core/visitor'
import { databaseUnavailable } from '../../ports/database'
import { anyHoldout } from '../../services/exposures'
import type { Services } from '../../services/index'
import { adminPrincipal } from '../auth/admin'
import { publicPreflight, publicSite } from '../auth/public'
import type { AppEnv } from '../env'
import { headerOf, parseQuery, readBody } from '../request'

/** Seconds a client may reuse an answer for the same page. */
const ttl = 60

export const typeServeQuery = z.strictObject({
  site: z.string().min(1).max(limits.id),
  placement: slotName.optional(),
  anonymousId: z.string().min(1).max(limits.id).default('anonymous'),
})

/**
 * What serving asks of a type whose decisions are completed after the engine chose them. Serving calls
 * `eligible` before deciding and `fill` only for answers where `wanted` says a decision needs it, so answers
 * without one await nothing.
 */
export interface DecisionFiller {
  /**
   * The campaigns that may compete (one that could not be filled, such as a rail of an empty catalog, may not),
   * for this visitor (their device and platform from the request, as targeting reads them).
   */
  eligible(
    siteId: string,
    campaigns: ServableCampaign[],
    visitor: VisitorContext,
  ): Promise<ServableCampaign[]> | ServableCampaign[]
  wanted(choices: Choice[]): boolean
  /**
   * The choices, less those left with nothing to show, and for each filled one the JSON fields it adds to its
   * decision (`,"items":[…]`), given the answer's click URL base and the visitor's query (`?a=…&l=…`).
   */
  fill(
    siteId: string,
    choices: Choice[],
    visitor: FilledVisitor,
    now: number,
    trace?: TraceEntry[],
  ): Promise<{ choices: Choice[]; fields: Map<Choice, (clickBase: string, visitorQuery: string) => string> }>
}

/** Who a decision is filled for: the anonymous id, the page, and what the request says about the visitor. */
export interface FilledVisitor {
  anonymousId: string
  /** The serve request's session: a sales cart left in an earlier session is an abandoned one. */
  sessionId?: string | undefined
  url?: string | undefined
  /** The request's visitor context (device, os, country…), as targeting reads it. */
  context?: VisitorContext
}

/** What serving asks of a promotion type (its part of ServerType, api/promotion.ts). */
export interface ServedType {
  publicConfig?(config: Record<string, unknown>): Record<string, unknown>
  visitorProof?: boolean
  filler?(services: Services): DecisionFiller
}

/** The JSON fields each filled decision of an answer adds (a rail's `,"items":[…]`), by choice. */
type Filled = Map<Choice, (clickBase: string, visitorQuery: string) => string>

export function serveRoutes(services: Services, types: Readonly<Partial<Record<CampaignType, ServedType>>>) {
  const app = new Hono<AppEnv>()

  /**
   * A decision as JSON, built from fragments made once per loaded variant (ids, type, format, creative, config,
   * click token, the click URL's start) and per slot, plus what depends on the request (the visitor's part of the
   * click URL): serializing the creative and config again on every page view was the largest cost of an answer.
   * Everything pasted in unescaped is JSON-safe by construction: a slot name's characters, base64url tokens, and
   * the visitor's id through encodeURIComponent.
   */
  const fragments = new WeakMap<ServableVariant, { head: string; click: string }>()
  const slotParts = new Map<string, { json: string; query: string }>()
  // Each type's decision filler, made once; serving without any (or answers that need none) awaits nothing.
  const fillers: DecisionFiller[] = Object.values(types).flatMap((type) =>
    type?.filler ? [type.filler(services)] : [],
  )
  // What every click URL shares: `…/r/` + token + `?a=` + visitor (+ `&l=` + slot).
  const clickBase = `${services.publicUrl}/r/`
  const clickBaseJson = JSON.stringify(clickBase).slice(1, -1)
  const typeOf = (campaign: { type: string }) => types[campaign.type as CampaignType]

  function fragmentOf(campaign: ServableCampaign, variant: ServableVariant) {
    let fragment = fragments.get(variant)
    if (fragment === undefined) {
      const fixed: Omit<Decision, 'slot' | 'clickUrl'> = {
        campaignId: campaign.id,
        variantId: variant.id,
        type: campaign.type as Decision['type'],
        format: campaign.format,
        creative: variant.creative,
        config: typeOf(campaign)?.publicConfig?.(campaign.config) ?? campaign.config,
      }
      if (variant.clickToken) fixed.token = variant.clickToken
      fragment = {
        head: `{${JSON.stringify(fixed).slice(1, -1)}`,
        click: variant.clickToken ? `,"clickUrl":"${clickBaseJson}${variant.clickToken}` : '',
      }
      fragments.set(variant, fragment)
    }
    return fragment
  }

  /** A slot's part of a decision and of its click URL (slot names are few; the cache is bounded all the same). */
  function slotPart(slot: string) {
    let part = slotParts.get(slot)
    if (part === undefined) {
      if (slotParts.size >= 1024) slotParts.clear()
      part = { json: `,"slot":"${slot}"`, query: `&l=${encodeURIComponent(slot)}` }
      slotParts.set(slot, part)
    }
    return part
  }

  function decisionJson(visitor: string, choice: Choice, filled?: Filled, proof?: string): string {
    const { campaign, variant, slot } = choice
    const fragment = fragmentOf(campaign, variant)
    let json = fragment.head
    let where = ''
    if (slot !== undefined) {
      const part = slotPart(slot)
      json += part.json
      where = part.query
    }
    if (fragment.click) json += `${fragment.click}${visitor}${where}"`
    if (proof && typeOf(campaign)?.visitorProof) json += `,"visitorToken":"${proof}"`
    const fields = filled?.get(choice)
    if (fields) json += fields(clickBase, `${visitor}${where}`)
    return `${json}}`
  }

  /** The answer: `{"decisions":[…],"ttl":…}` plus, when tracing, the trace and the store's state. */
  function answer(
    c: Context,
    siteId: string,
    choices: Choice[],
    anonymousId: string,
    extra?: object,
    filled?: Filled,
  ) {
    // Signed at most once per answer, and only when a decision's type asks for it (checked without a closure:
    // a function made per answer costs serve a measurable share where names are kept, as under tsx).
    let proof: string | undefined
    if (anonymousId !== 'anonymous') {
      for (const choice of choices) {
        if (typeOf(choice.campaign)?.visitorProof) {
          proof = services.signer.visitorToken(siteId, anonymousId)
          break
        }
      }
    }
    const visitor = `?a=${encodeURIComponent(anonymousId)}`
    let body = '{"decisions":['
    for (let i = 0; i < choices.length; i++) {
      if (i > 0) body += ','
      body += decisionJson(visitor, choices[i]!, filled, proof)
    }
    body += `],"ttl":${ttl}`
    if (extra) body += `,${JSON.stringify(extra).slice(1, -1)}`
    // No extra headers: a POST answer is never cached, and a plain JSON response takes the server's fast path.
    return c.body(`${body}}`, 200, { 'content-type': 'application/json' })
  }

  /**
   * The store's part of a decision, in one round trip (none when no candidate needs stored state). If the
   * store fails, the configured policy decides, and the answer is never an error: `open` serves as for a
   * visitor with no history (profile rules judged on an empty profile; caps, budget and pacing unchecked),
   * `closed` serves only candidates that need no stored state.
   */
  async function settle(plan: Plan, siteId: string): Promise<{ result: Settled; unavailable: boolean }> {
    if (!plan.needsStore) return { result: settleLocally(plan), unavailable: false }
    plan.request.site = siteId
    try {
      const result = await services.kv.claim(plan.request)
      services.active.observe(siteId, result.version)
      return { result, unavailable: false }
    } catch (error) {
      const policy = services.deps.kvFailure ?? 'open'
      services.log.error('kv claim failed; serving by the failure policy', { policy, error })
      const result = settleLocally(plan, (candidate) => {
        if (policy === 'closed') {
          const stateful = candidate.when || candidate.cap || candidate.pace || candidate.interruptive
          return stateful ? 'kv_unavailable' : null
        }
        return candidate.when && !profileMatches(candidate.when, undefined) ? 'profile' : null
      })
      return { result, unavailable: true }
    }
  }

  /** Decisions a type completes after choosing (a rail's cards) are filled then; answers without one await nothing. */
  async function fill(
    siteId: string,
    request: Pick<ServeRequest, 'anonymousId' | 'context' | 'sessionId'>,
    context: VisitorContext,
    now: number,
    chosen: Choice[],
    trace?: TraceEntry[],
  ): Promise<{ choices: Choice[]; filled: Filled | undefined }> {
    let choices = chosen
    let filled: Filled | undefined
    for (const filler of fillers) {
      if (!filler.wanted(choices)) continue
      const visitor = {
        anonymousId: request.anonymousId,
        sessionId: request.sessionId,
        url: request.context.url,
        context,
      }
      const result = await filler.fill(siteId, choices, visitor, now, trace)
      choices = result.choices
      filled = filled ? new Map([...filled, ...result.fields]) : result.fields
    }
    return { choices, filled }
  }

  async function serve(
    c: Context,
    request: Pick<ServeRequest, 'site' | 'slots' | 'anonymousId' | 'context' | 'sessionId'>,
    type?: string,
  ) {
    const debug = c.req.query('debug') === '1'
    // The trace is for admins, who call from the admin app's origin rather than the site's.
    const principal = debug ? await adminPrincipal(c, services) : undefined
    const site = await publicSite(c, services, request.site, !principal)
    if (principal) {
      if (!principal.siteIds.includes(site.id)) {
        throw new ApiError('forbidden', 'The decision trace needs a secret key or sign-in for this site')
      }
    }
    // The site's global holdout is shown nothing at all; its readout needs no record (api/services/lift.ts).
    if (inGlobalHoldout(site.id, site.globalHoldoutPercent, request.anonymousId)) {
      return answer(
        c,
        site.id,
        [],
        request.anonymousId,
        debug ? { trace: [], store: 'ok', globalHoldout: true } : undefined,
      )
    }
    const all = await services.active.forSite(site.id)
    // Exposures are recorded for campaigns with a holdout, outside traces, for visitors with an id.
    const recording = !debug && request.anonymousId !== 'anonymous' && anyHoldout(all)
    let candidates = type ? all.filter((campaign) => campaign.type === type) : all
    const input: DecisionInput = {
      slots: request.slots,
      anonymousId: request.anonymousId,
      sessionId: request.sessionId ?? '',
      now: services.now(),
      random: services.random,
      visitor: visitorContext({
        context: request.context,
        header: headerOf.bind(undefined, c),
        cf: (c.req.raw as { cf?: unknown }).cf,
        geoHeaders: services.deps.geoHeaders,
      }),
    }
    for (const filler of fillers) candidates = await filler.eligible(site.id, candidates, input.visitor)
    const { kv } = services
    const local = debug ? undefined : kv.siteState?.(site.id)
    if (local) {
      // The store is in this process: decide and claim in one pass, judging only the campaigns it reaches.
      const held: ServableCampaign[] | undefined = recording ? [] : undefined
      const chosen = decide(candidates, input, local, held)
      if (!fillers.some((filler) => filler.wanted(chosen))) {
        if (held) services.exposures.record(site.id, request.anonymousId, input.now, chosen, held)
        return answer(c, site.id, chosen, request.anonymousId)
      }
      const { choices, filled } = await fill(site.id, request, input.visitor, input.now, chosen)
      if (held) services.exposures.record(site.id, request.anonymousId, input.now, choices, held)
      return answer(c, site.id, choices, request.anonymousId, undefined, filled)
    }
    const plan = rank(candidates, input, debug)
    const { result, unavailable } = await settle(plan, site.id)
    const finished = finish(plan, result)
    const { choices, filled } = await fill(
      site.id,
      request,
      input.visitor,
      input.now,
      finished.choices,
      finished.trace,
    )
    if (recording) {
      const held = heldExposures(plan.held, result.chosen)
      services.exposures.record(site.id, request.anonymousId, input.now, choices, held)
    }
    const extra = debug ? { trace: finished.trace, store: unavailable ? 'unavailable' : 'ok' } : undefined
    return answer(c, site.id, choices, request.anonymousId, extra, filled)
  }

  /**
   * Serving never fails for an outage: the site and its campaigns come from memory while the database is away
   * (see SitesDirectory and ActiveCampaigns); one not seen since start gets no decision, for a short while.
   */
  async function serveThroughOutage(c: Context, run: () => Promise<Response>): Promise<Response> {
    try {
      return await run()
    } catch (error) {
      if (!databaseUnavailable(error)) throw error
      services.log.error('serving without the database: no decision', { code: databaseUnavailable(error) })
      return c.body('{"decisions":[],"ttl":5}', 200, { 'content-type': 'application/json' })
    }
  }

  app.options('/serve', (c) => publicPreflight(c, services))
  // Nothing in a serve request is written to the database, so its text needs no storability check.
  app.post('/serve', async (c) => {
    const request = await readBody(c, serveRequest, 'json-or-text', false)
    return serveThroughOutage(c, () => serve(c, request))
  })

  app.options('/campaigns/:type/serve', (c) => publicPreflight(c, services))
  app.get('/campaigns/:type/serve', async (c) => {
    const type = campaignType.safeParse(c.req.param('type'))
    if (!type.success) return c.notFound()
    const query = parseQuery(c, typeServeQuery)
    return serveThroughOutage(c, () =>
      serve(
        c,
        {
          site: query.site,
          slots: query.placement ? [query.placement] : [],
          anonymousId: query.anonymousId,
          context: {},
        },
        type.data,
      ),
    )
  })

  return app
}
