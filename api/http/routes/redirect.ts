import { Hono } from 'hono'
import { slotName } from '../../../schema/campaign'
import { itemUrlProp } from '../../../schema/content'
import { clickIdMacro, landingCampaignParam, landingVariantParam, scannedProp } from '../../../schema/landing'
import { isStorableText, limits } from '../../../schema/limits'
import { isBot } from '../../core/bots'
import type { ClickPayload } from '../../core/clicks'
import { ApiError } from '../../core/errors'
import { deviceOf, geoOf } from '../../core/visitor'
import type { StoredEvent } from '../../ports/events'
import { unknownVisitor } from '../../ports/events'
import type { Services } from '../../services/index'
import { mirror } from '../../services/ingest/mirror'
import { clientIp } from '../client-ip'

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

const encodedMacro = encodeURIComponent(clickIdMacro)

/** The destination with the click id in place of the click-id macro (schema/landing.ts), where it has one. */
export function withClickId(destination: string, clickId: string): string {
  if (!destination.includes(clickIdMacro) && !destination.includes(encodedMacro)) return destination
  return destination.split(clickIdMacro).join(clickId).split(encodedMacro).join(clickId)
}

/** Repeats of a click within this long count once (the IAB/MRC click measurement guidelines' duplicate filter). */
export const clickRepeatMs = 30_000

/**
 * Whether the same visitor clicked the same unit (the token names campaign, variant and destination; `slot`
 * where it sits) within `clickRepeatMs`, through the shared store so that it holds across servers. The visitor
 * is the link's anonymous id, else the address; with neither, every click counts. A store that is down counts
 * the click (logged): a duplicate costs less than a lost click.
 */
async function isRepeat(
  services: Services,
  click: ClickPayload,
  token: string,
  slot: string | null,
  visitor: string | undefined,
): Promise<boolean> {
  if (!visitor) return false
  const unit = `${token.slice(token.indexOf('.') + 1)}:${slot ?? ''}`
  try {
    return (await services.kv.hit(click.s, `click:${visitor}:${unit}`, 1, clickRepeatMs, services.now())) > 0
  } catch (error) {
    services.log.error('click repeat check unavailable; counted', { error: String(error) })
    return false
  }
}

/**
 * `GET /r/:token`: counts the click (a repeat within `clickRepeatMs` once), then redirects to the signed
 * destination, every time, naming the click for the landing page. An unsigned, edited or non-http(s) token
 * redirects nowhere.
 */
export function redirectRoutes(services: Services) {
  const app = new Hono()
  app.get('/r/:token', async (c) => {
    const token = c.req.param('token')
    const click = services.signer.verify(token)
    if (!click) throw new ApiError('invalid_token', 'This link is not valid')
    const landing = landingUrl(click)
    const clickId = crypto.randomUUID()
    let destination = withClickId(landing, '')
    const redirect = () => {
      c.header('Cache-Control', 'no-store')
      c.header('Referrer-Policy', 'no-referrer-when-downgrade')
      return c.redirect(destination, 302)
    }
    // Unsigned attribution hints: kept only when they look like what serve puts there.
    const anonymousId = c.req.query('a')
    const slot = c.req.query('l')
    const referrer = c.req.header('referer')?.slice(0, 2048)
    // A crawler or link previewer following the link still gets there, but is no click.
    if (isBot(c.req.header('user-agent'))) {
      c.header('Cache-Control', 'no-store')
      return c.redirect(destination, 302)
    }
    const knownVisitor = anonymousId && anonymousId.length <= limits.id && isStorableText(anonymousId)
    const slotShown = slot && slotName.safeParse(slot).success ? slot : null
    const ip = knownVisitor ? undefined : clientIp(c, services.deps.clientIpHeader)
    const visitor = knownVisitor ? `a:${anonymousId}` : ip ? `ip:${ip}` : undefined
    if (await isRepeat(services, click, token, slotShown, visitor)) return redirect()
    destination = withClickId(landing, clickId)
    const userAgent = c.req.header('user-agent')
    const agent = userAgent ? deviceOf(userAgent) : undefined
    const props: Record<string, unknown> = {}
    // A recommendation rail's card (`i=1`): the click is the signed destination's, for that item's CTR.
    if (c.req.query('i') === '1') props[itemUrlProp] = click.u
    if (c.req.query('q') === '1') props[scannedProp] = true
    const row: StoredEvent = {
      id: clickId,
      siteId: click.s,
      name: 'click',
      timestamp: new Date(services.now()),
      // Without the visitor's id the click still counts for the campaign, but feeds no profile or reach.
      anonymousId: knownVisitor ? anonymousId : unknownVisitor,
      campaignId: click.c,
      variantId: click.v,
      slot: slotShown,
      props: Object.keys(props).length > 0 ? props : null,
      referrer: referrer && isStorableText(referrer) ? referrer : null,
      device: agent?.device ?? null,
      os: agent?.os?.slice(0, 32) ?? null,
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
    return redirect()
  })
  return app
}
