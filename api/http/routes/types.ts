import { Hono } from 'hono'
import type { CampaignType } from '../../../schema/campaign'
import { campaignTypes } from '../../../schema/campaign'
import type { AppEnv } from '../env'

/**
 * `GET /types`: every campaign type, whether this server can serve it, and whether its campaigns hand out promo
 * codes (the admin's Promo codes screen lists those campaigns). A campaign of a type it cannot serve is stored
 * and edited, but activating it answers 422; the admin shows which are which. Nothing here is a site's.
 */
export function typeRoutes(types: Readonly<Partial<Record<CampaignType, { promoCodes?: unknown }>>>) {
  const app = new Hono<AppEnv>()
  const body = JSON.stringify({
    data: campaignTypes.map((type) => ({
      type,
      servable: types[type] !== undefined,
      promoCodes: types[type]?.promoCodes !== undefined,
    })),
  })
  app.get('/types', (c) =>
    c.body(body, 200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' }),
  )
  return app
}
