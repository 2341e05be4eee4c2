import type { Context } from 'hono'
import { Hono } from 'hono'
import { z } from 'zod'
import { campaignType, slotName } from '../../schema/campaign'
import { limits } from '../../schema/limits'
import type { Decision, ServeRequest } from '../../schema/serve'
import { serveRequest } from '../../schema/serve'
import { publicPreflight, publicSite } from '../auth/public'
import { type Choice, decide } from '../engine/decide'
import { visitorContext } from '../engine/visitor'
import type { AppEnv } from '../env'
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

  async function serve(
    c: Context,
    request: Pick<ServeRequest, 'site' | 'slots' | 'anonymousId' | 'context'>,
    type?: string,
  ) {
    const site = await publicSite(c, services, request.site)
    const all = await services.active.forSite(site.id)
    const candidates = type ? all.filter((campaign) => campaign.type === type) : all
    const choices = decide(candidates, {
      slots: request.slots,
      anonymousId: request.anonymousId,
      now: services.now(),
      random: services.random,
      visitor: visitorContext({
        context: request.context,
        header: (name) => c.req.header(name),
        cf: (c.req.raw as { cf?: unknown }).cf,
        geoHeaders: services.deps.geoHeaders,
      }),
    })
    const origin = services.deps.publicUrl ?? new URL(c.req.url).origin
    const decisions = choices.map((choice) => toDecision(origin, choice, request.anonymousId))
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
