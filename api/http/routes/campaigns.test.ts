import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { leadCampaign } from '../../../promotions/lead_generation/testing/server'
import { campaignPage, campaign as campaignSchema } from '../../../schema/api'
import {
  awarenessCampaign,
  client,
  createHarness,
  type Harness,
  login,
  readError,
  readJson,
} from '../../testing/harness'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const asA = () => client(h.app, { secretKey: h.a.secretKey })

describe('campaign CRUD', () => {
  it('creates, reads, lists, patches and deletes a campaign', async () => {
    const created = await asA().post('/api/v1/campaigns', awarenessCampaign())
    expect(created.status).toBe(201)
    const campaign = await readJson(created, campaignSchema)
    expect(campaign).toMatchObject({
      siteId: h.a.siteId,
      name: 'Winter sale',
      type: 'awareness',
      status: 'draft',
      placements: ['home-hero'],
      config: { format: 'hero' },
    })
    expect(campaign.variants).toHaveLength(1)
    expect(campaign.createdBy).toMatch(/^key:sk_live_/)

    const read = await asA().get(`/api/v1/campaigns/${campaign.id}`)
    expect(read.status).toBe(200)
    expect((await readJson(read, campaignSchema)).id).toBe(campaign.id)

    const list = await readJson(await asA().get('/api/v1/campaigns'), campaignPage)
    expect(list.data.map((c) => c.id)).toContain(campaign.id)
    expect(list).toHaveProperty('nextCursor')

    const variantId = campaign.variants[0]!.id
    const patched = await asA().patch(`/api/v1/campaigns/${campaign.id}`, {
      name: 'Winter sale II',
      variants: [
        { id: variantId, name: 'A', weight: 2, creative: { headline: 'Changed' } },
        { name: 'B', weight: 1, creative: { headline: 'New' } },
      ],
    })
    expect(patched.status).toBe(200)
    const after = await readJson(patched, campaignSchema)
    expect(after.name).toBe('Winter sale II')
    expect(after.priority).toBe(campaign.priority)
    expect(after.variants.map((v) => [v.name, v.weight])).toEqual([
      ['A', 2],
      ['B', 1],
    ])
    expect(after.variants[0]!.id).toBe(variantId)

    expect((await asA().delete(`/api/v1/campaigns/${campaign.id}`)).status).toBe(204)
    expect((await asA().get(`/api/v1/campaigns/${campaign.id}`)).status).toBe(404)
  })

  it('pages through a long list with a cursor', async () => {
    for (let i = 0; i < 5; i++)
      await asA().post('/api/v1/campaigns', awarenessCampaign({ name: `Page ${i}` }))
    const seen = new Set<string>()
    let cursor: string | null = null
    do {
      const res = await asA().get(
        `/api/v1/campaigns?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
      const page = await readJson(res, campaignPage)
      expect(page.data.length).toBeLessThanOrEqual(2)
      for (const c of page.data) seen.add(c.id)
      cursor = page.nextCursor
    } while (cursor)
    expect(seen.size).toBeGreaterThanOrEqual(5)
  })

  it('follows the status machine and answers 409 to an invalid transition', async () => {
    const { id } = await readJson(await asA().post('/api/v1/campaigns', awarenessCampaign()), campaignSchema)
    expect((await asA().post(`/api/v1/campaigns/${id}/pause`)).status).toBe(409)
    expect((await asA().post(`/api/v1/campaigns/${id}/activate`)).status).toBe(200)
    expect((await asA().post(`/api/v1/campaigns/${id}/activate`)).status).toBe(409)
    expect((await asA().post(`/api/v1/campaigns/${id}/pause`)).status).toBe(200)
    expect((await asA().post(`/api/v1/campaigns/${id}/activate`)).status).toBe(200)
    expect((await asA().post(`/api/v1/campaigns/${id}/complete`)).status).toBe(200)
    const conflict = await asA().post(`/api/v1/campaigns/${id}/activate`)
    expect(conflict.status).toBe(409)
    expect((await readError(conflict)).code).toBe('invalid_transition')
    expect((await asA().post(`/api/v1/campaigns/${id}/archive`)).status).toBe(200)
    expect((await asA().post(`/api/v1/campaigns/${id}/archive`)).status).toBe(409)
  })

  it('lets only one of two concurrent activations win', async () => {
    const { id } = await readJson(await asA().post('/api/v1/campaigns', awarenessCampaign()), campaignSchema)
    const results = await Promise.all([
      asA().post(`/api/v1/campaigns/${id}/activate`),
      asA().post(`/api/v1/campaigns/${id}/activate`),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([200, 409])
  })

  it("serves the blueprint's per-type paths with the type pinned", async () => {
    const created = await asA().post('/api/v1/campaigns/awareness', {
      ...awarenessCampaign(),
      type: undefined,
    })
    expect(created.status).toBe(201)
    const { id } = await readJson(created, campaignSchema)
    expect((await asA().get(`/api/v1/campaigns/awareness/${id}`)).status).toBe(200)
    expect((await asA().get(`/api/v1/campaigns/traffic/${id}`)).status).toBe(404)
    expect((await asA().post(`/api/v1/campaigns/awareness/${id}/activate`)).status).toBe(200)
    const list = await readJson(await asA().get('/api/v1/campaigns/awareness'), campaignPage)
    expect(list.data.every((c) => c.type === 'awareness')).toBe(true)
    const mismatch = await asA().post('/api/v1/campaigns/traffic', awarenessCampaign())
    expect(mismatch.status).toBe(400)
  })
})

/** A lead campaign as answered; its config is the type's own shape, which these tests read field by field. */
const configOf = async (res: Response) => {
  const answer = await readJson(res, campaignSchema)
  return { ...answer, config: answer.config as Record<string, any> }
}

describe('PATCH config, key by key', () => {
  it('sets the keys it names, whole, and keeps the rest; null brings a default back; a __proto__ key is refused', async () => {
    const created = await configOf(
      await asA().post(
        '/api/v1/campaigns',
        leadCampaign({ display: 'popup', trigger: { on: 'exit' }, texts: { back: 'Zurück' } }),
      ),
    )
    const patch = (config: unknown) => asA().patch(`/api/v1/campaigns/${created.id}`, { config })

    const german = await configOf(await patch({ texts: { next: 'Weiter', back: 'Zurück' } }))
    expect(german.config.texts).toMatchObject({ next: 'Weiter', back: 'Zurück', step: 'Step {n} of {total}' })
    expect(german.config.fields.map((f: { name: string }) => f.name)).toEqual(
      created.config.fields.map((f: { name: string }) => f.name),
    )
    expect(german.config).toMatchObject({ display: 'popup', trigger: { on: 'exit' } })

    // A key is set whole: a delay trigger replaces the exit one; words the new texts leave out are default again.
    const later = await configOf(
      await patch({ trigger: { on: 'delay', seconds: 5 }, texts: { next: 'Weiter' } }),
    )
    expect(later.config.trigger).toEqual({ on: 'delay', seconds: 5 })
    expect(later.config.texts).toMatchObject({ next: 'Weiter', back: 'Back' })
    expect((await configOf(await patch({ trigger: { on: 'exit' } }))).config.trigger).toEqual({
      on: 'exit',
    })

    const reset = await configOf(await patch({ trigger: null }))
    expect(reset.config.trigger).toEqual({ on: 'load' })
    expect(reset.config.texts).toMatchObject({ next: 'Weiter' })

    const fields = [{ name: 'email', type: 'email', label: 'Email', required: true }]
    const shorter = await configOf(await patch({ fields, scoring: { rules: [] } }))
    expect(shorter.config.fields.map((f: { name: string }) => f.name)).toEqual(['email'])

    const polluted = await asA().patch(
      `/api/v1/campaigns/${created.id}`,
      JSON.parse('{"config":{"__proto__":{"display":"inline"}}}'),
    )
    expect(polluted.status).toBe(400)
    expect((await readError(polluted)).paths[0]).toBe('config.__proto__')
    expect((await configOf(await asA().get(`/api/v1/campaigns/${created.id}`))).config.display).toBe('popup')
  })
})

describe('bad input', () => {
  const errorOf = readError

  it('rejects malformed JSON, a wrong content type and an oversized body', async () => {
    const malformed = await asA().post('/api/v1/campaigns', '{"name":', 'application/json')
    expect(malformed.status).toBe(400)
    expect((await errorOf(malformed)).code).toBe('invalid_json')
    const wrongType = await asA().post('/api/v1/campaigns', JSON.stringify(awarenessCampaign()), 'text/plain')
    expect(wrongType.status).toBe(415)
    const huge = await asA().post('/api/v1/campaigns', awarenessCampaign({ name: 'x'.repeat(600_000) }))
    expect(huge.status).toBe(413)
    expect((await errorOf(huge)).code).toBe('payload_too_large')
  })

  it('rejects an unknown type and an invalid config with the failing field paths', async () => {
    const unknown = await asA().post('/api/v1/campaigns', awarenessCampaign({ type: 'billboard' }))
    expect(unknown.status).toBe(400)
    expect((await errorOf(unknown)).paths).toContain('type')

    const badConfig = await asA().post(
      '/api/v1/campaigns',
      awarenessCampaign({ config: { format: 'skywriting' } }),
    )
    expect(badConfig.status).toBe(400)
    expect((await errorOf(badConfig)).paths).toContain('config.format')

    const badUrl = await asA().post(
      '/api/v1/campaigns',
      awarenessCampaign({
        variants: [{ name: 'A', creative: { headline: 'x', ctaUrl: 'javascript:alert(1)' } }],
      }),
    )
    expect(badUrl.status).toBe(400)
    expect((await errorOf(badUrl)).paths).toContain('variants.0.creative.ctaUrl')
  })

  it('stores nothing when a create fails validation', async () => {
    const before = (await readJson(await asA().get('/api/v1/campaigns?limit=100'), campaignPage)).data.length
    await asA().post('/api/v1/campaigns', awarenessCampaign({ variants: [] }))
    await asA().post('/api/v1/campaigns', awarenessCampaign({ name: '' }))
    const after = (await readJson(await asA().get('/api/v1/campaigns?limit=100'), campaignPage)).data.length
    expect(after).toBe(before)
  })

  it('answers 401 to a missing or wrong key and 404 to a non-UUID id', async () => {
    expect((await client(h.app).get('/api/v1/campaigns')).status).toBe(401)
    expect(
      (await client(h.app, { secretKey: 'sk_live_wrongwrongwrongwrongwrong00' }).get('/api/v1/campaigns'))
        .status,
    ).toBe(401)
    expect((await client(h.app, { secretKey: h.a.publishableKey }).get('/api/v1/campaigns')).status).toBe(401)
    expect((await asA().get('/api/v1/campaigns/not-a-uuid')).status).toBe(404)
  })
})

describe('sessions', () => {
  it('creates with a session and the CSRF token, and refuses a cookie write without it', async () => {
    const session = await login(h.app, h.a)
    const noCsrf = await client(h.app, { cookie: session.cookie }).post(
      '/api/v1/campaigns',
      awarenessCampaign(),
    )
    expect(noCsrf.status).toBe(403)
    expect((await readError(noCsrf)).code).toBe('csrf_failed')
    const ok = await client(h.app, session).post(
      '/api/v1/campaigns',
      awarenessCampaign({ siteId: h.a.siteId }),
    )
    expect(ok.status).toBe(201)
    expect((await readJson(ok, campaignSchema)).createdBy).toMatch(/^user:/)
  })
})
