import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awarenessCampaign, client, createHarness, type Harness } from '../testing/harness'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

describe('ActiveCampaigns', () => {
  it('serves from cache, and never caches a load that a write overtook', async () => {
    const active = h.app.services.active
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const { id } = (await (await admin.post('/api/v1/campaigns', awarenessCampaign())).json()) as any
    expect(await active.forSite(h.a.siteId)).toEqual([])
    const hits = active.hits
    await active.forSite(h.a.siteId)
    expect(active.hits).toBe(hits + 1)

    // A load that was running when a write invalidated the site must not be cached: the next read reloads.
    active.invalidate(h.a.siteId)
    const stale = active.forSite(h.a.siteId)
    active.invalidate(h.a.siteId)
    await stale
    const misses = active.misses
    await active.forSite(h.a.siteId)
    expect(active.misses).toBe(misses + 1)
    expect(id).toBeTruthy()
  })
})
