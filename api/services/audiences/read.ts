import { sql } from 'drizzle-orm'
import type { LeadConsent } from '../../../schema/db'
import { type ExportFormat, exportHeaders, exportRow } from '../../core/audience-export'
import { toCsv } from '../../core/csv'
import { type Db, rowsOf } from '../../ports/database'

const dayMs = 86_400_000
const jsonOf = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value)

/** How many visitors are in the audience now. */
export async function audienceSize(db: Db, siteId: string, key: string): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(sql`select count(*) as n from audience_memberships
      where site_id = ${siteId}::uuid and audience_key = ${key} and exited_at is null`),
  )
  return Number(row?.n ?? 0)
}

/** Whether the visitor is in the audience now (an open stay). */
export async function inAudience(db: Db, siteId: string, key: string, anonymousId: string): Promise<boolean> {
  const rows = rowsOf(
    await db.execute(sql`select 1 from audience_memberships
      where site_id = ${siteId}::uuid and audience_key = ${key} and anonymous_id = ${anonymousId}
        and exited_at is null limit 1`),
  )
  return rows.length > 0
}

/** When the scheduled run last refreshed the audience; null before its first run. */
export async function refreshedAt(db: Db, siteId: string, key: string): Promise<string | null> {
  const [row] = rowsOf<{ ms: number | string }>(
    await db.execute(sql`select (extract(epoch from refreshed_at) * 1000)::float8 as ms from audience_runs
      where site_id = ${siteId}::uuid and audience_key = ${key} and definition <> ''`),
  )
  return row ? new Date(Number(row.ms)).toISOString() : null
}

/**
 * The audience's size at the end of each UTC day from `from` to `to` (YYYY-MM-DD), today's as of `now`: who
 * had entered by then and not yet left, read from the memberships' entries and exits.
 */
export async function sizeSeries(
  db: Db,
  siteId: string,
  key: string,
  from: string,
  to: string,
  now: number,
): Promise<{ day: string; size: number }[]> {
  const days: string[] = []
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += dayMs) {
    days.push(new Date(t).toISOString().slice(0, 10))
  }
  const ends = days.map((day) =>
    new Date(Math.min(Date.parse(`${day}T00:00:00Z`) + dayMs, now)).toISOString(),
  )
  const rows = rowsOf<{ day: string; size: number | string }>(
    await db.execute(sql`
      select d.day, count(m.id) as size
      from unnest(${sql.param(days)}::text[], ${sql.param(ends)}::text[]) as d(day, ends_text)
      cross join lateral (select d.ends_text::timestamptz as ends_at) as e
      left join audience_memberships m on m.site_id = ${siteId}::uuid and m.audience_key = ${key}
        and m.entered_at <= e.ends_at and (m.exited_at is null or m.exited_at > e.ends_at)
      group by d.day
      order by d.day`),
  )
  const sizes = new Map(rows.map((row) => [row.day, Number(row.size)]))
  return days.map((day) => ({ day, size: sizes.get(day) ?? 0 }))
}

/** Form fields that hold a phone number, by name. */
const phoneField = /^(phone|phone_?number|mobile|tel|telephone)$/i

function phoneOf(fields: Record<string, unknown>): string | undefined {
  for (const [name, value] of Object.entries(fields)) {
    if (phoneField.test(name) && typeof value === 'string' && value.trim()) return value
  }
  return undefined
}

/**
 * The audience's current members as an ad platform's customer list (CSV, hashes only): each member whose lead
 * (a form they submitted on this visitor id) holds consent granted, with the lead's email and phone and the
 * visitor's user id. A member without a lead has no stored consent and is left out.
 */
export async function exportCsv(
  db: Db,
  siteId: string,
  key: string,
  format: ExportFormat,
): Promise<{ csv: string; rows: number }> {
  const people = rowsOf<{ email: string; fields: unknown; consent: unknown; user_id: string | null }>(
    await db.execute(sql`
      with members as (
        select anonymous_id from audience_memberships
        where site_id = ${siteId}::uuid and audience_key = ${key} and exited_at is null
      ), linked as (
        select l.id, m.anonymous_id from leads l join members m on m.anonymous_id = l.anonymous_id
        where l.site_id = ${siteId}::uuid
        union
        select s.lead_id, m.anonymous_id from lead_submissions s join members m on m.anonymous_id = s.anonymous_id
        where s.site_id = ${siteId}::uuid
      )
      select l.email, l.fields, l.consent, p.user_id
      from linked k
      join leads l on l.id = k.id and l.site_id = ${siteId}::uuid
      left join visitor_profiles p on p.site_id = ${siteId}::uuid and p.anonymous_id = k.anonymous_id
      order by l.id, k.anonymous_id`),
  )
  const seen = new Set<string>()
  const rows: string[][] = []
  for (const person of people) {
    const consent = jsonOf(person.consent) as LeadConsent | null
    if (consent?.granted !== true) continue
    const fields = (jsonOf(person.fields) ?? {}) as Record<string, unknown>
    const row = exportRow(format, { email: person.email, phone: phoneOf(fields), userId: person.user_id })
    if (!row) continue
    const line = row.join(',')
    if (seen.has(line)) continue
    seen.add(line)
    rows.push(row)
  }
  // In hash order: the file says nothing of who signed up when.
  rows.sort((a, b) => (a.join(',') < b.join(',') ? -1 : 1))
  return { csv: toCsv(exportHeaders[format], rows), rows: rows.length }
}
