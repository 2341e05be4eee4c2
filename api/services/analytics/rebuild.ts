import { and, asc, eq, gt, gte, or, sql } from 'drizzle-orm'
import { events } from '../../../schema/db'
import { type Db, rowsOf } from '../../ports/database'
import { addToRollups, creditMetric, type Increment, none, rollUpEvents } from './rollups'

const rollupTables = [
  'rollups_daily',
  'rollups_hourly',
  'rollups_by_dimension',
  'reach_daily',
  'campaign_visitors',
  'frequency_histogram',
] as const

/** A stored credit row (`at` in epoch ms) as the rollups take it. */
const creditIncrement = (row: Record<string, unknown>, metric: string, n: unknown): Increment => ({
  campaignId: row.campaign_id as string,
  variantId: (row.variant_id as string | null) ?? none,
  at: new Date(Number(row.at)),
  metric,
  n: Number(n),
  value: Number(row.value),
  device: row.device as string | null,
  country: row.country as string | null,
})

/**
 * Recomputes a site's rollups from its raw events and stored credit (attribution's, and what the types'
 * projections kept in `event_credits`), in one transaction: what a database upgraded from before rollups needs
 * once, and a repair tool. Events are read in time order, a chunk at a time, and added exactly as ingest adds
 * them. Ingest for the site waits while it runs.
 */
export async function rebuildRollups(
  db: Db,
  siteId: string,
  options: { chunk?: number; onProgress?: (events: number) => void } = {},
): Promise<{ events: number; credits: number }> {
  const chunk = options.chunk ?? 10_000
  return db.transaction(async (tx) => {
    for (const table of rollupTables) {
      await tx.execute(sql`delete from ${sql.identifier(table)} where site_id = ${siteId}`)
    }
    let done = 0
    let after: { ts: Date; id: string } | undefined
    for (;;) {
      const rows = await tx
        .select()
        .from(events)
        .where(
          and(
            eq(events.siteId, siteId),
            // `ts >= last` bounds the index range, so each chunk starts where the last ended instead of
            // scanning the site's events from the beginning again.
            after
              ? and(
                  gte(events.timestamp, after.ts),
                  or(gt(events.timestamp, after.ts), gt(events.id, after.id)),
                )
              : undefined,
          ),
        )
        .orderBy(asc(events.timestamp), asc(events.id))
        .limit(chunk)
      if (rows.length === 0) break
      await rollUpEvents(tx, siteId, rows)
      done += rows.length
      options.onProgress?.(done)
      const last = rows[rows.length - 1]!
      after = { ts: last.timestamp, id: last.id }
    }
    const credits = rowsOf<Record<string, unknown>>(
      await tx.execute(sql`
        select a.campaign_id, a.variant_id, a.model, a.weight, a.value,
          extract(epoch from a.conversion_at) * 1000 as at, e.device, e.country
        from attributions a left join events e on e.id = a.conversion_id
        where a.site_id = ${siteId}`),
    ).map((row) => creditIncrement(row, creditMetric(row.model as never), row.weight))
    // Credit the types' projections gave events outside attribution (sales' funnel events), as it was given.
    const given = rowsOf<Record<string, unknown>>(
      await tx.execute(sql`
        select campaign_id, variant_id, metric, n, value, extract(epoch from at) * 1000 as at, device, country
        from event_credits where site_id = ${siteId}`),
    ).map((row) => creditIncrement(row, row.metric as string, row.n))
    const all = [...credits, ...given]
    for (let i = 0; i < all.length; i += chunk) await addToRollups(tx, siteId, all.slice(i, i + chunk))
    return { events: done, credits: all.length }
  })
}

/**
 * Sites with events but no rollups (a database from before rollups existed) get theirs built; run after
 * migrations, so an upgraded install shows its history. A site whose events all have rollups is left alone.
 */
export async function backfillRollups(db: Db, log?: (message: string) => void): Promise<void> {
  const sites = rowsOf<{ id: string }>(
    await db.execute(sql`
      select s.id from sites s
      where exists (select 1 from events e where e.site_id = s.id)
        and not exists (select 1 from rollups_daily r where r.site_id = s.id)`),
  )
  for (const site of sites) {
    const built = await rebuildRollups(db, site.id)
    log?.(`rollups built for site ${site.id}: ${built.events} events, ${built.credits} credit rows`)
  }
}
