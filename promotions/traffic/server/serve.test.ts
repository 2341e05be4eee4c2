import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awarenessCampaign, client, createHarness, type Harness } from '../../../api/testing/harness'
import { events } from '../../../schema/db'
import { learnContent } from './learn'

let h: Harness
const admin = () => client(h.app, { secretKey: h.a.secretKey })
const day = 86_400_000
const page = (path: string) => `https://a.example/articles/${path}`

async function activate(body: Record<string, unknown>) {
  const created = (await (await admin().post('/api/v1/campaigns', body)).json()) as any
  expect((await admin().post(`/api/v1/campaigns/${created.id}/activate`)).status).toBe(200)
  return created
}

const railCampaign = (overrides: Record<string, unknown> = {}) => ({
  name: 'Read next',
  type: 'traffic',
  priority: 5,
  placements: ['recs'],
  config: { maxCards: 2, appendUtm: true },
  variants: [{ name: 'A', creative: { headline: 'You might also like' } }],
  ...overrides,
})

const serve = (anonymousId: string, url: string, slots = ['recs'], debug = false) =>
  client(h.app, debug ? { secretKey: h.a.secretKey } : undefined).post(
    `/api/v1/serve${debug ? '?debug=1' : ''}`,
    { site: h.a.publishableKey, anonymousId, slots, context: { url } },
  )
const decisions = async (res: Response) => ((await res.json()) as any).decisions as any[]

/** Page views as ingest hands them to the catalog. */
const viewed = (anonymousId: string, urls: string[]) =>
  learnContent(
    h.database.db,
    h.a.siteId,
    urls.map((url, i) => ({
      id: crypto.randomUUID(),
      siteId: h.a.siteId,
      name: 'page',
      timestamp: new Date(h.now.value - (i + 1) * 60_000),
      anonymousId,
      url,
    })),
    h.now.value,
  )

let fallback: any
let rail: any
beforeAll(async () => {
  h = await createHarness()
  fallback = await activate(
    awarenessCampaign({ name: 'Fallback', placements: ['recs'], config: { format: 'inline' } }),
  )
  rail = await activate(railCampaign())
})
afterAll(() => h.close())

describe('recommendation rails in /serve', () => {
  it('leaves the slot to other campaigns while the catalog is empty', async () => {
    const [decision] = await decisions(await serve('v1', page('a')))
    expect(decision.campaignId).toBe(fallback.id)
  })

  it('answers the visitor’s top items for a traffic campaign without cards, with signed click URLs', async () => {
    const at = (days: number) => new Date(h.now.value - days * day).toISOString()
    const put = await admin().send('PUT', '/api/v1/content', {
      items: [
        { url: page('a'), title: 'A', tags: ['running'], category: 'sport', publishedAt: at(1) },
        {
          url: page('b'),
          title: 'B',
          imageUrl: 'https://a.example/b.jpg',
          summary: 'About B',
          tags: ['running', 'trail'],
          category: 'sport',
          publishedAt: at(2),
        },
        { url: page('c'), title: 'C', tags: ['cooking'], category: 'food', publishedAt: at(1) },
        { url: page('d'), title: 'D', tags: ['running'], category: 'sport', publishedAt: at(10) },
      ],
    })
    expect(put.status).toBe(200)

    const [decision] = await decisions(await serve('v1', `${page('a')}?utm_source=mail#intro`))
    expect(decision).toMatchObject({ campaignId: rail.id, type: 'traffic', format: 'inline', slot: 'recs' })
    // On page A (running, sport): B matches fully (10) and is 2 days old (+2.5); D matches (10) but is old and,
    // after B, like it (−3.75); C matches nothing (3 for recency). A itself is the current page.
    expect(decision.items.map((i: any) => i.url)).toEqual([page('b'), page('d')])
    expect(decision.items[0]).toEqual({
      url: page('b'),
      title: 'B',
      imageUrl: 'https://a.example/b.jpg',
      summary: 'About B',
      clickUrl: expect.stringMatching(/\/r\/[\w-]+\.[\w-]+\?a=v1&l=recs&i=1$/),
    })

    const click = new URL(decision.items[0].clickUrl)
    const res = await h.app.request(click.pathname + click.search)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(
      `${page('b')}?utm_source=promo&utm_medium=onsite&utm_campaign=read-next&utm_id=${rail.id}&promo_variant=${rail.variants[0].id}`,
    )
    const [stored] = await h.database.db
      .select()
      .from(events)
      .where(and(eq(events.campaignId, rail.id), eq(events.name, 'click')))
    expect(stored).toMatchObject({
      anonymousId: 'v1',
      slot: 'recs',
      props: { item_url: `${page('b')}?utm_source=promo&utm_medium=onsite&utm_campaign=read-next` },
    })
  })

  it('shows the score breakdown of every card in the decision trace', async () => {
    const res = await serve('v1', page('a'), ['recs'], true)
    const body = (await res.json()) as any
    const entry = body.trace.find((e: any) => e.campaignId === rail.id && e.outcome === 'chosen')
    expect(entry.items).toEqual([
      { url: page('b'), relevance: 10, ctr: 0, recency: 2.5, diversity: 0, total: 12.5 },
      { url: page('d'), relevance: 10, ctr: 0, recency: 0, diversity: 3.75, total: 6.25 },
    ])
  })

  it('leaves out what the visitor read lately, and learns their interests from it', async () => {
    await viewed('v2', [page('b'), page('d')])
    const [decision] = await decisions(await serve('v2', 'https://a.example/'))
    expect(decision.items.map((i: any) => i.url)).toEqual([page('a'), page('c')])
    const trace = (await (await serve('v2', 'https://a.example/', ['recs'], true)).json()) as any
    const entry = trace.trace.find((e: any) => e.campaignId === rail.id && e.outcome === 'chosen')
    // A shares B's and D's tag and category; C shares nothing.
    expect(entry.items.map((i: any) => i.relevance)).toEqual([10, 0])
  })

  it('drops a rail the visitor has read every item of, and the trace says why', async () => {
    await viewed('v3', [page('a'), page('b'), page('c'), page('d')])
    expect(await decisions(await serve('v3', 'https://a.example/'))).toEqual([])
    const body = (await (await serve('v3', 'https://a.example/', ['recs'], true)).json()) as any
    expect(body.trace.find((e: any) => e.campaignId === rail.id)).toMatchObject({
      outcome: 'skipped',
      reason: 'no_items',
    })
  })

  it('never shows one item in two rails of the same answer', async () => {
    const side = await activate(
      railCampaign({ name: 'Sidebar', placements: ['side'], config: { maxCards: 4 } }),
    )
    const answer = await decisions(await serve('v4', page('a'), ['recs', 'side']))
    const bySlot = Object.fromEntries(answer.map((d: any) => [d.slot, d.items.map((i: any) => i.url)]))
    expect(bySlot.recs).toEqual([page('b'), page('d')])
    expect(bySlot.side).toEqual([page('c')])
    await admin().post(`/api/v1/campaigns/${side.id}/pause`)
  })

  it('gives manual cards, in order and at most maxCards, each its own signed click URL with UTM', async () => {
    const manual = await activate(
      railCampaign({
        name: 'Manual',
        priority: 9,
        placements: ['manual'],
        config: {
          maxCards: 2,
          appendUtm: true,
          cards: [
            { title: 'Here', url: 'https://a.example/here' },
            {
              title: 'Webinar',
              url: 'https://a.example/webinar?utm_source=site',
              description: 'Live on Friday',
              imageUrl: 'https://a.example/webinar.jpg',
              imageAlt: 'The speakers',
              badge: 'Live',
            },
            { title: 'Pricing', url: 'https://a.example/pricing' },
            { title: 'Docs', url: 'https://a.example/docs' },
          ],
        },
      }),
    )
    // The visitor is on the first card's page: that card is left out, and two of the other three are shown.
    const [decision] = await decisions(await serve('v5', 'https://a.example/here#top', ['manual']))
    expect(decision.campaignId).toBe(manual.id)
    expect(decision.config.cards).toBeUndefined()
    expect(decision.config.scoring).toBeUndefined()
    expect(decision.config).toMatchObject({ maxCards: 2, layout: 'grid' })
    expect(decision.items).toEqual([
      {
        url: 'https://a.example/webinar?utm_source=site',
        title: 'Webinar',
        summary: 'Live on Friday',
        imageUrl: 'https://a.example/webinar.jpg',
        imageAlt: 'The speakers',
        badge: 'Live',
        clickUrl: expect.stringMatching(/\/r\/[\w-]+\.[\w-]+\?a=v5&l=manual&i=1$/),
      },
      { url: 'https://a.example/pricing', title: 'Pricing', clickUrl: expect.any(String) },
    ])
    expect(new Set(decision.items.map((i: any) => i.clickUrl)).size).toBe(2)

    const landing = `utm_id=${manual.id}&promo_variant=${manual.variants[0].id}`
    const locations = []
    for (const item of decision.items) {
      const click = new URL(item.clickUrl)
      const res = await h.app.request(click.pathname + click.search)
      expect(res.status).toBe(302)
      locations.push(res.headers.get('location'))
    }
    // The card's own utm_source stays; what it does not set is added.
    expect(locations).toEqual([
      `https://a.example/webinar?utm_source=site&utm_medium=onsite&utm_campaign=manual&${landing}`,
      `https://a.example/pricing?utm_source=promo&utm_medium=onsite&utm_campaign=manual&${landing}`,
    ])
    const clicks = await h.database.db
      .select()
      .from(events)
      .where(and(eq(events.campaignId, manual.id), eq(events.name, 'click')))
    expect(clicks.map((click) => click.props?.item_url).sort()).toEqual([
      'https://a.example/pricing?utm_source=promo&utm_medium=onsite&utm_campaign=manual',
      'https://a.example/webinar?utm_source=site&utm_medium=onsite&utm_campaign=manual',
    ])
    expect(clicks.every((click) => click.anonymousId === 'v5' && click.slot === 'manual')).toBe(true)
    const analytics = (await (await admin().get(`/api/v1/campaigns/${manual.id}/analytics`)).json()) as any
    expect(analytics.totals.clicks).toBe(2)
    await admin().post(`/api/v1/campaigns/${manual.id}/pause`)
  })

  it('scores manual cards as it scores the catalog: topics against what the visitor read, ties in list order', async () => {
    const manual = await activate(
      railCampaign({
        name: 'Guides',
        priority: 9,
        placements: ['guides'],
        config: {
          maxCards: 2,
          cards: [
            { title: 'Trail guide', url: 'https://a.example/guides/trail', topics: ['Trail'] },
            { title: 'Knots', url: 'https://a.example/guides/knots' },
            { title: 'Soup', url: 'https://a.example/guides/soup', topics: ['cooking'] },
            { title: 'C again', url: page('c'), topics: ['cooking'] },
          ],
        },
      }),
    )
    // A newcomer gets the list's order: nothing sets the cards apart.
    const [first] = await decisions(await serve('v7-new', 'https://a.example/', ['guides']))
    expect(first.items.map((i: any) => i.title)).toEqual(['Trail guide', 'Knots'])
    // A reader of C (cooking) gets the cooking card first, and not C itself, which they have read.
    await viewed('v7', [page('c')])
    const [decision] = await decisions(await serve('v7', 'https://a.example/', ['guides']))
    expect(decision.items.map((i: any) => i.title)).toEqual(['Soup', 'Trail guide'])
    const body = (await (await serve('v7', 'https://a.example/', ['guides'], true)).json()) as any
    const entry = body.trace.find((e: any) => e.campaignId === manual.id && e.outcome === 'chosen')
    expect(entry.items.map((i: any) => [i.url, i.relevance])).toEqual([
      // Topics are its tags; a card has no category, so a full tag match is half the relevance points.
      ['https://a.example/guides/soup', 5],
      ['https://a.example/guides/trail', 0],
    ])
    await admin().post(`/api/v1/campaigns/${manual.id}/pause`)
  })

  it('shows no page as a card of two rails in one answer, manual or recommended', async () => {
    const manual = await activate(
      railCampaign({
        name: 'Picks',
        priority: 9,
        placements: ['picks'],
        config: {
          cards: [
            { title: 'B', url: `${page('b')}?utm_source=x` },
            { title: 'C', url: page('c') },
          ],
        },
      }),
    )
    const answer = await decisions(await serve('v6', page('a'), ['picks', 'recs']))
    const bySlot = Object.fromEntries(answer.map((d: any) => [d.slot, d.items.map((i: any) => i.url)]))
    expect(bySlot.picks).toEqual([`${page('b')}?utm_source=x`, page('c')])
    expect(bySlot.recs).toEqual([page('d')])
    // The rails are filled in the order of the slots asked for.
    const [recs, picks] = await decisions(await serve('v6', page('a'), ['recs', 'picks']))
    expect(recs.items.map((i: any) => i.url)).toEqual([page('b'), page('d')])
    expect(picks.items.map((i: any) => i.url)).toEqual([page('c')])
    await admin().post(`/api/v1/campaigns/${manual.id}/pause`)
  })

  it('sees catalog changes at once on this instance', async () => {
    const [item] = (
      (await (await admin().get(`/api/v1/content?q=${encodeURIComponent(page('b'))}`)).json()) as any
    ).data
    expect((await admin().delete(`/api/v1/content/${item.id}`)).status).toBe(204)
    const [decision] = await decisions(await serve('v1', page('a')))
    expect(decision.items.map((i: any) => i.url)).toEqual([page('d'), page('c')])
  })
})
