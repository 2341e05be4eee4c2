import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { createApp } from '../../app'
import { kpisOf } from '../../core/kpis'
import {
  awarenessCampaign,
  client,
  createHarness,
  createTenant,
  type Harness,
  login,
  readError,
  readJson,
  type Tenant,
  testKv,
} from '../../testing/harness'
import { rollupMismatches } from '../../testing/rollups'

/**
 * Campaign analytics and the site overview, read through the API from events posted through the API. Every
 * expected number is worked out by hand from the events each test sends; each test uses its own campaign (or
 * its own site, for the overview) so the numbers stay small enough to check.
 */
let h: Harness
let c: Tenant
const iphone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'
const desktop =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

/** A time on a day of November 2026 (UTC); the harness's clock stands at the 29th, 12:00. */
const nov = (day: number, time = '12:00') => Date.parse(`2026-11-${day}T${time}:00Z`)

const admin = (tenant: Tenant = h.a) => client(h.app, { secretKey: tenant.secretKey })

interface Created {
  id: string
  variants: { id: string; name: string }[]
}

const variant = (name: string) => ({
  name,
  weight: 1,
  creative: { headline: `Headline ${name}`, ctaText: 'Go', ctaUrl: 'https://shop.example/sale' },
})

async function createCampaign(
  overrides: Record<string, unknown> = {},
  tenant: Tenant = h.a,
  activate = false,
): Promise<Created> {
  const res = await admin(tenant).post('/api/v1/campaigns', awarenessCampaign(overrides))
  expect(res.status).toBe(201)
  const created = (await res.json()) as Created
  if (activate)
    expect((await admin(tenant).post(`/api/v1/campaigns/${created.id}/activate`)).status).toBe(200)
  return created
}

/** One event of the campaign's variant (or a page-level one without `unit`). */
function event(
  name: string,
  at: number,
  anonymousId: string,
  unit?: { campaign: Created; variant?: number },
  extra: Record<string, unknown> = {},
) {
  return {
    id: crypto.randomUUID(),
    name,
    timestamp: new Date(at).toISOString(),
    anonymousId,
    ...(unit
      ? { campaignId: unit.campaign.id, variantId: unit.campaign.variants[unit.variant ?? 0]!.id }
      : {}),
    ...extra,
  }
}

/** `n` copies of an event, each with its own id. */
const times = (n: number, make: () => Record<string, unknown>) => Array.from({ length: n }, make)

async function post(
  batch: Record<string, unknown>[],
  options: { tenant?: Tenant; headers?: Record<string, string>; app?: Harness['app'] } = {},
) {
  const res = await (options.app ?? h.app).request('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ site: (options.tenant ?? h.a).publishableKey, batch }),
  })
  expect(res.status).toBe(200)
  const body = await readJson(res, api.batchAnswer)
  expect(body.rejected).toEqual([])
  expect(body.accepted).toBe(batch.length)
}

async function analytics(campaign: Created, query = '', tenant: Tenant = h.a) {
  const res = await admin(tenant).get(`/api/v1/campaigns/${campaign.id}/analytics${query}`)
  expect(res.status).toBe(200)
  const answer = await readJson(res, api.campaignAnalytics)
  // A type's own KPIs join the shared ones in `totals`; the tests read both by name.
  return { ...answer, totals: answer.totals as Record<string, any> }
}

async function refused(path: string, tenant: Tenant = h.a) {
  const res = await admin(tenant).get(path)
  expect(res.status).toBe(400)
  const error = await readError(res)
  expect(error.code).toBe('validation_failed')
  return error.paths
}

/** Serves the slot to the visitor, follows the click URL at `at`, and answers the variant it showed. */
async function clickThrough(visitor: string, slot: string, at: number, tenant: Tenant = h.a) {
  const decision = await served(visitor, slot, tenant)
  const url = new URL(decision.clickUrl!)
  const saved = h.now.value
  h.now.value = at
  try {
    const res = await h.app.request(url.pathname + url.search, { headers: { 'user-agent': desktop } })
    expect(res.status).toBe(302)
  } finally {
    h.now.value = saved
  }
  return decision.variantId
}

async function served(visitor: string, slot: string, tenant: Tenant = h.a) {
  const res = await client(h.app).post('/api/v1/serve', {
    site: tenant.publishableKey,
    anonymousId: visitor,
    slots: [slot],
  })
  expect(res.status).toBe(200)
  const decision = (await readJson(res, api.serveAnswer)).decisions.find((d) => d.slot === slot)
  expect(decision).toBeDefined()
  return decision!
}

beforeAll(async () => {
  h = await createHarness()
  c = await createTenant(h.database, 'c')
})
afterAll(() => h.close())

describe('GET /api/v1/campaigns/:id/analytics: every KPI family', () => {
  let k: Created
  beforeAll(async () => {
    k = await createCampaign({ name: 'KPIs' })
    const at = nov(29, '11:00')
    const unit = { campaign: k }
    const on = (name: string, n: number, extra: Record<string, unknown> = {}) =>
      times(n, () => event(name, at, 'k-visitor', unit, extra))
    const longField = 'f'.repeat(65)
    const emojiField = '📧'.repeat(40)
    const all = [
      // Five visitors, two impressions each: reach 5, frequency 2.
      ...['k1', 'k2', 'k3', 'k4', 'k5'].flatMap((v) => times(2, () => event('impression', at, v, unit))),
      ...on('viewable', 6),
      ...on('click', 3),
      ...on('close', 1),
      ...on('play', 8),
      ...on('video_25', 6),
      ...on('video_50', 5),
      ...on('video_75', 3),
      ...on('video_100', 2),
      ...on('like', 2),
      ...on('react', 1),
      ...on('share', 2),
      ...on('comment', 1),
      ...on('vote', 3),
      ...on('share_landing', 4),
      ...on('form_view', 10),
      ...on('form_start', 6),
      ...on('submit', 2),
      ...on('form_abandon', 2, { props: { field: 'email' } }),
      ...on('form_abandon', 1, { props: { field: 'phone' } }),
      ...on('form_abandon', 1, { props: { field: 'name' } }),
      // Neither a field-less abandon nor one naming an overlong field is a field's drop-off.
      ...on('form_abandon', 1),
      ...on('form_abandon', 1, { props: { field: longField } }),
      // 40 characters, 80 UTF-16 code units: a field name's limit counts characters, as PostgreSQL does.
      ...on('form_abandon', 1, { props: { field: emojiField } }),
      ...on('landing', 4),
      ...on('bounce', 1),
      event('time_on_page', at, 'k1', unit, { value: 10 }),
      event('time_on_page', at, 'k2', unit, { value: 20 }),
      event('time_on_page', at, 'k3', unit, { value: 35 }),
      ...on('scroll_25', 4),
      ...on('scroll_50', 3),
      ...on('scroll_75', 2),
      ...on('scroll_100', 1),
      ...on('rsvp', 2),
    ]
    // A batch holds at most 100 events.
    for (let i = 0; i < all.length; i += 100) await post(all.slice(i, i + 100))
  })

  it('reads impressions, viewability, reach, frequency, clicks and CTR', async () => {
    const body = await analytics(k)
    expect(body).toMatchObject({ campaignId: k.id, type: 'awareness', interval: 'day', model: 'last_touch' })
    expect(body.totals).toMatchObject({
      impressions: 10,
      viewableImpressions: 6,
      viewableRate: 0.6,
      reach: 5,
      frequency: 2,
      clicks: 3,
      ctr: 0.3,
      closes: 1,
      rsvps: 2,
      conversions: 0,
      revenue: 0,
      aov: 0,
      rpv: 0,
    })
    // The 'k-visitor' who sent everything else saw no impression: reach counts impressions only.
    expect(body.reachExact).toBe(true)
    expect(body.series.at(-1)).toEqual({
      t: '2026-11-29T00:00:00Z',
      impressions: 10,
      viewableImpressions: 6,
      clicks: 3,
      ctr: 0.3,
      conversions: 0,
      revenue: 0,
      reach: 5,
    })
  })

  it('reads video plays, quartiles and the completion rate', async () => {
    const { totals } = await analytics(k)
    expect(totals.video).toEqual({
      plays: 8,
      quartile25: 6,
      quartile50: 5,
      quartile75: 3,
      quartile100: 2,
      completionRate: 0.25,
    })
  })

  it('reads interactions: reactions (like and react), shares, comments, votes, their rates and amplification', async () => {
    const { totals } = await analytics(k)
    expect(totals.interactions).toEqual({
      reactions: 3,
      shares: 2,
      comments: 1,
      votes: 3,
      engagements: 9,
      engagementRate: 0.9,
      reactionRate: 0.3,
      shareRate: 0.2,
      commentRate: 0.1,
      shareLandings: 4,
      // Four visits through shared links for five people reached.
      amplification: 0.8,
    })
  })

  it('reads the form funnel and the drop-off per field, most abandoned first and ties by name', async () => {
    const { totals } = await analytics(k)
    expect(totals.forms).toEqual({
      views: 10,
      starts: 6,
      submits: 2,
      startRate: 0.6,
      completionRate: 0.3333,
      abandonmentRate: 0.6667,
      dropOffByField: [
        { field: 'email', abandons: 2 },
        { field: 'name', abandons: 1 },
        { field: 'phone', abandons: 1 },
        { field: '📧'.repeat(40), abandons: 1 },
      ],
    })
  })

  it('orders drop-off ties by field whatever order the rollup rows come in', () => {
    const metrics = new Map([
      ['form_abandon:phone', { n: 1, value: 0 }],
      ['form_abandon:name', { n: 1, value: 0 }],
      ['form_abandon:email', { n: 2, value: 0 }],
    ])
    expect(kpisOf(metrics, 0, { n: 0, value: 0 }, null).forms.dropOffByField).toEqual([
      { field: 'email', abandons: 2 },
      { field: 'name', abandons: 1 },
      { field: 'phone', abandons: 1 },
    ])
  })

  it('reads landing sessions, bounce rate, time on page and scroll depth', async () => {
    const { totals } = await analytics(k)
    expect(totals.landing).toEqual({
      sessions: 4,
      bounceRate: 0.25,
      // (10 + 20 + 35) / 3 = 21.67 seconds, to a tenth.
      averageTimeOnPage: 21.7,
      scroll25: 1,
      scroll50: 0.75,
      scroll75: 0.5,
      scroll100: 0.25,
    })
  })

  it('reads every KPI as zero, never NaN, for a campaign with no events', async () => {
    const empty = await createCampaign({ name: 'Nothing yet' })
    const { totals } = await analytics(empty)
    expect(totals).toMatchObject({
      impressions: 0,
      viewableRate: 0,
      reach: 0,
      frequency: 0,
      ctr: 0,
      video: { completionRate: 0 },
      interactions: { engagementRate: 0, amplification: 0 },
      forms: { startRate: 0, completionRate: 0, abandonmentRate: 0, dropOffByField: [] },
      landing: { bounceRate: 0, averageTimeOnPage: 0, scroll25: 0 },
      aov: 0,
      rpv: 0,
      roas: null,
      cpa: null,
      cpl: null,
    })
    expect(JSON.stringify(totals)).not.toMatch(/NaN|Infinity/)
  })
})

describe('reach', () => {
  let r: Created
  beforeAll(async () => {
    r = await createCampaign({ name: 'Reach', variants: [variant('A'), variant('B')] })
    const a = { campaign: r, variant: 0 }
    const b = { campaign: r, variant: 1 }
    await post([
      // r1 comes back three days running; r3 on two of them; r2 once.
      event('impression', nov(27, '09:30'), 'r1', a),
      event('impression', nov(28, '09:30'), 'r1', a),
      event('impression', nov(28, '09:30'), 'r3', b),
      event('impression', nov(29, '09:30'), 'r1', a),
      event('impression', nov(29, '09:30'), 'r1', b),
      event('impression', nov(29, '09:30'), 'r2', a),
      event('impression', nov(29, '09:30'), 'r3', b),
    ])
  })

  it('counts a visitor once over the range, and once on each day they came', async () => {
    const body = await analytics(r)
    // Unique over the range: r1, r2, r3; the days sum to 1 + 2 + 3 = 6.
    expect(body.totals).toMatchObject({ impressions: 7, reach: 3, frequency: 2.33 })
    expect(body.reachExact).toBe(true)
    const days = Object.fromEntries(body.series.map((s: any) => [s.t, s.reach]))
    expect(days['2026-11-26T00:00:00Z']).toBe(0)
    expect(days['2026-11-27T00:00:00Z']).toBe(1)
    expect(days['2026-11-28T00:00:00Z']).toBe(2)
    expect(days['2026-11-29T00:00:00Z']).toBe(3)
  })

  it('counts reach per variant as unique visitors of that variant', async () => {
    const body = await analytics(r)
    // A: r1 (three days) and r2; B: r3 (two days) and r1.
    expect(body.byVariant).toMatchObject([
      { variantId: r.variants[0]!.id, name: 'A', impressions: 4, reach: 2 },
      { variantId: r.variants[1]!.id, name: 'B', impressions: 3, reach: 2 },
    ])
    const reach = await readJson(await admin().get(`/api/v1/campaigns/${r.id}/reach`), api.reachAnswer)
    expect(reach).toMatchObject({ reach: 3, exact: true, impressions: 7, frequency: 2.33 })
    expect(reach.byVariant).toEqual({ [r.variants[0]!.id]: 2, [r.variants[1]!.id]: 2 })
  })

  it('counts only the days inside the range', async () => {
    const day28 = await analytics(r, '?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z')
    expect(day28.totals).toMatchObject({ impressions: 2, reach: 2 })
    expect(day28.series).toEqual([expect.objectContaining({ t: '2026-11-28T00:00:00Z', reach: 2 })])
    const twoDays = await analytics(r, '?from=2026-11-28T00:00:00Z&to=2026-11-30T00:00:00Z')
    expect(twoDays.totals).toMatchObject({ impressions: 6, reach: 3 })
  })
})

describe('frequency distribution', () => {
  it('buckets visitors by how often they saw the campaign, 20 or more in the last bucket', async () => {
    const f = await createCampaign({ name: 'Frequency' })
    const unit = { campaign: f }
    const at = nov(29, '08:00')
    const impressions = (visitor: string, n: number) => times(n, () => event('impression', at, visitor, unit))
    // In two batches each, so visitors move between buckets: f2 from 1 to 2, f3 from 10 to 25.
    await post([...impressions('f1', 1), ...impressions('f2', 1), ...impressions('f3', 10)])
    await post([...impressions('f2', 1), ...impressions('f3', 15)])
    const body = await analytics(f)
    expect(body.frequencyDistribution).toEqual([
      { impressions: 1, visitors: 1, orMore: false },
      { impressions: 2, visitors: 1, orMore: false },
      { impressions: 20, visitors: 1, orMore: true },
    ])
    expect(body.totals).toMatchObject({ impressions: 28, reach: 3, frequency: 9.33 })
  })
})

describe('groupBy', () => {
  let g: Created
  beforeAll(async () => {
    g = await createCampaign({ name: 'Groups', variants: [variant('A'), variant('B')] })
    // A Node server behind a proxy that names the visitor's country in a header.
    const geo = createApp({
      database: h.database,
      kv: testKv(),
      signingSecret: 'test-signing-secret-0123456789abcdef',
      now: () => h.now.value,
      geoHeaders: { country: 'x-visitor-country' },
    })
    const at = nov(29, '10:00')
    const a = { campaign: g, variant: 0 }
    const b = { campaign: g, variant: 1 }
    await post([...times(4, () => event('impression', at, 'g1', a)), event('click', at, 'g1', a)], {
      app: geo,
      headers: { 'user-agent': iphone, 'x-visitor-country': 'de' },
    })
    await post(
      times(2, () => event('impression', at, 'g2', b)),
      {
        app: geo,
        headers: { 'user-agent': desktop, 'x-visitor-country': 'FR' },
      },
    )
    // The harness's app has no geo header configured: the same header is not trusted, the country is unknown.
    await post([event('impression', at, 'g3', a)], {
      headers: { 'user-agent': desktop, 'x-visitor-country': 'US' },
    })
    // No User-Agent at all: the device is unknown.
    await post([event('impression', at, 'g4', b)])
  })

  it('by device, from the User-Agent, most impressions first', async () => {
    const body = await analytics(g, '?groupBy=device')
    expect(body.groupBy).toBe('device')
    expect(body.groups).toEqual([
      {
        key: 'mobile',
        impressions: 4,
        viewableImpressions: 0,
        clicks: 1,
        ctr: 0.25,
        conversions: 0,
        revenue: 0,
      },
      {
        key: 'desktop',
        impressions: 3,
        viewableImpressions: 0,
        clicks: 0,
        ctr: 0,
        conversions: 0,
        revenue: 0,
      },
      {
        key: 'unknown',
        impressions: 1,
        viewableImpressions: 0,
        clicks: 0,
        ctr: 0,
        conversions: 0,
        revenue: 0,
      },
    ])
  })

  it('exports the device breakdown as CSV, one row per device', async () => {
    const res = await admin().get(`/api/v1/campaigns/${g.id}/analytics?groupBy=device&format=csv`)
    expect((await res.text()).split('\r\n')).toEqual([
      'device,impressions,viewable_impressions,clicks,ctr,conversions_last_touch,revenue_last_touch',
      'desktop,3,0,0,0,0,0',
      'mobile,4,0,1,0.25,0,0',
      'unknown,1,0,0,0,0,0',
      '',
    ])
  })

  it('by country, from the configured geo header only', async () => {
    const body = await analytics(g, '?groupBy=country')
    expect(body.groupBy).toBe('country')
    expect(body.groups!.map((row) => [row.key, row.impressions, row.clicks])).toEqual([
      ['DE', 4, 1],
      // A tie on impressions goes by key.
      ['FR', 2, 0],
      ['unknown', 2, 0],
    ])
  })

  it('by variant, with each variant’s reach', async () => {
    const body = await analytics(g, '?groupBy=variant')
    expect(body.groups).toEqual([
      expect.objectContaining({ key: g.variants[0]!.id, name: 'A', impressions: 5, clicks: 1, reach: 2 }),
      expect.objectContaining({ key: g.variants[1]!.id, name: 'B', impressions: 3, clicks: 0, reach: 2 }),
    ])
    expect((await analytics(g)).groups).toBeUndefined()
  })

  it('refuses any other grouping at groupBy', async () => {
    expect(await refused(`/api/v1/campaigns/${g.id}/analytics?groupBy=browser`)).toEqual(['groupBy'])
  })
})

describe('ranges and intervals', () => {
  let r: Created
  beforeAll(async () => {
    r = await createCampaign({ name: 'Hours' })
    await post([
      event('impression', nov(29, '09:10'), 'h1', { campaign: r }),
      event('impression', nov(29, '09:50'), 'h2', { campaign: r }),
      event('click', nov(29, '09:55'), 'h2', { campaign: r }),
      event('impression', nov(29, '11:59'), 'h1', { campaign: r }),
    ])
  })

  it('defaults to the last 30 days, today included', async () => {
    const body = await analytics(r)
    expect(body.from).toBe('2026-10-31T00:00:00.000Z')
    expect(body.to).toBe('2026-11-30T00:00:00.000Z')
    expect(body.series).toHaveLength(30)
    expect(body.series[0]!.t).toBe('2026-10-31T00:00:00Z')
    expect(body.series.at(-1)!.t).toBe('2026-11-29T00:00:00Z')
    const fromOnly = await analytics(r, '?from=2026-11-20T00:00:00Z')
    expect([fromOnly.from, fromOnly.to]).toEqual(['2026-11-20T00:00:00.000Z', '2026-11-30T00:00:00.000Z'])
    const toOnly = await analytics(r, '?to=2026-11-10T00:00:00Z')
    expect([toOnly.from, toOnly.to]).toEqual(['2026-10-11T00:00:00.000Z', '2026-11-10T00:00:00.000Z'])
  })

  it('widens a range to whole days', async () => {
    const body = await analytics(r, '?from=2026-11-28T13:00:00Z&to=2026-11-29T00:30:00%2B01:00')
    // 00:30+01:00 is 23:30 on the 28th: the range is the 28th alone.
    expect([body.from, body.to]).toEqual(['2026-11-28T00:00:00.000Z', '2026-11-29T00:00:00.000Z'])
    expect(body.totals.impressions).toBe(0)
  })

  it('fills every hour of an hourly series', async () => {
    const body = await analytics(r, '?interval=hour&from=2026-11-29T00:00:00Z&to=2026-11-29T12:00:00Z')
    expect(body.interval).toBe('hour')
    expect(body.series).toHaveLength(12)
    expect(body.series.map((s: any) => s.t)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-11-29T${String(i).padStart(2, '0')}:00:00Z`),
    )
    expect(body.series[9]).toMatchObject({ t: '2026-11-29T09:00:00Z', impressions: 2, clicks: 1, ctr: 0.5 })
    expect(body.series[11]).toMatchObject({ t: '2026-11-29T11:00:00Z', impressions: 1, clicks: 0 })
    expect(body.series.filter((s: any) => s.impressions > 0)).toHaveLength(2)
    expect(body.totals).toMatchObject({ impressions: 3, clicks: 1, reach: 2 })
    // An hour ending before 11:00 leaves out the last impression.
    const upTo10 = await analytics(r, '?interval=hour&from=2026-11-29T09:00:00Z&to=2026-11-29T10:00:00Z')
    expect(upTo10.series).toHaveLength(1)
    expect(upTo10.totals).toMatchObject({ impressions: 2, clicks: 1 })
  })

  it('refuses from after to at from, more than 400 days at to, and hours over more than 31 days', async () => {
    const path = `/api/v1/campaigns/${r.id}/analytics`
    expect(await refused(`${path}?from=2026-11-20T00:00:00Z&to=2026-11-10T00:00:00Z`)).toEqual(['from'])
    expect(await refused(`${path}?from=2026-11-20T00:00:00Z&to=2026-11-20T00:00:00Z`)).toEqual(['from'])
    expect(await refused(`${path}?from=2025-01-01T00:00:00Z&to=2026-11-29T00:00:00Z`)).toEqual(['to'])
    expect(await refused(`${path}?from=2025-10-24T00:00:00Z&to=2026-11-29T00:00:00Z`)).toEqual(['to'])
    expect(await refused(`${path}?interval=hour&from=2026-10-01T00:00:00Z&to=2026-11-29T00:00:00Z`)).toEqual([
      'to',
    ])
    expect(await refused(`${path}?interval=minute`)).toEqual(['interval'])
    expect(await refused(`${path}?from=yesterday`)).toEqual(['from'])
    expect(await refused(`${path}?colour=blue`)).toEqual(['colour'])
  })

  it('refuses times PostgreSQL cannot store (year 0000, past 9999) at their field, never a 500', async () => {
    const path = `/api/v1/campaigns/${r.id}/analytics`
    expect(await refused(`${path}?from=0000-01-01T00:00:00Z&to=0000-01-05T00:00:00Z`)).toEqual(['from', 'to'])
    expect(await refused(`${path}?to=0000-01-05T00:00:00Z`)).toEqual(['to'])
    expect(await refused(`${path}?interval=hour&from=0000-01-01T00:00:00Z&to=0000-01-01T05:00:00Z`)).toEqual([
      'from',
      'to',
    ])
    expect(await refused(`${path}?from=9999-12-30T00:00:00Z&to=9999-12-31T23:00:00Z`)).toEqual(['from', 'to'])
    expect(await refused(`${path}?format=csv&from=0000-01-01T00:00:00Z&to=0000-01-05T00:00:00Z`)).toEqual([
      'from',
      'to',
    ])
  })

  it('answers exactly 400 days, and exactly 31 days of hours', async () => {
    const days = await analytics(r, '?from=2025-10-25T00:00:00Z&to=2026-11-29T00:00:00Z')
    expect(days.series).toHaveLength(400)
    const hours = await analytics(r, '?interval=hour&from=2026-10-29T00:00:00Z&to=2026-11-29T00:00:00Z')
    expect(hours.series).toHaveLength(31 * 24)
  })
})

describe('experiment comparison, cost and CSV', () => {
  let e: Created
  /** Visitors per arm, and how many of them bought (each a 25 EUR Purchase after a click). */
  const plan = [
    { name: 'Control', visitors: 20, buyers: 2 },
    { name: 'Bold', visitors: 20, buyers: 10 },
    { name: 'Quiet', visitors: 20, buyers: 3 },
  ]
  beforeAll(async () => {
    e = await createCampaign(
      { name: 'Experiment', placements: ['exp-slot'], variants: plan.map((arm) => variant(arm.name)) },
      h.a,
      true,
    )
    // Visitors fall into arms by the serving engine's bucketing: serve until each arm has its 20.
    const arms = new Map<string, string[]>(e.variants.map((v) => [v.id, []]))
    for (let i = 0; [...arms.values()].some((list) => list.length < 20); i++) {
      expect(i).toBeLessThan(400)
      const visitor = `e-${i}`
      const list = arms.get((await served(visitor, 'exp-slot')).variantId)!
      if (list.length < 20) list.push(visitor)
    }
    const impressions = e.variants.flatMap((v, index) =>
      arms
        .get(v.id)!
        .map((visitor) => event('impression', nov(29, '08:00'), visitor, { campaign: e, variant: index })),
    )
    await post(impressions)
    const purchases: Record<string, unknown>[] = []
    for (const [index, arm] of plan.entries()) {
      for (const visitor of arms.get(e.variants[index]!.id)!.slice(0, arm.buyers)) {
        expect(await clickThrough(visitor, 'exp-slot', nov(29, '09:00'))).toBe(e.variants[index]!.id)
        purchases.push(
          event('Purchase', nov(29, '10:00'), visitor, undefined, { value: 25, currency: 'EUR' }),
        )
      }
    }
    await post(purchases)
    // Four leads submitted in the control's form: for the cost per lead.
    await post(times(4, () => event('submit', nov(29, '10:30'), 'e-lead', { campaign: e, variant: 0 })))
  })

  it('credits each arm its conversions and rates them against the arm’s visitors', async () => {
    const body = await analytics(e)
    expect(body.totals).toMatchObject({
      impressions: 60,
      reach: 60,
      clicks: 15,
      conversions: 15,
      revenue: 375,
    })
    expect(body.byVariant).toEqual([
      expect.objectContaining({
        name: 'Control',
        reach: 20,
        clicks: 2,
        conversions: 2,
        revenue: 50,
        conversionRate: 0.1,
      }),
      expect.objectContaining({
        name: 'Bold',
        reach: 20,
        clicks: 10,
        conversions: 10,
        revenue: 250,
        conversionRate: 0.5,
      }),
      expect.objectContaining({
        name: 'Quiet',
        reach: 20,
        clicks: 3,
        conversions: 3,
        revenue: 75,
        conversionRate: 0.15,
      }),
    ])
  })

  it('compares each variant with the first: difference, Newcombe 95% interval, significance and lift', async () => {
    const { experiment } = await analytics(e)
    expect(experiment).toMatchObject({
      holdoutPercent: 0,
      bandit: null,
      control: e.variants[0]!.id,
      srm: { mismatch: false, pValue: 1 },
    })
    // Worked by hand, z = 1.959964. Wilson intervals: 2/20 → (0.027866, 0.301034); 10/20 → (0.299298, 0.700702);
    // 3/20 → (0.052369, 0.360419).
    // Bold − Control = 0.4; low = 0.4 − √((0.5 − 0.299298)² + (0.301034 − 0.1)²) = 0.115930,
    // high = 0.4 + √((0.700702 − 0.5)² + (0.1 − 0.027866)²) = 0.613271.
    // Quiet − Control = 0.05; low = 0.05 − √((0.15 − 0.052369)² + (0.301034 − 0.1)²) = −0.173487,
    // high = 0.05 + √((0.360419 − 0.15)² + (0.1 − 0.027866)²) = 0.272440.
    expect(experiment.comparisons).toHaveLength(2)
    const [bold, quiet] = experiment.comparisons.map((c) => ({ ...c, ci95: c.ci95! }))
    if (!bold || !quiet) throw new Error('two comparisons')
    expect(bold).toMatchObject({ variantId: e.variants[1]!.id, metric: 'conversionRate', significant: true })
    expect(bold.difference).toBeCloseTo(0.4, 10)
    expect(bold.ci95.low).toBeCloseTo(0.11593, 5)
    expect(bold.ci95.high).toBeCloseTo(0.613271, 5)
    expect(bold.lift).toBeCloseTo(4, 10)
    expect(quiet).toMatchObject({ variantId: e.variants[2]!.id, significant: false })
    expect(quiet.difference).toBeCloseTo(0.05, 10)
    expect(quiet.ci95.low).toBeCloseTo(-0.173487, 5)
    expect(quiet.ci95.high).toBeCloseTo(0.27244, 5)
    expect(quiet.lift).toBeCloseTo(0.5, 10)
    for (const comparison of experiment.comparisons) {
      expect(comparison.ci95!.low).toBeLessThan(comparison.difference!)
      expect(comparison.ci95!.high).toBeGreaterThan(comparison.difference!)
    }
  })

  it('has no ROAS, CPA or CPL without a cost, and computes them from the cost once it is set', async () => {
    const before = await analytics(e)
    expect(before.totals).toMatchObject({ cost: null, roas: null, cpa: null, cpl: null })
    expect(before.totals.forms.submits).toBe(4)
    expect(before.totals).toMatchObject({ aov: 25, rpv: 6.25 })
    const res = await admin().patch(`/api/v1/campaigns/${e.id}`, { cost: { amount: 90, currency: 'EUR' } })
    expect(res.status).toBe(200)
    const after = await analytics(e)
    expect(after.totals).toMatchObject({
      cost: { amount: 90, currency: 'EUR' },
      // 375 / 90, 90 / 15 conversions, 90 / 4 leads.
      roas: 4.1667,
      cpa: 6,
      cpl: 22.5,
    })
    // Credit under another model is the same here (one click each), and so are the ratios.
    expect((await analytics(e, '?model=linear')).totals).toMatchObject({ roas: 4.1667, cpa: 6 })
  })

  it('refuses a negative cost or a currency that is not an ISO code, at the field', async () => {
    const patch = async (cost: unknown) => {
      const res = await admin().patch(`/api/v1/campaigns/${e.id}`, { cost })
      expect(res.status).toBe(400)
      return (await readError(res)).paths
    }
    expect(await patch({ amount: -1, currency: 'EUR' })).toEqual(['cost.amount'])
    expect(await patch({ amount: 10, currency: 'eur' })).toEqual(['cost.currency'])
    expect(await patch({ amount: 10, currency: 'EURO' })).toEqual(['cost.currency'])
    expect(await patch({ amount: 10 })).toEqual(['cost.currency'])
    expect((await analytics(e)).totals.cost).toEqual({ amount: 90, currency: 'EUR' })
  })

  it('answers the series per variant too, bucket by bucket, as the CSV has it', async () => {
    const body = await analytics(e, '?from=2026-11-28T00:00:00Z&to=2026-11-30T00:00:00Z')
    expect(body.variantSeries.map((v) => v.variantId)).toEqual(e.variants.map((v) => v.id))
    const zero = { impressions: 0, viewableImpressions: 0, clicks: 0, ctr: 0, conversions: 0, revenue: 0 }
    const rows = body.variantSeries.map((v) => v.series)
    expect(rows).toEqual([
      [
        { t: '2026-11-28T00:00:00Z', ...zero },
        {
          t: '2026-11-29T00:00:00Z',
          ...zero,
          impressions: 20,
          clicks: 2,
          ctr: 0.1,
          conversions: 2,
          revenue: 50,
        },
      ],
      [
        { t: '2026-11-28T00:00:00Z', ...zero },
        {
          t: '2026-11-29T00:00:00Z',
          ...zero,
          impressions: 20,
          clicks: 10,
          ctr: 0.5,
          conversions: 10,
          revenue: 250,
        },
      ],
      [
        { t: '2026-11-28T00:00:00Z', ...zero },
        {
          t: '2026-11-29T00:00:00Z',
          ...zero,
          impressions: 20,
          clicks: 3,
          ctr: 0.15,
          conversions: 3,
          revenue: 75,
        },
      ],
    ])
    // Each bucket's variants add up to the campaign's bucket.
    expect(body.series.map((point) => point.impressions)).toEqual([0, 60])
  })

  it('exports the series per variant as CSV', async () => {
    const res = await admin().get(
      `/api/v1/campaigns/${e.id}/analytics?format=csv&from=2026-11-28T00:00:00Z&to=2026-11-30T00:00:00Z`,
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="campaign-${e.id}-2026-11-28.csv"`,
    )
    const text = await res.text()
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/)
    const lines = text.slice(0, -2).split('\r\n')
    expect(lines[0]).toBe(
      't,variant_id,variant,impressions,viewable_impressions,clicks,ctr,conversions_last_touch,revenue_last_touch',
    )
    // Two days × three variants, days first.
    const [control, bold, quiet] = e.variants.map((v) => v.id)
    expect(lines.slice(1)).toEqual([
      `2026-11-28T00:00:00Z,${control},Control,0,0,0,0,0,0`,
      `2026-11-28T00:00:00Z,${bold},Bold,0,0,0,0,0,0`,
      `2026-11-28T00:00:00Z,${quiet},Quiet,0,0,0,0,0,0`,
      `2026-11-29T00:00:00Z,${control},Control,20,0,2,0.1,2,50`,
      `2026-11-29T00:00:00Z,${bold},Bold,20,0,10,0.5,10,250`,
      `2026-11-29T00:00:00Z,${quiet},Quiet,20,0,3,0.15,3,75`,
    ])
    const linear = await (
      await admin().get(`/api/v1/campaigns/${e.id}/analytics?format=csv&model=linear&interval=hour`)
    ).text()
    expect(linear.split('\r\n')[0]).toMatch(/,conversions_linear,revenue_linear$/)
    // The default range in hours is 30 days: 720 hours × 3 variants, a header and the final line end.
    expect(linear.split('\r\n')).toHaveLength(1 + 720 * 3 + 1)
  })
})

describe('CSV a spreadsheet opens safely', () => {
  it('quotes and neutralises a variant name that a spreadsheet would run as a formula', async () => {
    const evil = await createCampaign({
      name: 'Formula',
      variants: [variant('=HYPERLINK("x")'), variant('+1, "two"'), variant('@SUM(A1)')],
    })
    await post([event('impression', nov(29, '07:00'), 'x1', { campaign: evil, variant: 0 })])
    const res = await admin().get(
      `/api/v1/campaigns/${evil.id}/analytics?format=csv&from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z`,
    )
    const lines = (await res.text()).split('\r\n')
    expect(lines.slice(1, 4)).toEqual([
      `2026-11-29T00:00:00Z,${evil.variants[0]!.id},"'=HYPERLINK(""x"")",1,0,0,0,0,0`,
      `2026-11-29T00:00:00Z,${evil.variants[1]!.id},"'+1, ""two""",0,0,0,0,0,0`,
      `2026-11-29T00:00:00Z,${evil.variants[2]!.id},'@SUM(A1),0,0,0,0,0,0`,
    ])
  })
})

describe('GET /api/v1/analytics/overview', () => {
  let o1: Created
  let o2: Created
  beforeAll(async () => {
    o1 = await createCampaign(
      { name: 'Overview one', placements: ['o-slot'], cost: { amount: 50, currency: 'EUR' } },
      c,
      true,
    )
    o2 = await createCampaign({ name: 'Overview two' }, c)
    const tenant = { tenant: c }
    await post(
      [
        event('page', nov(27, '10:00'), 'o1'),
        event('page', nov(28, '10:00'), 'o4'),
        event('impression', nov(28, '10:00'), 'o2', { campaign: o1 }),
        event('page', nov(29, '09:00'), 'o1'),
        event('page', nov(29, '09:00'), 'o2'),
        event('impression', nov(29, '09:00'), 'o1', { campaign: o1 }),
        event('impression', nov(29, '09:00'), 'o1', { campaign: o1 }),
        event('impression', nov(29, '09:00'), 'o3', { campaign: o2 }),
      ],
      tenant,
    )
    await clickThrough('o1', 'o-slot', nov(29, '10:00'), c)
    await post(
      [
        event('Purchase', nov(29, '11:00'), 'o1', undefined, { value: 80, currency: 'EUR' }),
        // o4 never clicked anything: their purchase and lead count for the site, credited to no campaign.
        event('Purchase', nov(29, '11:00'), 'o4', undefined, { value: 20, currency: 'EUR' }),
        event('Lead', nov(29, '11:00'), 'o4'),
        event('wishlist_shared', nov(29, '11:00'), 'o2'),
      ],
      tenant,
    )
  })

  const overview = async (query = '', tenant: Tenant = c) => {
    const res = await admin(tenant).get(`/api/v1/analytics/overview${query}`)
    expect(res.status).toBe(200)
    return readJson(res, api.overview)
  }

  it('counts visitors once over the range, page views, and every campaign’s headline numbers', async () => {
    const body = await overview()
    expect(body).toMatchObject({ siteId: c.siteId, model: 'last_touch' })
    expect(body.totals).toEqual({
      // o1, o2, o3, o4: the days hold 1 + 2 + 4 = 7.
      visitors: 4,
      visitorsExact: true,
      pageViews: 4,
      impressions: 4,
      clicks: 1,
      attributedConversions: 1,
      attributedRevenue: 80,
    })
    expect(body.campaigns).toEqual([
      {
        id: o1.id,
        name: 'Overview one',
        type: 'awareness',
        status: 'active',
        cost: { amount: 50, currency: 'EUR' },
        impressions: 3,
        viewableImpressions: 0,
        clicks: 1,
        ctr: 0.3333,
        conversions: 1,
        revenue: 80,
        roas: 1.6,
      },
      {
        id: o2.id,
        name: 'Overview two',
        type: 'awareness',
        status: 'draft',
        cost: null,
        impressions: 1,
        viewableImpressions: 0,
        clicks: 0,
        ctr: 0,
        conversions: 0,
        revenue: 0,
        roas: null,
      },
    ])
  })

  it('lists the conversion events the site sent by name, credited or not', async () => {
    const body = await overview()
    expect(body.conversions).toEqual({ Purchase: { count: 2, value: 100 }, Lead: { count: 1, value: 0 } })
  })

  it('reads the range asked for', async () => {
    const day28 = await overview('?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z')
    expect(day28.totals).toMatchObject({ visitors: 2, pageViews: 1, impressions: 1, clicks: 0 })
    expect(day28.conversions).toEqual({})
    const today = await overview(`?siteId=${c.siteId}&from=2026-11-29T00:00:00Z`)
    expect(today.totals).toMatchObject({ visitors: 4, pageViews: 2, impressions: 3, clicks: 1 })
    expect(
      await refused('/api/v1/analytics/overview?from=2026-11-29T00:00:00Z&to=2026-11-01T00:00:00Z', c),
    ).toEqual(['from'])
    expect(
      await refused('/api/v1/analytics/overview?from=0000-01-01T00:00:00Z&to=0000-01-05T00:00:00Z', c),
    ).toEqual(['from', 'to'])
    expect(await refused('/api/v1/analytics/overview?to=0000-01-05T00:00:00Z', c)).toEqual(['to'])
  })

  it('answers 404 for another organization’s site, by key and by session, and 401 to nobody', async () => {
    for (const [tenant, other] of [
      [h.a, c],
      [c, h.a],
      [h.b, c],
    ] as const) {
      const res = await admin(tenant).get(`/api/v1/analytics/overview?siteId=${other.siteId}`)
      expect(res.status).toBe(404)
      expect(JSON.stringify(await res.json())).not.toContain('Overview')
    }
    const session = await login(h.app, h.b)
    const res = await client(h.app, session).get(`/api/v1/analytics/overview?siteId=${c.siteId}`)
    expect(res.status).toBe(404)
    const own = await readJson(await client(h.app, session).get('/api/v1/analytics/overview'), api.overview)
    expect(own).toMatchObject({ siteId: h.b.siteId, campaigns: [] })
    expect((await client(h.app).get('/api/v1/analytics/overview')).status).toBe(401)
    expect((await client(h.app).get(`/api/v1/analytics/overview?siteId=${c.siteId}`)).status).toBe(401)
  })
})

describe('after all of that', () => {
  it('the rollups agree with the raw events of both sites', async () => {
    expect(await rollupMismatches(h.database.db, h.a.siteId)).toEqual([])
    expect(await rollupMismatches(h.database.db, c.siteId)).toEqual([])
  })
})
