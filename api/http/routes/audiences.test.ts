import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { segments } from '../../../schema/db'
import { builtInSegments } from '../../../schema/targeting'
import { client, createHarness, type Harness, login, readError, readJson } from '../../testing/harness'
import { maxSegmentsPerSite } from './audiences'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const asA = () => client(h.app, { secretKey: h.a.secretKey })
const heavyBuyers = (overrides: Record<string, unknown> = {}) => ({
  key: 'heavy_buyers',
  name: 'Heavy buyers',
  rule: { field: 'event', name: 'Purchase', op: 'gte', count: 3 },
  ...overrides,
})

describe('audience CRUD', () => {
  it('creates, reads, lists, patches and deletes a custom segment', async () => {
    const created = await asA().post('/api/v1/audiences', heavyBuyers())
    expect(created.status).toBe(201)
    const segment = await readJson(created, api.customAudience)
    expect(segment).toMatchObject({
      siteId: h.a.siteId,
      key: 'heavy_buyers',
      name: 'Heavy buyers',
      rule: { field: 'event', name: 'Purchase', op: 'gte', count: 3 },
      lookbackDays: 30,
      builtIn: false,
    })

    const read = await readJson(await asA().get(`/api/v1/audiences/${segment.id}`), api.customAudience)
    expect(read).toEqual(segment)

    const renamed = await readJson(
      await asA().patch(`/api/v1/audiences/${segment.id}`, { name: 'Big spenders' }),
      api.customAudience,
    )
    expect(renamed).toMatchObject({ name: 'Big spenders', lookbackDays: 30, rule: segment.rule })
    const widened = await readJson(
      await asA().patch(`/api/v1/audiences/${segment.id}`, {
        lookbackDays: 90,
        rule: { any: [segment.rule, { field: 'trait', key: 'vip', op: 'equals', value: true }] },
      }),
      api.customAudience,
    )
    expect(widened).toMatchObject({ name: 'Big spenders', lookbackDays: 90 })
    expect(widened.rule).toMatchObject({ any: [segment.rule, { field: 'trait' }] })

    expect((await asA().delete(`/api/v1/audiences/${segment.id}`)).status).toBe(204)
    expect((await asA().get(`/api/v1/audiences/${segment.id}`)).status).toBe(404)
  })

  it('lists the built-ins, each marked and described, then the custom segments', async () => {
    const created = await readJson(
      await asA().post('/api/v1/audiences', heavyBuyers({ key: 'listed' })),
      api.customAudience,
    )
    const list = await readJson(await asA().get('/api/v1/audiences'), api.audienceList)
    const builtIns = list.data.filter((s) => s.builtIn)
    expect(builtIns.map((s) => s.key)).toEqual([...builtInSegments])
    for (const s of builtIns) expect(s.description).toEqual(expect.any(String))
    expect(list.data.flatMap((s) => (s.builtIn ? [] : [s.id]))).toContain(created.id)
  })

  it('answers 409 for a key the site already has, built-in keys included', async () => {
    await asA().post('/api/v1/audiences', heavyBuyers({ key: 'twice' }))
    for (const key of ['twice', 'customer']) {
      const res = await asA().post('/api/v1/audiences', heavyBuyers({ key }))
      expect(res.status).toBe(409)
      expect(await readError(res)).toMatchObject({
        code: 'conflict',
        details: [{ path: 'key', message: 'already in use' }],
      })
    }
  })

  it('lets another site use the same key', async () => {
    const res = await client(h.app, { secretKey: h.b.secretKey }).post('/api/v1/audiences', heavyBuyers())
    expect(res.status).toBe(201)
  })

  it('reports invalid input by field path', async () => {
    const paths = async (body: Record<string, unknown>, patchId?: string) => {
      const res = patchId
        ? await asA().patch(`/api/v1/audiences/${patchId}`, body)
        : await asA().post('/api/v1/audiences', body)
      expect(res.status).toBe(400)
      const error = await readError(res)
      expect(error.code).toBe('validation_failed')
      return error.paths
    }
    expect(await paths(heavyBuyers({ key: 'Bad Key' }))).toEqual(['key'])
    expect(await paths(heavyBuyers({ lookbackDays: 0 }))).toEqual(['lookbackDays'])
    expect(
      await paths(
        heavyBuyers({
          rule: {
            all: [
              { field: 'trait', key: 'plan', op: 'equals', value: 'a' },
              { field: 'trait', key: 'plan', op: 'near' },
            ],
          },
        }),
      ),
    ).toEqual(['rule.all.1.op'])
    expect(await paths(heavyBuyers({ color: 'red' }))).toEqual(['color'])
    const created = await readJson(
      await asA().post('/api/v1/audiences', heavyBuyers({ key: 'patched' })),
      api.customAudience,
    )
    expect(await paths({ key: 'renamed' }, created.id)).toEqual(['key'])
    expect(await paths({ name: '' }, created.id)).toEqual(['name'])
  })

  it(`keeps at most ${maxSegmentsPerSite} custom segments per site`, async () => {
    const site = h.b.siteId
    const held = await h.database.db.select().from(segments).where(eq(segments.siteId, site))
    await h.database.db.insert(segments).values(
      Array.from({ length: maxSegmentsPerSite - held.length }, (_, i) => ({
        siteId: site,
        key: `filler_${i}`,
        name: `Filler ${i}`,
        rule: { field: 'trait' as const, key: 'plan', op: 'exists' as const },
      })),
    )
    const res = await client(h.app, { secretKey: h.b.secretKey }).post(
      '/api/v1/audiences',
      heavyBuyers({ key: 'one_more' }),
    )
    expect(res.status).toBe(422)
  })

  it('takes a session with its CSRF token, and refuses a write without it', async () => {
    const session = await login(h.app, h.a)
    const ok = await client(h.app, session).post(
      '/api/v1/audiences',
      heavyBuyers({ key: 'by_session', siteId: h.a.siteId }),
    )
    expect(ok.status).toBe(201)
    const forged = await client(h.app, { cookie: session.cookie }).post(
      '/api/v1/audiences',
      heavyBuyers({ key: 'forged' }),
    )
    expect(forged.status).toBe(403)
    expect((await client(h.app).get('/api/v1/audiences')).status).toBe(401)
  })

  it('answers 404 for an id that is not a UUID or names nothing', async () => {
    expect((await asA().get('/api/v1/audiences/nope')).status).toBe(404)
    expect((await asA().patch(`/api/v1/audiences/${crypto.randomUUID()}`, { name: 'x' })).status).toBe(404)
    expect((await asA().delete(`/api/v1/audiences/${crypto.randomUUID()}`)).status).toBe(404)
  })
})
