import { and, desc, eq, gte, inArray, isNotNull } from 'drizzle-orm'
import { Hono } from 'hono'
import { ApiError } from '../../../api/core/errors'
import { publicPreflight, publicSite } from '../../../api/http/auth/public'
import type { AppEnv } from '../../../api/http/env'
import { readBody } from '../../../api/http/request'
import type { StoredEvent } from '../../../api/ports/events'
import type { Services } from '../../../api/services/index'
import { mirror } from '../../../api/services/ingest/mirror'
import { appClaims, campaigns, events, identities } from '../../../schema/db'
import { appEventName, type ClaimAnswer, type ClaimRequest, claimRequest, deepLinkPath } from '../claims'
import type { AppPromotionConfig } from '../config'

/** How long after its click an install may still be claimed: the attribution window apps usually give installs. */
export const claimWindowDays = 30
const dayMs = 86_400_000

interface Click {
  id: string
  campaignId: string
  variantId: string | null
  anonymousId: string
  config: AppPromotionConfig
}

const notFound = (path: 'clickId' | 'userId', message: string) =>
  new ApiError('not_found', `${path}: ${message}`, [{ path, message }])

/** The site's recorded click on one of its app promotions, by the click's id or by its signed-in user's latest. */
async function clickOf(services: Services, siteId: string, claim: ClaimRequest): Promise<Click> {
  const since = new Date(services.now() - claimWindowDays * dayMs)
  const fields = {
    id: events.id,
    campaignId: campaigns.id,
    variantId: events.variantId,
    anonymousId: events.anonymousId,
    config: campaigns.config,
  }
  const onApp = and(
    eq(events.siteId, siteId),
    eq(events.name, 'click'),
    gte(events.timestamp, since),
    eq(campaigns.siteId, siteId),
    eq(campaigns.type, 'app_promotion'),
  )
  if (claim.clickId) {
    const [row] = await services.db
      .select(fields)
      .from(events)
      .innerJoin(campaigns, eq(campaigns.id, events.campaignId))
      .where(and(onApp, eq(events.id, claim.clickId)))
      .limit(1)
    if (!row)
      throw notFound('clickId', `no click on this site's app promotions in the last ${claimWindowDays} days`)
    return row as Click
  }
  const visitors = await services.db
    .select({ anonymousId: identities.anonymousId })
    .from(identities)
    .where(and(eq(identities.siteId, siteId), eq(identities.userId, claim.userId!)))
    .limit(50)
  const [row] = visitors.length
    ? await services.db
        .select(fields)
        .from(events)
        .innerJoin(campaigns, eq(campaigns.id, events.campaignId))
        .where(
          and(
            onApp,
            isNotNull(events.campaignId),
            inArray(
              events.anonymousId,
              visitors.map((v) => v.anonymousId),
            ),
          ),
        )
        .orderBy(desc(events.timestamp))
        .limit(1)
    : []
  if (!row)
    throw notFound(
      'userId',
      `no click by this user on this site's app promotions in the last ${claimWindowDays} days`,
    )
  return row as Click
}

/**
 * `POST /api/v1/app/claims` (publishable key): the deferred deep link. The first claim of a click and event
 * records the event (`app_install` or `app_first_open`) for the click's campaign and variant, as the clicking
 * visitor's; a replay answers the same with `recorded: false` and records nothing new (the claim's key; its event
 * keeps its id, so a replay after a lost write completes it and never adds a second).
 */
export function claimRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  app.options('/app/claims', (c) => publicPreflight(c, services))
  app.post('/app/claims', async (c) => {
    const claim = await readBody(c, claimRequest, 'json-or-text')
    const site = await publicSite(c, services, claim.site)
    const click = await clickOf(services, site.id, claim)
    const [inserted] = await services.db
      .insert(appClaims)
      .values({
        siteId: site.id,
        clickId: click.id,
        event: claim.event,
        campaignId: click.campaignId,
        variantId: click.variantId,
        anonymousId: click.anonymousId,
        platform: claim.platform,
        matchedBy: claim.clickId ? 'click_id' : 'user_id',
        eventId: crypto.randomUUID(),
        createdAt: new Date(services.now()),
      })
      .onConflictDoNothing()
      .returning()
    const [row] = inserted
      ? [inserted]
      : await services.db
          .select()
          .from(appClaims)
          .where(
            and(
              eq(appClaims.siteId, site.id),
              eq(appClaims.clickId, click.id),
              eq(appClaims.event, claim.event),
            ),
          )
    if (!row) throw new ApiError('conflict', 'The claim was removed while it was made; try again')
    const event: StoredEvent = {
      id: row.eventId,
      siteId: site.id,
      name: appEventName[row.event],
      timestamp: row.createdAt,
      anonymousId: row.anonymousId,
      campaignId: row.campaignId,
      variantId: row.variantId,
      props: { platform: row.platform, click_id: row.clickId, matched_by: row.matchedBy },
      device: 'mobile',
    }
    // Idempotent by the event's id: a replay whose first write was lost writes it now, and otherwise adds nothing.
    const { stored, profiles, queued } = await services.writer.write(site.id, [event])
    if (!queued) await mirror(services, site.id, profiles, stored as StoredEvent[])
    const answer: ClaimAnswer = {
      clickId: row.clickId,
      campaignId: row.campaignId,
      variantId: row.variantId,
      event: row.event,
      deepLink: click.config.deepLink ?? null,
      path: deepLinkPath(click.config.deepLink),
      recorded: inserted !== undefined,
    }
    return c.json(answer, inserted ? 201 : 200)
  })
  return app
}
