import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awarenessCampaign, client, createHarness, type Harness, readError } from '../testing/harness'
import { rollupMismatches } from '../testing/rollups'

let h: Harness
const dayMs = 86_400_000
const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
const admin = () => client(h.app, { secretKey: h.a.secretKey })
let campaign: { id: string; variants: { id: string }[] }

async function post(batch: Record<string, unknown>[]) {
  const res = await h.app.request('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser },
    body: JSON.stringify({ site: h.a.publishableKey, batch }),
  })
  expect(res.status).toBe(200)
}

const conversions = async () =>
  ((await (await admin().get(`/api/v1/campaigns/${campaign.id}/analytics`)).json()) as any).totals.conversions

beforeAll(async () => {
  h = await createHarness()
  campaign = (await (await admin().post('/api/v1/campaigns', awarenessCampaign())).json()) as typeof campaign
  // A click two days before a purchase: inside the default 7-day click window.
  const touch = {
    campaignId: campaign.id,
    variantId: campaign.variants[0]!.id,
    anonymousId: 'settings-buyer',
  }
  await post([
    {
      id: crypto.randomUUID(),
      name: 'click',
      timestamp: new Date(h.now.value - 2 * dayMs).toISOString(),
      ...touch,
    },
  ])
  await post([
    {
      id: crypto.randomUUID(),
      name: 'Purchase',
      timestamp: new Date(h.now.value).toISOString(),
      anonymousId: 'settings-buyer',
      value: 30,
      currency: 'EUR',
    },
  ])
})
afterAll(() => h.close())

describe("a site's attribution settings", () => {
  it('shows the defaults (7-day click, 1-day view, 7-day half-life, 40/20/40) until set', async () => {
    const site = (await (await admin().get(`/api/v1/sites/${h.a.siteId}`)).json()) as any
    expect(site.attribution).toEqual({
      clickWindowDays: 7,
      viewWindowDays: 1,
      halfLifeDays: 7,
      positionWeights: { first: 0.4, middle: 0.2, last: 0.4 },
    })
    expect(await conversions()).toBe(1)
  })

  it('refuses settings that do not hold, at the failing field', async () => {
    const res = await admin().patch(`/api/v1/sites/${h.a.siteId}`, {
      attribution: { positionWeights: { first: 0.5, middle: 0.5, last: 0.5 } },
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as any
    expect(body.error.details.map((d: any) => d.path)).toContain('attribution.positionWeights')
    const wide = await admin().patch(`/api/v1/sites/${h.a.siteId}`, { attribution: { clickWindowDays: 365 } })
    expect(wide.status).toBe(400)
  })

  it('credits a range again under new windows, moving the rollups with it, and back', async () => {
    const patched = await admin().patch(`/api/v1/sites/${h.a.siteId}`, {
      attribution: { clickWindowDays: 1 },
    })
    expect(patched.status).toBe(200)
    expect(((await patched.json()) as any).attribution.clickWindowDays).toBe(1)
    // Stored credit is not rewritten by a settings change alone…
    expect(await conversions()).toBe(1)
    const range = {
      from: new Date(h.now.value - 30 * dayMs).toISOString(),
      to: new Date(h.now.value + dayMs).toISOString(),
    }
    const recomputed = await admin().post(`/api/v1/sites/${h.a.siteId}/attribution/recompute`, range)
    expect(recomputed.status).toBe(200)
    expect(await recomputed.json()).toEqual({ conversions: 1, credits: 0 })
    // …until the range is credited again: a 2-day-old click is outside a 1-day window.
    expect(await conversions()).toBe(0)
    expect(await rollupMismatches(h.database.db, h.a.siteId)).toEqual([])

    await admin().patch(`/api/v1/sites/${h.a.siteId}`, { attribution: null })
    const back = await admin().post(`/api/v1/sites/${h.a.siteId}/attribution/recompute`, range)
    expect(((await back.json()) as any).credits).toBe(5)
    expect(await conversions()).toBe(1)
    expect(await rollupMismatches(h.database.db, h.a.siteId)).toEqual([])
  })

  it('recomputes at most 92 days at a time, and only for a site of the caller', async () => {
    const long = await admin().post(`/api/v1/sites/${h.a.siteId}/attribution/recompute`, {
      from: new Date(h.now.value - 100 * dayMs).toISOString(),
      to: new Date(h.now.value).toISOString(),
    })
    expect(long.status).toBe(400)
    expect((await readError(long)).paths[0]).toBe('to')
    const other = await client(h.app, { secretKey: h.b.secretKey }).post(
      `/api/v1/sites/${h.a.siteId}/attribution/recompute`,
      { from: new Date(h.now.value - dayMs).toISOString(), to: new Date(h.now.value).toISOString() },
    )
    expect(other.status).toBe(404)
  })
})
