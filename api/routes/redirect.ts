import { Hono } from 'hono'
import { slotName } from '../../schema/campaign'
import { itemUrlProp } from '../../schema/content'
import { landingCampaignParam, landingVariantParam } from '../../schema/landing'
import { isStorableText, limits } from '../../schema/limits'
import { unknownVisitor } from '../analytics/rollups'
import { isBot } from '../bots'
import type { ClickPayload } from '../clicks'
import { deviceOf, geoOf } from '../engine/visitor'
import { ApiError } from '../errors'
import type { EventRow } from '../ingest/writer'
import type { StoredEvent } from '../profile/profiles'
import type { Services } from '../services'
import { mirror } from './events'

/**
 * The signed destination naming the click for the page it leads to (schema/landing.ts): `utm_id` and
 * `promo_variant` added after the link's own query, which is kept exactly as signed, unless the link sets either.
 */
export function landingUrl(click: ClickPayload): string {
  const destination = click.u
  const query = new URL(destination).searchParams
  if (query.has(landingCampaignParam) || query.has(landingVariantParam)) return destination
  const hash = destination.indexOf('#')
  const base = hash < 0 ? destination : destination.slice(0, hash)
  const join = /[?&]$/.test(base) ? '' : base.includes('?') ? '&' : '?'
  const ids = `${landingCampaignParam}=${click.c}&${landingVariantParam}=${click.v}`
  return `${base}${join}${ids}${hash < 0 ? '' : destination.slice(hash)}`
}

/**
 * `GET /r/:token`: counts the click, then redirects to the signed destination, naming the click for the landing
 * page. An unsigned, edited or non-http(s) token redirects nowhere.
 */
export function redirectRoutes(services: Services) {
  const app = new Hono()
  app.get('/r/:token', async (c) => {
    const click = services.signer.verify(c.req.param('token'))
    if (!click) throw new ApiError('invalid_token', 'This link is not valid')
    const destination = landingUrl(click)
    // Unsigned attribution hints: kept only when they look like what serve puts there.
    const anonymousId = c.req.query('a')
    const slot = c.req.query('l')
    const referrer = c.req.header('referer')?.slice(0, 2048)
    // A crawler or link previewer following the link still gets there, but is no click.
    if (isBot(c.req.header('user-agent'))) {
      c.header('Cache-Control', 'no-store')
      return c.redirect(destination, 302)
    }
    const userAgent = c.req.header('user-agent')
    const row: EventRow = {
      id: crypto.randomUUID(),
      siteId: click.s,
      name: 'click',
      timestamp: new Date(services.now()),
      // Without the visitor's id the click still counts for the campaign, but feeds no profile or reach.
      anonymousId:
        anonymousId && anonymousId.length <= limits.id && isStorableText(anonymousId)
          ? anonymousId
          : unknownVisitor,
      campaignId: click.c,
      variantId: click.v,
      slot: slot && slotName.safeParse(slot).success ? slot : null,
      // A recommendation rail's card (`i=1`): the click is the signed destination's, for that item's CTR.
      props: c.req.query('i') === '1' ? { [itemUrlProp]: click.u } : null,
      referrer: referrer && isStorableText(referrer) ? referrer : null,
      device: userAgent ? deviceOf(userAgent).device : null,
      country:
        geoOf({
          header: (name) => c.req.header(name),
          cf: (c.req.raw as { cf?: unknown }).cf,
          geoHeaders: services.deps.geoHeaders,
        }).country ?? null,
    }
    try {
      // The same write as the SDK's events: rollups, profiles and attribution see the click.
      const { stored, profiles, queued } = await services.writer.write(click.s, [row])
      if (!queued) await mirror(services, click.s, profiles, stored as StoredEvent[])
    } catch (error) {
      // The visitor still gets where they were going; the lost count is logged.
      services.log.error('click not recorded', {
        campaignId: click.c,
        error: error instanceof Error ? error.name : typeof error,
      })
    }
    c.header('Cache-Control', 'no-store')
    c.header('Referrer-Policy', 'no-referrer-when-downgrade')
    return c.redirect(destination, 302)
  })
  return app
}
