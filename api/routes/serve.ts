import type { Context } from 'hono'
import { Hono } from 'hono'
import { z } from 'zod'
import { campaignType, slotName } from '../../schema/campaign'
import { limits } from '../../schema/limits'
import type { Decision, ServeRequest } from '../../schema/serve'
import { serveRequest } from '../../schema/serve'
import { adminPrincipal } from '../auth/admin'
import { publicPreflight, publicSite } from '../auth/public'
import {
  type Choice,
  type DecisionInput,
  decide,
  finish,
  type Plan,
  rank,
  type Settled,
  settleLocally,
} from '../engine/decide'
import { visitorContext } from '../engine/visitor'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'
import { MemoryKv, profileMatches } from '../kv/memory'
import { parseQuery, readBody } from '../request'
import type { Services } from '../services'

/** Seconds a client may reuse an answer for the same page. */
const ttl = 60

const typeServeQuery = z.strictObject({
  site: z.string().min(1).max(limits.id),
  placement: slotName.optional(),
  anonymousId: z.string().min(1).max(limits.id).default('anonymous'),
})

export function serveRoutes(services: Services) {
  const app = new Hono<AppEnv>()

  /** Built field by field (no spreads): this runs once per unit on every page view. */
  function toDecision(origin: string, choice: Choice, anonymousId: string): Decision {
    const { campaign, variant, slot } = choice
    const decision: Decision = {
      campaignId: campaign.id,
      variantId: variant.id,
      type: campaign.type as Decision['type'],
      format: campaign.format,
      creative: variant.creative,
      config: campaign.config,
    }
    if (slot !== undefined) decision.slot = slot
    if (variant.clickToken) {
      decision.token = variant.clickToken
      const where = slot === undefined ? '' : `&l=${encodeURIComponent(slot)}`
      decision.clickUrl = `${origin}/r/${variant.clickToken}?a=${encodeURIComponent(anonymousId)}${where}`
    }
    return decision
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
      services.log.error('kv claim failed; serving by the failure policy', { policy, error: String(error) })
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
    const all = await services.active.forSite(site.id)
    const candidates = type ? all.filter((campaign) => campaign.type === type) : all
    const input: DecisionInput = {
      slots: request.slots,
      anonymousId: request.anonymousId,
      sessionId: request.sessionId ?? '',
      now: services.now(),
      random: services.random,
      visitor: visitorContext({
        context: request.context,
        header: (name) => c.req.header(name),
        cf: (c.req.raw as { cf?: unknown }).cf,
        geoHeaders: services.deps.geoHeaders,
      }),
    }
    const origin = services.deps.publicUrl ?? new URL(c.req.url).origin
    const { kv } = services
    if (kv instanceof MemoryKv && !debug) {
      // The store is in this process: decide and claim in one pass, judging only the campaigns it reaches.
      const choices = decide(candidates, input, kv.siteState(site.id))
      return c.json({
        decisions: choices.map((choice) => toDecision(origin, choice, request.anonymousId)),
        ttl,
      })
    }
    const plan = rank(candidates, input, debug)
    const { result, unavailable } = await settle(plan, site.id)
    const { choices, trace } = finish(plan, result)
    const decisions = choices.map((choice) => toDecision(origin, choice, request.anonymousId))
    if (debug) return c.json({ decisions, ttl, trace, store: unavailable ? 'unavailable' : 'ok' })
    // No extra headers: a POST answer is never cached, and a plain JSON response takes the server's fast path.
    return c.json({ decisions, ttl })
  }

  app.options('/serve', (c) => publicPreflight(c, services))
  app.post('/serve', async (c) => serve(c, await readBody(c, serveRequest, 'json-or-text')))

  app.options('/campaigns/:type/serve', (c) => publicPreflight(c, services))
  app.get('/campaigns/:type/serve', async (c) => {
    const type = campaignType.safeParse(c.req.param('type'))
    if (!type.success) return c.notFound()
    const query = parseQuery(c, typeServeQuery)
    return serve(
      c,
      {
        site: query.site,
        slots: query.placement ? [query.placement] : [],
        anonymousId: query.anonymousId,
        context: {},
      },
      type.data,
    )
  })

  return app
}
