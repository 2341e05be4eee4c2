import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, createHarness, type Harness, readError } from '../../../api/testing/harness'
import { contentItems, contentSightings } from '../../../schema/db'
import { corroboratingVisitors } from './learn'

/**
 * Issue 13: anyone holding the publishable key (it sits in every page) could send one `page` event for a made-up
 * address on the site's origin, with a title and a third-party image of their choosing, and it led other
 * visitors' rails at once. A learned page is now recommended only once corroborated or approved.
 */
let h: Harness
const admin = () => client(h.app, { secretKey: h.a.secretKey })
const day = 86_400_000
const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const scam = 'URGENT: your order is blocked, call +1-900-555-0100'

/** A `page` event as the SDK sends it, with the page's Open Graph tags. */
async function pageView(anonymousId: string, url: string, props: Record<string, string>) {
  const res = await h.app.request('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser, origin: h.a.origin },
    body: JSON.stringify({
      site: h.a.publishableKey,
      batch: [
        {
          id: crypto.randomUUID(),
          name: 'page',
          timestamp: new Date(h.now.value).toISOString(),
          anonymousId,
          url,
          props,
        },
      ],
    }),
  })
  expect(res.status).toBeLessThan(300)
  expect(((await res.json()) as any).accepted).toBe(1)
}

async function railFor(anonymousId: string): Promise<{ url: string; title: string; imageUrl?: string }[]> {
  // Past the catalog cache's minute, so what ingest learned is read again.
  h.now.value += 61_000
  const res = await client(h.app).post('/api/v1/serve', {
    site: h.a.publishableKey,
    anonymousId,
    slots: ['recs'],
    context: { url: `${h.a.origin}/` },
  })
  const decision = ((await res.json()) as any).decisions.find((d: any) => d.slot === 'recs')
  return decision?.items ?? []
}

const itemAt = async (url: string) => {
  const [row] = await h.database.db
    .select()
    .from(contentItems)
    .where(and(eq(contentItems.siteId, h.a.siteId), eq(contentItems.url, url)))
  return row!
}
const listed = async (query: string) =>
  ((await (await admin().get(`/api/v1/content?${query}`)).json()) as any).data as any[]

beforeAll(async () => {
  h = await createHarness()
  const created = (await (
    await admin().post('/api/v1/campaigns', {
      name: 'Read next',
      type: 'traffic',
      placements: ['recs'],
      config: { maxCards: 4 },
      variants: [{ name: 'A', creative: { headline: 'Read next' } }],
    })
  ).json()) as any
  expect((await admin().post(`/api/v1/campaigns/${created.id}/activate`)).status).toBe(200)
  // One article the admin vouched for, so the rail has something to show.
  const put = await admin().send('PUT', '/api/v1/content', { url: `${h.a.origin}/guide`, title: 'The guide' })
  expect(put.status).toBe(201)
})
afterAll(() => h.close())

describe('a page learned from one forged event', () => {
  const forged = () => `${h.a.origin}/orders/blocked`

  it('is not recommended to anyone, and keeps no image from another host', async () => {
    await pageView('mallory', forged(), { og_title: scam, og_image: 'https://evil.example/logo.png' })
    const rail = await railFor('victim')
    expect(rail.map((item) => item.url)).toEqual([`${h.a.origin}/guide`])
    expect(JSON.stringify(rail)).not.toContain('URGENT')
    expect(await itemAt(forged())).toMatchObject({ title: scam, review: 'pending', imageUrl: null })
  })

  it('is not corroborated by made-up visitors in one sitting', async () => {
    for (const id of ['m1', 'm2', 'm3', 'm4', 'm5']) await pageView(id, forged(), { og_title: scam })
    expect((await itemAt(forged())).review).toBe('pending')
    expect((await railFor('victim')).map((item) => item.url)).not.toContain(forged())
  })

  it('shows as pending in the admin, where a rejection keeps it out for good', async () => {
    const pending = await listed('review=pending')
    expect(pending.map((item) => [item.url, item.source, item.review])).toEqual([
      [forged(), 'page', 'pending'],
    ])
    const item = pending[0]
    // Another organization cannot act on it.
    const other = client(h.app, { secretKey: h.b.secretKey })
    expect((await other.post(`/api/v1/content/${item.id}/reject`)).status).toBe(404)
    expect((await other.post(`/api/v1/content/${item.id}/approve`)).status).toBe(404)

    const rejected = await admin().post(`/api/v1/content/${item.id}/reject`)
    expect(rejected.status).toBe(200)
    expect(((await rejected.json()) as any).review).toBe('rejected')
    expect(
      await h.database.db.select().from(contentSightings).where(eq(contentSightings.url, forged())),
    ).toEqual([])
    // Later reports, however many and on however many days, change nothing.
    for (let d = 0; d < 2; d++) {
      h.now.value += day
      for (const id of ['r1', 'r2', 'r3']) await pageView(id, forged(), { og_title: `${scam}!` })
    }
    expect(await itemAt(forged())).toMatchObject({ review: 'rejected', title: scam })
    expect((await railFor('victim')).map((item) => item.url)).not.toContain(forged())
  })
})

describe('a real page', () => {
  const article = () => `${h.a.origin}/blog/winter-running`

  it(`is recommended once ${corroboratingVisitors} visitors reported it on two days`, async () => {
    const tags = { og_title: 'Winter running', og_image: `${h.a.origin}/img/winter.jpg` }
    await pageView('reader-1', article(), tags)
    await pageView('reader-2', article(), tags)
    h.now.value += day
    expect((await itemAt(article())).review).toBe('pending')
    await pageView('reader-3', article(), tags)
    expect(await itemAt(article())).toMatchObject({
      review: 'approved',
      imageUrl: `${h.a.origin}/img/winter.jpg`,
    })
    expect(
      await h.database.db.select().from(contentSightings).where(eq(contentSightings.url, article())),
    ).toEqual([])
    expect((await railFor('reader-9')).map((item) => item.url)).toContain(article())
  })

  it('waits again when an event rewrites its words, and what vouched for the old ones counts no more', async () => {
    await pageView('mallory', article(), { og_title: scam })
    expect(await itemAt(article())).toMatchObject({ review: 'pending', title: scam })
    expect((await railFor('reader-9')).map((item) => item.url)).not.toContain(article())
    // Two made-up visitors the next day are not three.
    h.now.value += day
    await pageView('m6', article(), { og_title: scam })
    expect((await itemAt(article())).review).toBe('pending')
  })

  it('is recommended at once when an admin approves it', async () => {
    const [item] = (await listed('review=pending&source=page')).filter((i) => i.url === article())
    const approved = await admin().post(`/api/v1/content/${item.id}/approve`)
    expect(((await approved.json()) as any).review).toBe('approved')
    expect((await railFor('reader-9')).map((item) => item.url)).toContain(article())
  })
})

describe('a site that takes no corroboration, with a CDN for images', () => {
  it('recommends a learned page only once approved, and keeps images from the hosts it names', async () => {
    const patched = await admin().patch(`/api/v1/sites/${h.a.siteId}`, {
      learnedContent: 'approval',
      contentImageHosts: ['CDN.a-shop.example'],
    })
    expect(patched.status).toBe(200)
    expect((await patched.json()) as any).toMatchObject({
      learnedContent: 'approval',
      contentImageHosts: ['cdn.a-shop.example'],
      allowedOrigins: [h.a.origin],
    })
    const url = `${h.a.origin}/blog/spring`
    for (let d = 0; d < 2; d++) {
      for (const id of ['s1', 's2', 's3']) {
        await pageView(id, url, { og_title: 'Spring', og_image: 'https://cdn.a-shop.example/spring.jpg' })
      }
      h.now.value += day
    }
    expect(await itemAt(url)).toMatchObject({
      review: 'pending',
      imageUrl: 'https://cdn.a-shop.example/spring.jpg',
    })
    // A host the site did not name, or plain http from the named one, is still dropped.
    await pageView('s1', `${h.a.origin}/blog/summer`, {
      og_title: 'Summer',
      og_image: 'http://cdn.a-shop.example/s.jpg',
    })
    expect((await itemAt(`${h.a.origin}/blog/summer`)).imageUrl).toBeNull()
  })

  it('refuses image hosts that are not host names, and too many of them, at their path', async () => {
    for (const [hosts, path] of [
      [['https://cdn.example/x'], 'contentImageHosts.0'],
      [['cdn.example', 'a b.example'], 'contentImageHosts.1'],
      [['x'.repeat(254)], 'contentImageHosts.0'],
      [Array.from({ length: 21 }, (_, i) => `cdn${i}.example`), 'contentImageHosts'],
    ] as const) {
      const res = await admin().patch(`/api/v1/sites/${h.a.siteId}`, { contentImageHosts: hosts })
      expect(res.status).toBe(400)
      expect((await readError(res)).paths).toContain(path)
    }
    const res = await admin().patch(`/api/v1/sites/${h.a.siteId}`, { learnedContent: 'sometimes' })
    expect(res.status).toBe(400)
  })
})
