import { Hono } from 'hono'
import { slotName } from '../../schema/campaign'
import { events } from '../../schema/db'
import { isStorableText, limits } from '../../schema/limits'
import { isBot } from '../bots'
import { ApiError } from '../errors'
import type { Services } from '../services'

/**
 * `GET /r/:token`: counts the click, then redirects to the signed destination. An unsigned, edited or
 * non-http(s) token redirects nowhere.
 */
export function redirectRoutes(services: Services) {
  const app = new Hono()
  app.get('/r/:token', async (c) => {
    const click = services.signer.verify(c.req.param('token'))
    if (!click) throw new ApiError('invalid_token', 'This link is not valid')
    // Unsigned attribution hints: kept only when they look like what serve puts there.
    const anonymousId = c.req.query('a')
    const slot = c.req.query('l')
    const referrer = c.req.header('referer')?.slice(0, 2048)
    // A crawler or link previewer following the link still gets there, but is no click.
    if (isBot(c.req.header('user-agent'))) {
      c.header('Cache-Control', 'no-store')
      return c.redirect(click.u, 302)
    }
    try {
      await services.db.insert(events).values({
        id: crypto.randomUUID(),
        siteId: click.s,
        name: 'click',
        timestamp: new Date(services.now()),
        anonymousId:
          anonymousId && anonymousId.length <= limits.id && isStorableText(anonymousId)
            ? anonymousId
            : 'unknown',
        campaignId: click.c,
        variantId: click.v,
        slot: slot && slotName.safeParse(slot).success ? slot : null,
        referrer: referrer && isStorableText(referrer) ? referrer : null,
      })
    } catch (error) {
      // The visitor still gets where they were going; the lost count is logged.
      services.log.error('click not recorded', { campaignId: click.c, error: String(error) })
    }
    c.header('Cache-Control', 'no-store')
    c.header('Referrer-Policy', 'no-referrer-when-downgrade')
    return c.redirect(click.u, 302)
  })
  return app
}
