import { and, count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { campaignAudienceKey } from '../../../schema/audiences'
import { auditLog, campaigns, leads, segments } from '../../../schema/db'
import { refreshAudiences } from '../../services/audiences/refresh'
import { audienceTestTypes } from '../../testing/audiences'
import {
  awarenessCampaign,
  client,
  createHarness,
  type Harness,
  readError,
  readJson,
} from '../../testing/harness'

let h: Harness
const dayMs = 86_400_000
const asA = () => client(h.app, { secretKey: h.a.secretKey })
const asB = () => client(h.app, { secretKey: h.b.secretKey })

const event = (name: string, anonymousId: string, extra: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  name,
  timestamp: new Date(h.now.value).toISOString(),
  anonymousId,
  sessionId: `s-${anonymousId}`,
  ...extra,
})
const addToCart = (visitor: string) =>
  event('AddToCart', visitor, {
    value: 30,
    props: { contents: [{ id: 'SKU-9', quantity: 1, item_price: 30 }] },
  })

async function send(publishableKey: string, ...batch: Record<string, unknown>[]) {
  const res = await client(h.app).post('/api/v1/events', { site: publishableKey, batch })
  expect(res.status).toBeLessThan(300)
}

async function lead(
  siteId: string,
  email: string,
  anonymousId: string,
  granted: boolean | null,
  phone?: string,
) {
  await h.database.db.insert(leads).values({
    siteId,
    email,
    fields: phone ? { email, phone } : { email },
    score: 50,
    grade: 'B',
    consent:
      granted === null ? null : { granted, text: 'Send me offers', at: new Date(h.now.value).toISOString() },
    anonymousId,
    source: { utm: {} } as never,
  })
}

let saved: api.CustomAudience
let remarketing: api.Campaign
beforeAll(async () => {
  h = await createHarness({}, audienceTestTypes)
  saved = await readJson(
    await asA().post('/api/v1/audiences', {
      key: 'carters',
      name: 'Carters',
      rule: { field: 'event', name: 'AddToCart', op: 'gte', count: 1 },
      lookbackDays: 7,
    }),
    api.customAudience,
  )
  remarketing = await readJson(
    await asA().post(
      '/api/v1/campaigns',
      awarenessCampaign({
        name: 'Cart reminder',
        type: 'remarketing',
        placements: [],
        config: {
          format: 'popup',
          audience: { kind: 'saved', audienceId: saved.id },
          exclude: { segments: [] },
        },
      }),
    ),
    api.campaign,
  )
  expect((await asA().post(`/api/v1/campaigns/${remarketing.id}/activate`)).status).toBe(200)
  await send(h.a.publishableKey, addToCart('jane'), addToCart('john'), addToCart('nora'), addToCart('olga'))
  await send(h.b.publishableKey, addToCart('bea'))
  await lead(h.a.siteId, ' Jane.Doe@Gmail.com', 'jane', true, '+1 (616) 954-7888')
  await lead(h.a.siteId, 'John_Smith@example.com', 'john', true)
  await lead(h.a.siteId, 'nora.no@example.com', 'nora', false, '+44 20 7946 0000')
  await lead(h.a.siteId, 'olga.unasked@example.com', 'olga', null)
  h.now.value += 60_000
  await refreshAudiences(h.app.services)
})
afterAll(() => h.close())

describe('size and refresh', () => {
  it('lists saved audiences with their size and last refresh', async () => {
    const list = await readJson(await asA().get('/api/v1/audiences'), api.audienceList)
    const carters = list.data.find((a) => a.key === 'carters') as api.CustomAudience
    expect(carters).toMatchObject({ size: 4, refreshedAt: new Date(h.now.value).toISOString() })
  })

  it('answers the size now and per day, for a saved audience and a campaign’s own', async () => {
    const today = new Date(h.now.value).toISOString().slice(0, 10)
    const size = await readJson(await asA().get(`/api/v1/audiences/${saved.id}/size`), api.audienceSizeAnswer)
    expect(size).toMatchObject({ key: 'carters', siteId: h.a.siteId, size: 4 })
    expect(size.series).toHaveLength(30)
    expect(size.series.at(-1)).toEqual({ day: today, size: 4 })
    expect(size.series.at(-2)!.size).toBe(0)

    const own = await readJson(
      await asA().get(`/api/v1/audiences/${remarketing.id}/size`),
      api.audienceSizeAnswer,
    )
    expect(own).toMatchObject({ key: campaignAudienceKey(remarketing.id), size: 4 })
    const list = await readJson(await asA().get('/api/v1/audiences/campaigns'), api.campaignAudienceList)
    expect(list.data).toEqual([
      expect.objectContaining({
        campaignId: remarketing.id,
        key: campaignAudienceKey(remarketing.id),
        audience: { kind: 'saved', audienceId: saved.id },
        size: 4,
      }),
    ])
  })
})

describe('exports', () => {
  it('hashes Meta’s columns as Meta normalises, only for people whose consent allows marketing', async () => {
    const res = await asA().get(`/api/v1/audiences/${saved.id}/export?format=meta`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    expect(res.headers.get('content-disposition')).toContain('attachment')
    const text = await res.text()
    expect(text).toBe(
      'EMAIL,PHONE,EXTERN_ID\r\n' +
        '5ac3cbb303be9ca0f0ca5bdd9dde9f2d74309d33022cf5fa9bc90bbdbe9ea428,,\r\n' +
        '831f6494ad6be4fcb3a724c3d5fef22d3ceffa3c62ef3a7984e45a0ea177f982,' +
        'bb2fa2e6d2cea4746530c99686d0c7886ab2019875dca2d7e9e171c0e6ada00d,\r\n',
    )
    for (const plain of ['jane', 'john', 'nora', 'olga', 'gmail', 'example.com', '616', '954', '7946']) {
      expect(text.toLowerCase()).not.toContain(plain)
    }
  })

  it('hashes Google’s columns as Google normalises (the Gmail rule, E.164 phones)', async () => {
    const text = await (await asA().get(`/api/v1/audiences/${remarketing.id}/export?format=google`)).text()
    const lines = text.trim().split('\r\n')
    expect(lines[0]).toBe('Email,Phone')
    expect(lines).toContain(
      'd6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69,' +
        '0a36809ca24463df1133c40c2e2fa2b7f180038fe7d86bd1923a32a1a54dfe58',
    )
    expect(lines).toHaveLength(3)
    expect(text).not.toMatch(/@|\+\d/)
  })

  it('writes each export to the audit log', async () => {
    const [row] = await h.database.db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.entityId, saved.id), eq(auditLog.route, '/api/v1/audiences/{id}/export')))
    expect(row!.n).toBeGreaterThan(0)
  })
})

describe('isolation', () => {
  it('another site’s audiences do not exist, for size, export and the campaign list', async () => {
    expect((await asB().get(`/api/v1/audiences/${saved.id}/size`)).status).toBe(404)
    expect((await asB().get(`/api/v1/audiences/${remarketing.id}/size`)).status).toBe(404)
    expect((await asB().get(`/api/v1/audiences/${saved.id}/export?format=meta`)).status).toBe(404)
    const list = await readJson(await asB().get('/api/v1/audiences/campaigns'), api.campaignAudienceList)
    expect(list.data).toEqual([])
    expect((await client(h.app).get(`/api/v1/audiences/${saved.id}/size`)).status).toBe(401)
  })
})

describe('bad input', () => {
  it('refuses an unknown format and a backwards or too long range, at the field', async () => {
    const format = await asA().get(`/api/v1/audiences/${saved.id}/export?format=csv`)
    expect(format.status).toBe(400)
    expect((await readError(format)).paths).toEqual(['format'])
    const backwards = await asA().get(`/api/v1/audiences/${saved.id}/size?from=2026-11-29&to=2026-11-01`)
    expect((await readError(backwards)).paths).toEqual(['from'])
    const long = await asA().get(`/api/v1/audiences/${saved.id}/size?from=2024-01-01&to=2026-11-01`)
    expect(long.status).toBe(400)
    expect((await readError(long)).paths).toEqual(['from'])
  })

  it('refuses a campaign audience naming another site’s saved audience or an unknown segment; nothing written', async () => {
    const other = await readJson(
      await asB().post('/api/v1/audiences', {
        key: 'b_only',
        name: 'B only',
        rule: { field: 'trait', key: 'plan', op: 'exists' },
      }),
      api.customAudience,
    )
    const [before] = await h.database.db.select({ n: count() }).from(campaigns)
    const foreign = await asA().post(
      '/api/v1/campaigns',
      awarenessCampaign({
        type: 'remarketing',
        placements: [],
        config: {
          audience: { kind: 'saved', audienceId: other.id },
          exclude: { segments: ['customer', 'nope'] },
        },
      }),
    )
    expect(foreign.status).toBe(400)
    expect((await readError(foreign)).paths).toEqual([
      'config.audience.audienceId',
      'config.exclude.segments.1',
    ])
    const lookback = await asA().post(
      '/api/v1/campaigns',
      awarenessCampaign({
        type: 'remarketing',
        placements: [],
        config: { audience: { kind: 'lapsed', inactiveDays: 541 } },
      }),
    )
    expect((await readError(lookback)).paths).toEqual(['config.audience.inactiveDays'])
    const patched = await asA().patch(`/api/v1/campaigns/${remarketing.id}`, {
      config: { audience: { kind: 'saved', audienceId: other.id } },
    })
    expect(patched.status).toBe(400)
    const [after] = await h.database.db.select({ n: count() }).from(campaigns)
    expect(after!.n).toBe(before!.n)
    const [stored] = await h.database.db.select().from(campaigns).where(eq(campaigns.id, remarketing.id))
    expect(stored!.config.audience).toEqual({ kind: 'saved', audienceId: saved.id })
  })

  it('refuses a saved audience key that would pass for a campaign’s, and a too deep rule', async () => {
    const key = campaignAudienceKey(remarketing.id)
    const taken = await asA().post('/api/v1/audiences', {
      key,
      name: 'Sneaky',
      rule: { field: 'trait', key: 'plan', op: 'exists' },
    })
    expect(taken.status).toBe(400)
    expect((await readError(taken)).paths).toEqual(['key'])
    const deep = { all: [{ any: [{ not: { all: [{ field: 'trait', key: 'a', op: 'exists' }] } }] }] }
    const tooDeep = await asA().post('/api/v1/audiences', { key: 'deep', name: 'Deep', rule: deep })
    expect(tooDeep.status).toBe(400)
    expect((await readError(tooDeep)).paths[0]).toMatch(/^rule/)
    const rows = await h.database.db.select().from(segments).where(eq(segments.siteId, h.a.siteId))
    expect(rows.map((row) => row.key)).toEqual(['carters'])
  })
})

describe('size over time', () => {
  it('keeps yesterday’s size when members leave today', async () => {
    h.now.value += 8 * dayMs
    await refreshAudiences(h.app.services)
    const size = await readJson(
      await asA().get(`/api/v1/audiences/${saved.id}/size?from=2026-11-28`),
      api.audienceSizeAnswer,
    )
    expect(size.size).toBe(0)
    expect(size.series.find((d) => d.day === '2026-11-29')!.size).toBe(4)
    expect(size.series.at(-1)!.size).toBe(0)
  })
})
