import { sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../ports/database'

const monthsAhead = 2
/** Dedupe rows outlive the 48-hour rule by the longest a conversion may arrive late (7 days) and a margin. */
const dedupeKeepDays = 10

const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1))
const partitionName = (at: Date) =>
  `events_p${at.getUTCFullYear()}${String(at.getUTCMonth() + 1).padStart(2, '0')}`

/**
 * Keeps the events table's monthly partitions ahead of time: one for every month from the oldest event's (or
 * this month) to `monthsAhead` months from now. Events outside every partition (a visitor's clock years off)
 * are still stored, in the default partition; when their month's partition is created they move into it, in
 * the same transaction, with the default detached meanwhile (writers of such rows wait; none fail). Also prunes
 * dedupe rows no conversion can meet any more. Idempotent: run after migrations and once a day.
 */
export async function ensureEventPartitions(db: Db, now: number): Promise<string[]> {
  const existing = new Set(
    rowsOf<{ name: string }>(
      await db.execute(sql`
        select c.relname as name from pg_inherits i
        join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
        where p.relname = 'events'`),
    ).map((row) => row.name),
  )
  const [oldest] = rowsOf<{ at: number | null }>(
    await db.execute(sql`select extract(epoch from min(ts)) * 1000 as at from events_default`),
  )
  const today = new Date(now)
  let cursor = monthStart(today.getUTCFullYear(), today.getUTCMonth())
  if (oldest?.at !== null && oldest?.at !== undefined) {
    const first = new Date(Number(oldest.at))
    // Not before year 2000: a timestamp from a broken clock must not make hundreds of empty partitions.
    if (first.getUTCFullYear() >= 2000 && first < cursor)
      cursor = monthStart(first.getUTCFullYear(), first.getUTCMonth())
  }
  const last = monthStart(today.getUTCFullYear(), today.getUTCMonth() + monthsAhead)
  const created: string[] = []
  for (; cursor <= last; cursor = monthStart(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1)) {
    const name = partitionName(cursor)
    if (existing.has(name)) continue
    const from = cursor.toISOString()
    const to = monthStart(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1).toISOString()
    const table = sql.identifier(name)
    await db.transaction(async (tx) => {
      const [waiting] = rowsOf<{ any: boolean | string }>(
        await tx.execute(
          sql`select exists (select 1 from events_default where ts >= ${from}::timestamptz and ts < ${to}::timestamptz) as any`,
        ),
      )
      const bounds = sql`for values from (${sql.raw(`'${from}'`)}) to (${sql.raw(`'${to}'`)})`
      if (waiting?.any === true || waiting?.any === 't') {
        await tx.execute(sql`alter table events detach partition events_default`)
        await tx.execute(sql`create table ${table} partition of events ${bounds}`)
        await tx.execute(sql`
          with moved as (
            delete from events_default where ts >= ${from}::timestamptz and ts < ${to}::timestamptz returning *)
          insert into ${table} select * from moved`)
        await tx.execute(sql`alter table events attach partition events_default default`)
      } else {
        await tx.execute(sql`create table ${table} partition of events ${bounds}`)
      }
    })
    created.push(name)
  }
  await db.execute(
    sql`delete from event_dedupe where ts < ${new Date(now - dedupeKeepDays * 86_400_000).toISOString()}::timestamptz`,
  )
  return created
}
