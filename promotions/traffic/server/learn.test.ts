import { and, asc, desc, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Db, rowsOf } from '../../../api/ports/database'
import type { StoredEvent } from '../../../api/ports/events'
import { insertEvents } from '../../../api/services/ingest/writer'
import { client, createHarness, type Harness } from '../../../api/testing/harness'
import { contentItems, visitorRecentViews } from '../../../schema/db'
import { learnContent } from './learn'

let h: Harness
let campaignId: string
const start = Date.parse('2026-11-29T12:00:00Z')

beforeAll(async () => {
  h = await createHarness()
  const created = await client(h.app, { secretKey: h.a.secretKey }).post('/api/v1/campaigns', {
    name: 'Rail',
    type: 'traffic',
    placements: ['recs'],
    variants: [{ name: 'A', creative: { headline: 'Read next' } }],
  })
  campaignId = ((await created.json()) as any).id
})
afterAll(() => h.close())

let clock = 0
const event = (fields: Partial<StoredEvent>): StoredEvent => ({
  id: crypto.randomUUID(),
  siteId: h.a.siteId,
  name: 'page',
  timestamp: new Date(start + clock++ * 1000),
  anonymousId: 'reader',
  ...fields,
})

/**
 * What storeEvents does with a batch: store the events, then learn from the newly stored ones; `after` runs in
 * the same transaction and its answer is returned.
 */
async function ingest<T>(rows: StoredEvent[], after?: (tx: Db) => Promise<T>): Promise<T | undefined> {
  return h.database.db.transaction(async (tx) => {
    const stored = await insertEvents(tx, rows)
    await learnContent(
      tx,
      h.a.siteId,
      rows.filter((row) => stored.has(row.id!)),
      h.now.value,
    )
    return after?.(tx)
  })
}

const itemAt = async (url: string) => {
  const [row] = await h.database.db
    .select()
    .from(contentItems)
    .where(and(eq(contentItems.siteId, h.a.siteId), eq(contentItems.url, url)))
  return row
}

describe('learning the catalog from page events', () => {
  it('upserts a page from its Open Graph props, under its canonical URL', async () => {
    await ingest([
      event({
        url: 'https://a.example/blog/trail?utm_source=x#comments',
        props: {
          og_title: 'Trail running 101',
          og_image: '/img/trail.jpg',
          og_description: 'How to start\n on trails',
          article_tag: 'Running, Trail,running, <b>x</b>',
          article_section: 'Sport',
          article_published_time: '2026-11-25T09:00:00+01:00',
          canonical: 'https://a.example/blog/trail',
        },
      }),
    ])
    expect(await itemAt('https://a.example/blog/trail')).toMatchObject({
      title: 'Trail running 101',
      imageUrl: 'https://a.example/img/trail.jpg',
      summary: 'How to start on trails',
      tags: ['running', 'trail'],
      category: 'Sport',
      publishedAt: new Date('2026-11-25T08:00:00Z'),
      source: 'page',
    })
  })

  it('takes a page item’s newer values, but never overwrites what an admin gave', async () => {
    await ingest([
      event({
        url: 'https://a.example/blog/trail',
        props: { og_title: 'Trail running 102', article_tag: 'ultra' },
      }),
    ])
    expect(await itemAt('https://a.example/blog/trail')).toMatchObject({
      title: 'Trail running 102',
      imageUrl: 'https://a.example/img/trail.jpg',
      tags: ['ultra'],
      source: 'page',
    })

    const put = await client(h.app, { secretKey: h.a.secretKey }).send('PUT', '/api/v1/content', {
      url: 'https://a.example/shop/shoes',
      title: 'Our best shoes',
      tags: ['gear'],
    })
    expect(put.status).toBe(201)
    await ingest([
      event({
        url: 'https://a.example/shop/shoes?gclid=abc',
        props: {
          og_title: 'SHOES!!! Buy now',
          og_image: 'https://cdn.example/shoes.png',
          og_description: 'Fast shoes',
          article_tag: 'spam',
          article_section: 'Shop',
        },
      }),
    ])
    // Not even the fields the admin left empty: a page's word is worth less than the admin's silence.
    expect(await itemAt('https://a.example/shop/shoes')).toMatchObject({
      title: 'Our best shoes',
      tags: ['gear'],
      source: 'admin',
      review: 'approved',
      imageUrl: null,
      summary: null,
      category: null,
    })
  })

  it('learns nothing from a page off the site’s origins, without a title, or with markup as its title', async () => {
    await ingest([
      event({ url: 'https://evil.example/promo', props: { og_title: 'Click me' } }),
      event({ url: 'https://a.example/about', props: { og_description: 'No title here' } }),
      event({ url: 'https://a.example/xss', props: { og_title: '<img src=x onerror=alert(1)>' } }),
      event({
        url: 'https://a.example/bad',
        props: {
          og_title: 'Fine',
          canonical: 'javascript:alert(1)',
          article_published_time: '2099-01-01T00:00:00Z',
        },
      }),
    ])
    expect(await itemAt('https://evil.example/promo')).toBeUndefined()
    expect(await itemAt('https://a.example/about')).toBeUndefined()
    expect(await itemAt('https://a.example/xss')).toBeUndefined()
    // A canonical that is not http(s) is ignored: the page's own URL is the item.
    const bad = await itemAt('https://a.example/bad')
    expect(bad).toMatchObject({ title: 'Fine' })
    // Published in the future as far as the page says; no later than when it was seen as far as we keep it.
    expect(bad!.publishedAt!.getTime()).toBeLessThan(Date.parse('2027-01-01T00:00:00Z'))
  })

  it('takes a publish time PostgreSQL cannot store as no time, and keeps the rest of the batch', async () => {
    const page = (path: string, time: string) => ({
      id: crypto.randomUUID(),
      name: 'page',
      timestamp: new Date(h.now.value).toISOString(),
      anonymousId: 'ancient',
      url: `https://b.example${path}`,
      props: { og_title: 'Ancient history', article_published_time: time },
    })
    // Year 0 and a six-digit year are valid JavaScript dates; they used to fail the batch's whole transaction.
    const res = await client(h.app).post('/api/v1/events', {
      site: h.b.publishableKey,
      batch: [page('/year-0', '0000-06-01T00:00:00Z'), page('/bc', '-000050-01-01T00:00:00Z')],
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as any).accepted).toBe(2)
    const learned = await h.database.db
      .select({ url: contentItems.url, title: contentItems.title, publishedAt: contentItems.publishedAt })
      .from(contentItems)
      .where(eq(contentItems.siteId, h.b.siteId))
      .orderBy(asc(contentItems.url))
    expect(learned).toEqual([
      { url: 'https://b.example/bc', title: 'Ancient history', publishedAt: null },
      { url: 'https://b.example/year-0', title: 'Ancient history', publishedAt: null },
    ])
  })

  it('keeps each visitor’s latest 50 page views with their times, once per page', async () => {
    const views = Array.from({ length: 55 }, (_, i) =>
      event({ anonymousId: 'binge', url: `https://a.example/p/${i}` }),
    )
    await ingest(views.slice(0, 30))
    await ingest(views.slice(30))
    const again = event({ anonymousId: 'binge', url: 'https://a.example/p/10#top' })
    await ingest([again])
    const rows = await h.database.db
      .select()
      .from(visitorRecentViews)
      .where(and(eq(visitorRecentViews.siteId, h.a.siteId), eq(visitorRecentViews.anonymousId, 'binge')))
      .orderBy(desc(visitorRecentViews.viewedAt))
    expect(rows).toHaveLength(50)
    expect(rows[0]).toMatchObject({ url: 'https://a.example/p/10', viewedAt: again.timestamp })
    // The oldest five (0–4) made room for 50–54; seeing 10 again moved it to the front, taking no more room.
    const kept = new Set(rows.map((row) => row.url))
    for (let i = 0; i < 5; i++) expect(kept.has(`https://a.example/p/${i}`)).toBe(false)
    expect(kept.has('https://a.example/p/5')).toBe(true)
  })

  it('a page seen again moves its view’s time on the row’s own page (HOT), touching no index', async () => {
    const views = ['a', 'b', 'c'].map((p) => event({ anonymousId: 'regular', url: `https://a.example/${p}` }))
    await ingest(views)
    const again = views.map((view) => ({
      ...view,
      id: crypto.randomUUID(),
      timestamp: new Date(start + clock++ * 1000),
    }))
    // The transaction's own counts, so no statistics delay stands between the update and the check.
    const hot = await ingest(again, async (tx) => {
      const [row] = rowsOf<{ updated: number | string; hot: number | string }>(
        await tx.execute(sql`select pg_stat_get_xact_tuples_updated('visitor_recent_views'::regclass) as updated,
          pg_stat_get_xact_tuples_hot_updated('visitor_recent_views'::regclass) as hot`),
      )
      return { updated: Number(row!.updated), hot: Number(row!.hot) }
    })
    expect(hot!.updated).toBeGreaterThanOrEqual(3)
    expect(hot!.hot).toBe(hot!.updated)
  })

  it('counts rail impressions and item clicks of a campaign into the item’s counters', async () => {
    const url = 'https://a.example/shop/shoes'
    await ingest([
      event({ name: 'traffic_promotion_impression', campaignId, props: { item_url: url } }),
      event({
        name: 'traffic_promotion_impression',
        campaignId,
        props: { item_url: `${url}?utm_source=promo` },
      }),
      event({
        name: 'traffic_promotion_impression',
        campaignId,
        props: { item_url: 'https://a.example/blog/trail' },
      }),
      event({ name: 'click', campaignId, props: { item_url: `${url}?utm_medium=onsite` } }),
      // Not counted: no campaign, or no item named.
      event({ name: 'traffic_promotion_impression', props: { item_url: url } }),
      event({ name: 'click', campaignId }),
      // Learned and counted in one batch.
      event({ url: 'https://a.example/new', props: { og_title: 'New' } }),
      event({
        name: 'traffic_promotion_impression',
        campaignId,
        props: { item_url: 'https://a.example/new' },
      }),
    ])
    expect(await itemAt(url)).toMatchObject({ impressions: 2, clicks: 1 })
    expect(await itemAt('https://a.example/blog/trail')).toMatchObject({ impressions: 1, clicks: 0 })
    expect(await itemAt('https://a.example/new')).toMatchObject({ impressions: 1 })
  })

  it('learns nothing twice from a resent batch (storeEvents hands over only new rows)', async () => {
    const impression = event({
      name: 'traffic_promotion_impression',
      campaignId,
      props: { item_url: 'https://a.example/blog/trail' },
    })
    await ingest([impression])
    await ingest([impression])
    expect(await itemAt('https://a.example/blog/trail')).toMatchObject({ impressions: 2 })
    const all = await h.database.db
      .select({ url: contentItems.url })
      .from(contentItems)
      .where(eq(contentItems.siteId, h.a.siteId))
      .orderBy(asc(contentItems.url))
    expect(all.map((row) => row.url)).toEqual([
      'https://a.example/bad',
      'https://a.example/blog/trail',
      'https://a.example/new',
      'https://a.example/shop/shoes',
    ])
  })
})
