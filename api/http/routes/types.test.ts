import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { campaignTypes } from '../../../schema/campaign'
import { serverTypes } from '../../promotions'
import { awarenessCampaign, client, createHarness, type Harness } from '../../testing/harness'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const admin = () => client(h.app, { secretKey: h.a.secretKey })

describe('types the server can serve', () => {
  it('GET /api/v1/types lists every type and whether this server serves it', async () => {
    const res = await client(h.app).get('/api/v1/types')
    expect(res.status).toBe(200)
    const { data } = (await res.json()) as {
      data: { type: string; servable: boolean; promoCodes: boolean }[]
    }
    expect(data.map((entry) => entry.type)).toEqual([...campaignTypes])
    // The types whose campaigns hand out promo codes: the admin's Promo codes screen lists their campaigns.
    expect(data.filter((entry) => entry.promoCodes).map((entry) => entry.type)).toEqual([
      'sales',
      'remarketing',
    ])
    for (const entry of data) expect(entry.servable, entry.type).toBe(entry.type in serverTypes)
    expect(data.find((entry) => entry.type === 'awareness')?.servable).toBe(true)
    // Every type has its server module now.
    expect(data.every((entry) => entry.servable)).toBe(true)
  })

  it('refuses to activate a campaign whose type has no server module, saying so; it stays a draft', async () => {
    // A server whose registry leaves remarketing out, as one without its module would be.
    const { remarketing: _remarketing, ...withoutRemarketing } = serverTypes
    const partial = await createHarness({}, withoutRemarketing)
    const admin = () => client(partial.app, { secretKey: partial.a.secretKey })
    const listed = (await (await client(partial.app).get('/api/v1/types')).json()) as {
      data: { type: string; servable: boolean }[]
    }
    expect(listed.data.find((entry) => entry.type === 'remarketing')?.servable).toBe(false)
    const created = await admin().post(
      '/api/v1/campaigns',
      awarenessCampaign({
        name: 'Come back',
        type: 'remarketing',
        placements: [],
        config: { audience: { kind: 'cart_abandoners' } },
      }),
    )
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    const res = await admin().post(`/api/v1/campaigns/${id}/activate`)
    expect(res.status).toBe(422)
    const body = (await res.json()) as { error: { code: string; message: string; details: unknown } }
    expect(body.error.code).toBe('unprocessable')
    expect(body.error.message).toMatch(/cannot serve remarketing campaigns/)
    expect(body.error.details).toEqual({ type: 'remarketing', servable: false })
    const after = (await (await admin().get(`/api/v1/campaigns/${id}`)).json()) as { status: string }
    expect(after.status).toBe('draft')
    await partial.close()
  })

  it('activates a campaign of a servable type as before', async () => {
    const created = await admin().post('/api/v1/campaigns', awarenessCampaign())
    const { id } = (await created.json()) as { id: string }
    expect((await admin().post(`/api/v1/campaigns/${id}/activate`)).status).toBe(200)
  })
})
