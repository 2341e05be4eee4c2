import { sql } from 'drizzle-orm'
import { attribute } from '../../../api/core/attribution'
import { type Db, rowsOf } from '../../../api/ports/database'
import { unknownVisitor } from '../../../api/ports/events'
import { none } from '../../../api/services/analytics/rollups'
import { settingsOf, touchesOf } from '../../../api/services/attribution'
import { creditEvents, type EventCredit, type IngestBatch } from '../../../api/services/ingest/pipeline'
import { commerceEvents, funnelMetric } from './kpis'

const funnelNames: ReadonlySet<string> = new Set(Object.values(commerceEvents))

/**
 * The page's own funnel events credited to the sales campaign that brought the visitor there. A shop's
 * `Promo.track('AddToCart', …)` names no campaign, so by itself it counts for none; here each newly stored
 * `ViewContent`, `AddToCart` and `InitiateCheckout` without a campaign id goes, whole, to the visitor's sales
 * campaign touch that last touch attribution would pick for a conversion at that moment (a click within the
 * site's click window, else a viewable impression within its view window; the latest wins), and rolls up under
 * that campaign and variant as `funnel:<name>` in the hour and day it happened. Events that carry a campaign id
 * are that campaign's already (rolled up under their own name), so they are left out: no event counts twice.
 *
 * It runs in ingest's transaction after attribution and before the rollups, and only sees the events this
 * write stored, so a resent event id adds nothing. Touches are read as attribution reads them (one indexed
 * query per batch over the batch's visitors), and only sales campaigns' touches are kept. These are not
 * conversions: no attribution row is written and the generic `conversions` never include them. The credit is
 * fixed when the event is stored (kept in `event_credits`, so rebuilt rollups hold it too); changing the site's
 * windows later re-credits purchases, not these.
 */
export async function creditFunnel(tx: Db, batch: IngestBatch) {
  const events = batch.stored.filter(
    (event) =>
      funnelNames.has(event.name) &&
      !event.campaignId &&
      event.anonymousId !== '' &&
      event.anonymousId !== unknownVisitor,
  )
  if (events.length === 0) return
  const settings = await settingsOf(tx, batch.siteId)
  const touches = await touchesOf(tx, batch.siteId, events, settings)
  if (touches.size === 0) return
  const sales = await salesCampaigns(tx, batch.siteId, touches)
  if (sales.size === 0) return
  const credits: EventCredit[] = []
  for (const event of events) {
    const own = (touches.get(event.anonymousId) ?? []).filter((touch) => sales.has(touch.campaignId))
    const at = new Date(event.timestamp as Date | string)
    const [credit] = attribute({ at: +at, value: 0 }, own, 'last_touch', settings)
    if (!credit) continue
    credits.push({
      eventId: event.id!,
      campaignId: credit.campaignId,
      variantId: credit.variantId ?? none,
      at,
      metric: funnelMetric(event.name),
      n: 1,
      value: event.value ?? 0,
      device: event.device,
      country: event.country,
    })
  }
  await creditEvents(tx, batch, credits)
}

/** Which of the touched campaigns are this site's sales campaigns: one lookup by primary key. */
async function salesCampaigns(
  tx: Db,
  siteId: string,
  touches: ReadonlyMap<string, { campaignId: string }[]>,
) {
  const ids = [...new Set([...touches.values()].flatMap((list) => list.map((touch) => touch.campaignId)))]
  const rows = rowsOf<{ id: string }>(
    await tx.execute(sql`
      select id from campaigns
      where site_id = ${siteId} and type = 'sales'
        and id in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`),
  )
  return new Set(rows.map((row) => row.id))
}
