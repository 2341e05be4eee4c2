import { eq, sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../../api/ports/database'
import type { StoredEvent } from '../../../api/ports/events'
import { unknownVisitor } from '../../../api/ports/events'
import { isPlainText, itemImpressionEvent, itemUrlProp } from '../../../schema/content'
import { contentItems, contentSightings, sites, visitorRecentViews } from '../../../schema/db'
import { isStorableTime, limits } from '../../../schema/limits'
import { recentViewsKept } from './cache'
import { normaliseUrl, tagsOf } from './catalog'

/** A page as its `page` event describes it (see `pageContentProps`). */
export interface LearnedItem {
  url: string
  title: string
  imageUrl: string | null
  summary: string | null
  tags: string[]
  category: string | null
  publishedAt: string | null
  /** When the page was seen, so the latest sighting of a page in a batch wins. */
  seenAt: number
}

/**
 * A learned page is recommended once this many distinct visitors reported it with the same content, on at least
 * two different days (the server's, not the events' own clock): one forged `page` event, or a burst of them in
 * one sitting, is not enough, while a real new article on a small site gets into rails within a day or two.
 * Visitor ids are the browsers' own, so a patient forger can still make up three of them over two days: a site
 * that wants no such risk sets `learnedContent: "approval"`, and an admin approves each page.
 */
export const corroboratingVisitors = 3

/** A prop as plain text of at most `max` characters (cut at a character, never inside a surrogate pair). */
function plainProp(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null
  const text = value.trim().replace(/\s+/g, ' ')
  if (text === '' || !isPlainText(text)) return null
  if (text.length <= max) return text
  const end = /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max
  return text.slice(0, end)
}

const timeOf = (value: Date | string) => (value instanceof Date ? value.getTime() : Date.parse(value))

/** The catalog URL of the page an event was on: its canonical link when it has a usable one, else its URL. */
export function pageUrlOf(event: StoredEvent): string | undefined {
  const canonical = event.props?.canonical
  return (
    normaliseUrl(typeof canonical === 'string' ? canonical : undefined, event.url ?? undefined) ??
    normaliseUrl(event.url)
  )
}

/** The item a page event describes, or undefined when it names no title (markup is not a title). */
export function learnedItemOf(event: StoredEvent, url: string): LearnedItem | undefined {
  const props = event.props ?? {}
  const title = plainProp(props.og_title, limits.name)
  if (!title) return undefined
  const image = typeof props.og_image === 'string' ? normaliseImage(props.og_image, url) : null
  const published =
    typeof props.article_published_time === 'string' ? Date.parse(props.article_published_time) : NaN
  const tags = typeof props.article_tag === 'string' ? props.article_tag.split(',') : []
  const seenAt = timeOf(event.timestamp)
  return {
    url,
    title,
    imageUrl: image,
    summary: plainProp(props.og_description, limits.summary),
    tags: tagsOf(tags.flatMap((tag) => plainProp(tag, limits.tag) ?? [])),
    category: plainProp(props.article_section, limits.shortText),
    // A page cannot have been published after it was seen: a future date would keep the full recency boost.
    // A time outside the years 1000–9999 (year 0 PostgreSQL refuses) is no date, not a failed batch of events.
    publishedAt: isStorableTime(published) ? new Date(Math.min(published, seenAt)).toISOString() : null,
    seenAt,
  }
}

/** An image URL resolved against the page, http(s) only; its query string is kept (it may pick the size). */
function normaliseImage(value: string, page: string): string | null {
  try {
    const url = new URL(value, page)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
    url.hash = ''
    return url.href.length <= limits.url ? url.href : null
  } catch {
    return null
  }
}

const byKey =
  <T>(key: (row: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0

/**
 * What a batch of newly stored events teaches the content catalog, in the ingest transaction:
 * - each `page` event is a view: the visitor's recent views keep the latest 50 pages (by catalog URL) with times;
 * - a `page` event with `og_title` (and the other `pageContentProps`) upserts its page as a `page` item, when the
 *   page is on one of the site's allowed origins: a page item takes the newest values, while an item an admin
 *   or CSV gave only has its empty fields filled, never its own overwritten;
 * - `traffic_promotion_impression` events and click events with `props.item_url` (both of a campaign) add to the
 *   item's impressions and clicks.
 * Call it with the rows newly stored, after the profiles are updated: a retried batch teaches nothing twice.
 * `now` is the server's clock (never the events' own), for the days that corroborate a learned page.
 */
export async function learnContent(
  tx: Db,
  siteId: string,
  stored: StoredEvent[],
  now: number,
): Promise<void> {
  const views = new Map<string, { anonymousId: string; url: string; at: number }>()
  const learned = new Map<string, LearnedItem>()
  const reporters = new Map<string, Set<string>>()
  const counts = new Map<string, { impressions: number; clicks: number }>()
  for (const event of stored) {
    if (event.name === 'page') {
      const url = pageUrlOf(event)
      if (!url) continue
      const at = timeOf(event.timestamp)
      if (event.anonymousId !== unknownVisitor) {
        const key = `${event.anonymousId}\n${url}`
        const known = views.get(key)
        if (!known || known.at < at) views.set(key, { anonymousId: event.anonymousId, url, at })
      }
      const item = learnedItemOf(event, url)
      const known = item && learned.get(url)
      if (item && (!known || known.seenAt < item.seenAt)) learned.set(url, item)
      if (item && event.anonymousId !== unknownVisitor) {
        const seen = reporters.get(url) ?? new Set()
        reporters.set(url, seen.add(event.anonymousId))
      }
      continue
    }
    const counted =
      event.name === itemImpressionEvent ? 'impressions' : event.name === 'click' ? 'clicks' : null
    const itemUrl = event.props?.[itemUrlProp]
    if (!counted || !event.campaignId || typeof itemUrl !== 'string') continue
    const url = normaliseUrl(itemUrl)
    if (!url) continue
    const count = counts.get(url) ?? { impressions: 0, clicks: 0 }
    count[counted]++
    counts.set(url, count)
  }
  if (views.size > 0) await recordViews(tx, siteId, [...views.values()])
  const items = learned.size > 0 ? await onAllowedOrigins(tx, siteId, [...learned.values()]) : []
  if (items.length > 0 && counts.size > 0) {
    // Both statements below lock items; taking every lock first, in URL order, keeps two flushes of one site
    // from waiting on each other in a circle.
    const urls = [...new Set([...items.map((item) => item.url), ...counts.keys()])].sort()
    await tx.execute(sql`
      select 1 from ${contentItems}
      where ${contentItems.siteId} = ${siteId} and ${contentItems.url} = any(${sql.param(urls)}::text[])
      order by ${contentItems.url} for update`)
  }
  if (items.length > 0) {
    const changed = await upsertLearned(tx, siteId, items)
    await corroborate(tx, siteId, items, reporters, changed, new Date(now).toISOString().slice(0, 10))
  }
  if (counts.size > 0) await addCounts(tx, siteId, counts)
}

/**
 * Records who reported the batch's pending pages on `day` (UTC), and approves those now corroborated (on a site that
 * takes corroboration). `changed` pages start over: their earlier sightings vouched for other content.
 * Sightings of pages no longer pending go, so the table holds evidence only while it is needed.
 */
async function corroborate(
  tx: Db,
  siteId: string,
  items: LearnedItem[],
  reporters: Map<string, Set<string>>,
  changed: string[],
  day: string,
) {
  const urls = items.map((item) => item.url)
  if (changed.length > 0) {
    await tx.execute(sql`
      delete from ${contentSightings}
      where site_id = ${siteId} and url = any(${sql.param(changed)}::text[])`)
  }
  // Items come in URL order; each one's reporters sorted too, so two flushes take key locks in the same order.
  const pairs = items.flatMap((item) =>
    [...(reporters.get(item.url) ?? [])].sort().map((id) => [item.url, id] as const),
  )
  if (pairs.length > 0) {
    await tx.execute(sql`
      insert into ${contentSightings} (site_id, url, anonymous_id, day)
      select ${siteId}::uuid, s.url, s.anonymous_id, ${day}::date
      from unnest(${sql.param(pairs.map(([url]) => url))}::text[], ${sql.param(pairs.map(([, id]) => id))}::text[])
        as s(url, anonymous_id)
      join ${contentItems} c on c.site_id = ${siteId} and c.url = s.url and c.review = 'pending'
      on conflict do nothing`)
  }
  await tx.execute(sql`
    update ${contentItems} c set review = 'approved', updated_at = now()
    from ${sites} s
    where s.id = ${siteId} and s.learned_content = 'corroborated'
      and c.site_id = ${siteId} and c.url = any(${sql.param(urls)}::text[]) and c.review = 'pending'
      and (select count(distinct anonymous_id) >= ${corroboratingVisitors} and count(distinct day) >= 2
           from ${contentSightings} w where w.site_id = ${siteId} and w.url = c.url)`)
  await tx.execute(sql`
    delete from ${contentSightings} w
    where w.site_id = ${siteId} and w.url = any(${sql.param(urls)}::text[])
      and not exists (select 1 from ${contentItems} c
        where c.site_id = ${siteId} and c.url = w.url and c.review = 'pending')`)
}

/**
 * Only pages of the site itself are learned: a forged event cannot put another site's link in a rail. Their
 * images, likewise, only from the site's own origins or the image hosts it named; another image is dropped.
 */
async function onAllowedOrigins(tx: Db, siteId: string, items: LearnedItem[]): Promise<LearnedItem[]> {
  const [site] = await tx
    .select({ origins: sites.allowedOrigins, imageHosts: sites.contentImageHosts })
    .from(sites)
    .where(eq(sites.id, siteId))
  const origins = new Set(site?.origins ?? [])
  const imageHosts = new Set(site?.imageHosts ?? [])
  const imageAllowed = (image: string) => {
    const url = new URL(image)
    return origins.has(url.origin) || (url.protocol === 'https:' && imageHosts.has(url.hostname))
  }
  return items
    .filter((item) => origins.has(new URL(item.url).origin))
    .map((item) => (item.imageUrl && !imageAllowed(item.imageUrl) ? { ...item, imageUrl: null } : item))
    .sort(byKey((item) => item.url))
}

/**
 * Upserts the batch's views (a view seen again only moves its time, on its own page: no index holds the time),
 * then trims to the newest `recentViewsKept` the visitors who gained a row: a visitor whose views were all seen
 * before has no more rows than it had, so most flushes trim nobody.
 */
async function recordViews(
  tx: Db,
  siteId: string,
  views: { anonymousId: string; url: string; at: number }[],
) {
  views.sort(byKey((view) => `${view.anonymousId}\n${view.url}`))
  // `xmax = 0` marks a row this statement inserted rather than updated.
  const grown = rowsOf<{ anonymous_id: string; inserted: boolean }>(
    await tx.execute(sql`
    insert into ${visitorRecentViews} (site_id, anonymous_id, url, viewed_at)
    select ${siteId}::uuid, v.anonymous_id, v.url, v.viewed_at::timestamptz
    from unnest(${sql.param(views.map((v) => v.anonymousId))}::text[], ${sql.param(views.map((v) => v.url))}::text[],
      ${sql.param(views.map((v) => new Date(v.at).toISOString()))}::text[]) as v(anonymous_id, url, viewed_at)
    on conflict (site_id, anonymous_id, url) do update set viewed_at = excluded.viewed_at
    where excluded.viewed_at > visitor_recent_views.viewed_at
    returning anonymous_id, (xmax = 0) as inserted`),
  ).flatMap((row) => (row.inserted ? [row.anonymous_id] : []))
  if (grown.length === 0) return
  // Each visitor's rows read by the key's prefix (a few dozen at most) and sorted there.
  await tx.execute(sql`
    delete from ${visitorRecentViews} r using (
      select g.anonymous_id, old.url
      from unnest(${sql.param([...new Set(grown)].sort())}::text[]) as g(anonymous_id)
      cross join lateral (
        select url from ${visitorRecentViews}
        where site_id = ${siteId} and anonymous_id = g.anonymous_id
        order by viewed_at desc, url offset ${recentViewsKept}
      ) old
    ) gone
    where r.site_id = ${siteId} and r.anonymous_id = gone.anonymous_id and r.url = gone.url`)
}

/**
 * One upsert for the batch's pages: a new page is stored `pending`; a learned page takes the newest sighting
 * field by field (a field the page no longer has keeps its value) and, when that changes it, waits again as
 * `pending` (a forged event cannot rewrite an approved card's words or image). A rejected page, and an item an
 * admin or CSV gave, are never changed by what pages report. A row that would not change is not rewritten, so
 * a popular page read a thousand times makes no thousand row versions. Answers the learned pages that changed.
 */
async function upsertLearned(tx: Db, siteId: string, items: LearnedItem[]): Promise<string[]> {
  const column = <T>(pick: (item: LearnedItem) => T) => sql.param(items.map(pick))
  const keep = (name: string) => sql`coalesce(excluded.${sql.raw(name)}, content_items.${sql.raw(name)})`
  const tags = sql`case when excluded.tags <> '[]'::jsonb then excluded.tags else content_items.tags end`
  const fields = {
    title: sql`excluded.title`,
    image_url: keep('image_url'),
    summary: keep('summary'),
    tags,
    category: keep('category'),
    published_at: keep('published_at'),
  }
  const set = sql.join(
    Object.entries(fields).map(([name, value]) => sql`${sql.raw(name)} = ${value}`),
    sql`, `,
  )
  const changed = sql.join(
    Object.entries(fields).map(
      ([name, value]) => sql`content_items.${sql.raw(name)} is distinct from ${value}`,
    ),
    sql` or `,
  )
  const rows = await tx.execute(sql`
    insert into ${contentItems} (site_id, url, title, image_url, summary, tags, category, published_at, source,
      review)
    select ${siteId}::uuid, u.url, u.title, u.image_url, u.summary, u.tags::jsonb, u.category,
      u.published_at::timestamptz, 'page', 'pending'
    from unnest(${column((i) => i.url)}::text[], ${column((i) => i.title)}::text[],
      ${column((i) => i.imageUrl)}::text[], ${column((i) => i.summary)}::text[],
      ${column((i) => JSON.stringify(i.tags))}::text[], ${column((i) => i.category)}::text[],
      ${column((i) => i.publishedAt)}::text[]) as u(url, title, image_url, summary, tags, category, published_at)
    on conflict (site_id, url) do update set ${set}, review = 'pending', updated_at = now()
    where content_items.source = 'page' and content_items.review <> 'rejected' and (${changed})
    returning url, (xmax = 0) as inserted`)
  return rowsOf<{ url: string; inserted: boolean }>(rows)
    .filter((row) => !row.inserted)
    .map((row) => row.url)
}

async function addCounts(
  tx: Db,
  siteId: string,
  counts: Map<string, { impressions: number; clicks: number }>,
) {
  const rows = [...counts].sort(byKey(([url]) => url))
  await tx.execute(sql`
    update ${contentItems} set impressions = content_items.impressions + u.impressions,
      clicks = content_items.clicks + u.clicks
    from unnest(${sql.param(rows.map(([url]) => url))}::text[],
      ${sql.param(rows.map(([, c]) => c.impressions))}::int8[],
      ${sql.param(rows.map(([, c]) => c.clicks))}::int8[]) as u(url, impressions, clicks)
    where content_items.site_id = ${siteId} and content_items.url = u.url`)
}
