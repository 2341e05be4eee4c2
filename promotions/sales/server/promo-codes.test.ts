import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApiPath, phantomOperations, undocumentedRoutes } from '../../../api/http/contract/coverage'
import type { OpenApiDocument } from '../../../api/http/contract/document'
import { rowsOf } from '../../../api/ports/database'
import { testDatabase } from '../../../api/testing/database'
import { client, login, readError, readJson } from '../../../api/testing/harness'
import { pageOf } from '../../../schema/api'
import * as answers from '../answers'
import { salesHarness, startSales } from '../testing/server'
import { salesPersonalData } from './personal-data'

let h: Awaited<ReturnType<typeof salesHarness>>
let campaignId: string
let variantId: string
beforeAll(async () => {
  h = await salesHarness(await testDatabase())
  ;({ campaignId, variantId } = await startSales(h.app, h.a))
}, 60_000)
afterAll(() => h.close())

const asA = () => client(h.app, { secretKey: h.a.secretKey })
const asB = () => client(h.app, { secretKey: h.b.secretKey })
const codesPath = (id = campaignId) => `/api/v1/campaigns/${id}/promo-codes`
let serial = 0
const order = () => `order-${++serial}`

const create = async (body: Record<string, unknown>, id = campaignId) => {
  const res = await asA().post(codesPath(id), body)
  expect(res.status, await res.clone().text()).toBe(201)
  return readJson(res, answers.createdCodes)
}
const redeem = (body: Record<string, unknown>, as = asA()) => as.post('/api/v1/promo-codes/redeem', body)
const redeemed = async (body: Record<string, unknown>) => {
  const res = await redeem(body)
  expect(res.status, await res.clone().text()).toBe(200)
  return readJson(res, answers.redemption)
}
const refusal = async (res: Response, status: number) => {
  expect(res.status, await res.clone().text()).toBe(status)
  return readError(res)
}
const count = async (query: ReturnType<typeof sql>) =>
  Number(rowsOf<{ n: number | string }>(await h.app.services.db.execute(query))[0]!.n)
const usesOf = (code: string) =>
  count(sql`select uses as n from promo_codes where site_id = ${h.a.siteId} and code = ${code}`)

describe('creating codes', () => {
  it('makes a shared code (upper case) and a pool of unique codes, listed with their uses', async () => {
    const { campaignId: id } = await startSales(h.app, h.a)
    const shared = await create({ code: 'winter-10', maxUses: 5, expiresAt: '2026-12-31T23:00:00Z' }, id)
    expect(shared.data).toHaveLength(1)
    expect(shared.data[0]).toMatchObject({ code: 'WINTER-10', kind: 'shared', maxUses: 5, uses: 0 })
    const pool = await create({ pool: 25, prefix: 'VIP-', minOrderValue: 20 }, id)
    expect(pool.data).toHaveLength(25)
    expect(new Set(pool.data.map((c) => c.code)).size).toBe(25)
    for (const code of pool.data) {
      expect(code.code).toMatch(/^VIP-[A-Z2-9]{10}$/)
      expect(code).toMatchObject({ kind: 'unique', maxUses: 1, minOrderValue: 20, batchId: pool.batchId })
    }
    const first = await asA().get(`${codesPath(id)}?limit=20`)
    const page = await readJson(first, pageOf(answers.promoCode))
    expect(page.data).toHaveLength(20)
    const rest = await readJson(
      await asA().get(`${codesPath(id)}?limit=20&cursor=${page.nextCursor}`),
      pageOf(answers.promoCode),
    )
    expect(rest.data).toHaveLength(6)
    expect(rest.nextCursor).toBeNull()
    expect(new Set([...page.data, ...rest.data].map((c) => c.id)).size).toBe(26)
  })

  it('takes a session (with CSRF) as well as the secret key', async () => {
    const session = await login(h.app, h.a)
    const res = await client(h.app, session).post(codesPath(), { code: 'SESSION-1' })
    expect(res.status, await res.clone().text()).toBe(201)
  })

  it('refuses bad input at its field, and writes nothing', async () => {
    const before = await count(sql`select count(*) as n from promo_codes`)
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'code'],
      [{ code: 'A1B2', pool: 3 }, 'code'],
      [{ code: '<b>x</b>' }, 'code'],
      [{ code: 'x'.repeat(51) }, 'code'],
      [{ pool: 0 }, 'pool'],
      [{ pool: 10_001 }, 'pool'],
      [{ pool: '5' }, 'pool'],
      [{ code: 'PREFIXED', prefix: 'A-' }, 'prefix'],
      [{ code: 'NEGATIVE', minOrderValue: -1 }, 'minOrderValue'],
      [{ code: 'STRINGY', minOrderValue: '10' }, 'minOrderValue'],
      [{ code: 'ZERO', maxUses: 0 }, 'maxUses'],
      [{ code: 'HALF', maxUsesPerCustomer: 1.5 }, 'maxUsesPerCustomer'],
      [{ code: 'WHEN', expiresAt: 'tomorrow' }, 'expiresAt'],
      [{ code: 'EXTRA', discount: 5 }, 'discount'],
      [{ code: 'OTHERVARIANT', variantId: crypto.randomUUID() }, 'variantId'],
    ]
    for (const [body, path] of cases) {
      const error = await refusal(await asA().post(codesPath(), body), 400)
      expect(error.paths, JSON.stringify(body)).toContain(path)
    }
    expect(await count(sql`select count(*) as n from promo_codes`)).toBe(before)
  })

  it('refuses a code the site has already, in any case', async () => {
    await create({ code: 'TAKEN' })
    const error = await refusal(await asA().post(codesPath(), { code: 'taken' }), 409)
    expect(error.paths).toEqual(['code'])
  })

  it('credits a variant of the campaign', async () => {
    const { data } = await create({ code: 'VARIANT-A', variantId })
    expect(data[0]!.variantId).toBe(variantId)
    const done = await redeemed({ code: 'variant-a', orderId: order(), orderValue: 10 })
    expect(done).toMatchObject({ campaignId, variantId })
  })
})

describe('tenant isolation', () => {
  it('another organization can neither list, add to, nor redeem the site’s codes', async () => {
    await create({ code: 'MINE-ONLY' })
    expect((await asB().get(codesPath())).status).toBe(404)
    expect((await client(h.app).get(codesPath())).status).toBe(401)
    expect((await client(h.app).post(codesPath(), { code: 'NOBODY' })).status).toBe(401)
    expect((await asB().post(codesPath(), { code: 'INTRUDER' })).status).toBe(404)
    const error = await refusal(
      await redeem({ code: 'MINE-ONLY', orderId: order(), orderValue: 5 }, asB()),
      404,
    )
    expect(error.code).toBe('unknown_code')
    expect(await usesOf('MINE-ONLY')).toBe(0)
    // B's session sees none of A's campaigns either.
    const session = await login(h.app, h.b)
    expect((await client(h.app, session).get(codesPath())).status).toBe(404)
  })

  it('another site’s redemption cannot be released by this site', async () => {
    await create({ code: 'RELEASE-MINE' })
    const id = order()
    await redeemed({ code: 'RELEASE-MINE', orderId: id, orderValue: 5 })
    const other = await asB().post('/api/v1/promo-codes/release', { orderId: id })
    expect(await readJson(other, answers.releaseAnswer)).toEqual({ released: false })
    expect(await usesOf('RELEASE-MINE')).toBe(1)
  })

  it('redeeming needs the secret key: no key is 401, a session 403', async () => {
    await create({ code: 'KEY-ONLY' })
    expect((await client(h.app).post('/api/v1/promo-codes/redeem', { code: 'KEY-ONLY' })).status).toBe(401)
    const session = await login(h.app, h.a)
    const res = await client(h.app, session).post('/api/v1/promo-codes/redeem', {
      code: 'KEY-ONLY',
      orderId: order(),
      orderValue: 5,
    })
    expect(res.status).toBe(403)
    expect(await usesOf('KEY-ONLY')).toBe(0)
  })
})

describe('redeeming', () => {
  it('records the campaign, variant and the discount from the campaign’s config', async () => {
    await create({ code: 'TENOFF' })
    const done = await redeemed({ code: 'tenoff', orderId: order(), orderValue: 129.99, customerId: 'c-1' })
    expect(done).toMatchObject({
      status: 'redeemed',
      replayed: false,
      code: 'TENOFF',
      campaignId,
      variantId: null,
      orderValue: 129.99,
      currency: 'EUR',
      discount: 13,
    })
  })

  it('gives a fixed amount (never above the order) or free shipping’s configured value', async () => {
    const fixed = await startSales(h.app, h.a, { discount: { type: 'fixed_amount', value: 15 } })
    await create({ code: 'FIXED15' }, fixed.campaignId)
    expect((await redeemed({ code: 'FIXED15', orderId: order(), orderValue: 40 })).discount).toBe(15)
    expect((await redeemed({ code: 'FIXED15', orderId: order(), orderValue: 9.5 })).discount).toBe(9.5)
    const shipping = await startSales(h.app, h.a, { discount: { type: 'free_shipping' } })
    await create({ code: 'SHIPFREE' }, shipping.campaignId)
    expect((await redeemed({ code: 'SHIPFREE', orderId: order(), orderValue: 40 })).discount).toBe(0)
  })

  it('answers the same redemption for the same order id, never a second use', async () => {
    await create({ code: 'ONCE-PER-ORDER', maxUses: 3 })
    const id = order()
    const first = await redeemed({ code: 'ONCE-PER-ORDER', orderId: id, orderValue: 50 })
    const again = await redeemed({ code: 'ONCE-PER-ORDER', orderId: id, orderValue: 50 })
    expect(again).toEqual({ ...first, replayed: true })
    expect(await usesOf('ONCE-PER-ORDER')).toBe(1)
    // The same order with another code is a conflict, not a second redemption.
    await create({ code: 'SECOND-CODE' })
    const error = await refusal(await redeem({ code: 'SECOND-CODE', orderId: id, orderValue: 50 }), 409)
    expect(error.paths).toEqual(['orderId'])
    expect(await usesOf('SECOND-CODE')).toBe(0)
  })

  it('refuses with a clear code: unknown, expired, below the minimum, exhausted, per customer', async () => {
    expect((await refusal(await redeem({ code: 'NOPE', orderId: order(), orderValue: 5 }), 404)).code).toBe(
      'unknown_code',
    )
    await create({ code: 'OLD', expiresAt: '2026-11-29T11:59:59Z' })
    expect((await refusal(await redeem({ code: 'OLD', orderId: order(), orderValue: 5 }), 422)).code).toBe(
      'expired',
    )
    await create({ code: 'BIGSPEND', minOrderValue: 100 })
    const small = await refusal(await redeem({ code: 'BIGSPEND', orderId: order(), orderValue: 99.99 }), 422)
    expect(small.code).toBe('min_order_value')
    expect(small.paths).toEqual(['orderValue'])
    await redeemed({ code: 'BIGSPEND', orderId: order(), orderValue: 100 })
    await create({ code: 'TWICE', maxUses: 2 })
    await redeemed({ code: 'TWICE', orderId: order(), orderValue: 5 })
    await redeemed({ code: 'TWICE', orderId: order(), orderValue: 5 })
    expect((await refusal(await redeem({ code: 'TWICE', orderId: order(), orderValue: 5 }), 409)).code).toBe(
      'exhausted',
    )
    await create({ code: 'ONE-EACH', maxUsesPerCustomer: 1 })
    const hash = 'A'.repeat(64)
    await redeemed({ code: 'ONE-EACH', orderId: order(), orderValue: 5, emailHash: hash })
    const mine = await refusal(
      await redeem({ code: 'ONE-EACH', orderId: order(), orderValue: 5, emailHash: hash.toLowerCase() }),
      409,
    )
    expect(mine.code).toBe('per_customer_limit')
    await redeemed({ code: 'ONE-EACH', orderId: order(), orderValue: 5, customerId: 'someone-else' })
    const anonymous = await refusal(await redeem({ code: 'ONE-EACH', orderId: order(), orderValue: 5 }), 400)
    expect(anonymous.paths).toEqual(['customerId'])
    expect(await usesOf('ONE-EACH')).toBe(2)
  })

  it('counts the per-customer limit across a pool', async () => {
    const pool = await create({ pool: 3, maxUsesPerCustomer: 1 })
    await redeemed({ code: pool.data[0]!.code, orderId: order(), orderValue: 5, customerId: 'pool-shopper' })
    const error = await refusal(
      await redeem({ code: pool.data[1]!.code, orderId: order(), orderValue: 5, customerId: 'pool-shopper' }),
      409,
    )
    expect(error.code).toBe('per_customer_limit')
    expect(await usesOf(pool.data[1]!.code)).toBe(0)
  })

  it('does not redeem a draft campaign’s codes', async () => {
    const created = await asA().post('/api/v1/campaigns', {
      name: 'Draft',
      type: 'sales',
      placements: ['home-hero'],
      config: { currency: 'EUR' },
      variants: [{ name: 'A', creative: { headline: 'Soon' } }],
    })
    const draft = ((await created.json()) as { id: string }).id
    await create({ code: 'NOT-YET' }, draft)
    const error = await refusal(await redeem({ code: 'NOT-YET', orderId: order(), orderValue: 5 }), 404)
    expect(error.code).toBe('unknown_code')
  })

  it('refuses bad input at its field: strings for numbers, negatives, oversize, another currency', async () => {
    await create({ code: 'VALID' })
    const cases: [Record<string, unknown>, number, string][] = [
      [{ orderId: order(), orderValue: 5 }, 400, 'code'],
      [{ code: 'VALID', orderValue: 5 }, 400, 'orderId'],
      [{ code: 'VALID', orderId: order(), orderValue: '5' }, 400, 'orderValue'],
      [{ code: 'VALID', orderId: order(), orderValue: -1 }, 400, 'orderValue'],
      [{ code: 'VALID', orderId: 'x'.repeat(201), orderValue: 5 }, 400, 'orderId'],
      [{ code: 'x'.repeat(51), orderId: order(), orderValue: 5 }, 400, 'code'],
      [{ code: 'VALID', orderId: order(), orderValue: 5, emailHash: 'ada@example.com' }, 400, 'emailHash'],
      [{ code: 'VALID', orderId: order(), orderValue: 5, currency: 'eur' }, 400, 'currency'],
      [{ code: 'VALID', orderId: order(), orderValue: 5, currency: 'USD' }, 422, 'currency'],
      [{ code: 'VALID', orderId: order(), orderValue: 5, coupon: 'x' }, 400, 'coupon'],
    ]
    for (const [body, status, path] of cases) {
      const error = await refusal(await redeem(body), status)
      expect(error.paths, JSON.stringify(body)).toContain(path)
    }
    expect(await usesOf('VALID')).toBe(0)
    expect(
      (await refusal(await asA().post('/api/v1/promo-codes/release', { orderId: 7 }), 400)).paths,
    ).toEqual(['orderId'])
  })
})

describe('releasing', () => {
  it('gives the use back exactly once, and the code can be redeemed again', async () => {
    await create({ code: 'LAST-ONE', maxUses: 1 })
    const id = order()
    await redeemed({ code: 'LAST-ONE', orderId: id, orderValue: 5, customerId: 'c-9' })
    expect(
      (await refusal(await redeem({ code: 'LAST-ONE', orderId: order(), orderValue: 5 }), 409)).code,
    ).toBe('exhausted')
    const released = await readJson(
      await asA().post('/api/v1/promo-codes/release', { orderId: id }),
      answers.releaseAnswer,
    )
    expect(released.released).toBe(true)
    expect(released.redemption).toMatchObject({ status: 'released', orderId: id })
    expect(
      await readJson(await asA().post('/api/v1/promo-codes/release', { orderId: id }), answers.releaseAnswer),
    ).toEqual({ released: false })
    expect(await usesOf('LAST-ONE')).toBe(0)
    // Another order takes the freed use; the cancelled order may come back and is a new redemption.
    const next = await redeemed({ code: 'LAST-ONE', orderId: order(), orderValue: 5 })
    expect(next.replayed).toBe(false)
    expect(await usesOf('LAST-ONE')).toBe(1)
  })
})

describe('documentation', () => {
  it('documents every promo-code route the type mounts, and none it does not', async () => {
    const document = (await (await h.app.request('/api/v1/openapi.json')).json()) as OpenApiDocument
    const routes = h.app.routes
    const seen = new Set(routes.map((r) => `${r.method} ${openApiPath(r.path)}`))
    for (const route of [
      'POST /api/v1/campaigns/{id}/promo-codes',
      'GET /api/v1/campaigns/{id}/promo-codes',
      'GET /api/v1/campaigns/{id}/promo-codes/redemptions',
      'POST /api/v1/promo-codes/redeem',
      'POST /api/v1/promo-codes/release',
      'POST /api/v1/promo-codes/reveal',
    ]) {
      expect(seen.has(route), route).toBe(true)
    }
    expect(undocumentedRoutes(routes, document)).toEqual([])
    // (/metrics is listed for apps that serve it; the whole document is api/http/contract/openapi.test.ts's.)
    expect(phantomOperations(routes, document).filter((op) => op.includes('promo-codes'))).toEqual([])
  })
})

const browser =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
const reveal = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  h.app.request('/api/v1/promo-codes/reveal', {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': browser, ...headers },
    body: JSON.stringify(body),
  })
const revealed = async (body: Record<string, unknown>) => {
  const res = await reveal(body)
  expect(res.status, await res.clone().text()).toBe(200)
  return readJson(res, answers.revealAnswer)
}

describe('revealing a code to a visitor', () => {
  it('hands each visitor their own pool code, the same one again, and none past the pool', async () => {
    const { campaignId: id } = await startSales(h.app, h.a)
    const pool = await create({ pool: 2, expiresAt: '2026-12-24T00:00:00Z' }, id)
    const ask = (anonymousId: string) => ({ site: h.a.publishableKey, campaignId: id, anonymousId })
    const ada = await revealed(ask('reveal-ada'))
    expect(pool.data.map((c) => c.code)).toContain(ada.code)
    expect(ada.expiresAt).toBe('2026-12-24T00:00:00.000Z')
    expect(await revealed(ask('reveal-ada'))).toEqual(ada)
    const bob = await revealed(ask('reveal-bob'))
    expect(bob.code).not.toBe(ada.code)
    expect((await refusal(await reveal(ask('reveal-cy')), 409)).code).toBe('exhausted')
    // A shared code takes over once the pool is gone; a crawler takes nothing.
    await create({ code: 'EVERYONE' }, id)
    expect((await revealed(ask('reveal-cy'))).code).toBe('EVERYONE')
    const bot = await reveal(ask('reveal-bot'), {
      'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    })
    expect((await readJson(bot, answers.revealAnswer)).code).toBeNull()
    expect(await count(sql`select count(*) as n from promo_code_reveals where campaign_id = ${id}`)).toBe(3)
  })

  it('refuses another site’s key, a paused campaign, and bad input at its field', async () => {
    const { campaignId: id } = await startSales(h.app, h.a)
    await create({ code: 'REVEAL-ME' }, id)
    const other = await refusal(
      await reveal({ site: h.b.publishableKey, campaignId: id, anonymousId: 'reveal-x' }),
      404,
    )
    expect(other.paths).toEqual(['campaignId'])
    const cases: [Record<string, unknown>, number, string][] = [
      [{ campaignId: id, anonymousId: 'v' }, 400, 'site'],
      [{ site: h.a.publishableKey, campaignId: 'nope', anonymousId: 'v' }, 400, 'campaignId'],
      [{ site: h.a.publishableKey, campaignId: id, anonymousId: 'v'.repeat(201) }, 400, 'anonymousId'],
      [{ site: h.a.publishableKey, campaignId: id, anonymousId: 'v', extra: 1 }, 400, 'extra'],
      [
        { site: h.a.publishableKey, campaignId: id, anonymousId: 'v', variantId: crypto.randomUUID() },
        400,
        'variantId',
      ],
      [
        { site: h.a.publishableKey, campaignId: id, anonymousId: 'v', visitorToken: 'forged' },
        400,
        'visitorToken',
      ],
    ]
    for (const [body, status, path] of cases) {
      const error = await refusal(await reveal(body), status)
      expect(error.paths, JSON.stringify(body)).toContain(path)
    }
    expect((await asA().post(`/api/v1/campaigns/${id}/pause`)).status).toBe(200)
    expect((await reveal({ site: h.a.publishableKey, campaignId: id, anonymousId: 'v' })).status).toBe(404)
    expect(await count(sql`select count(*) as n from promo_code_reveals where campaign_id = ${id}`)).toBe(0)
  })

  it('exports a visitor’s reveals, and erasure and the retention sweep unlink them', async () => {
    const { campaignId: id } = await startSales(h.app, h.a)
    await create({ code: 'PRIVACY' }, id)
    await revealed({ site: h.a.publishableKey, campaignId: id, anonymousId: 'reveal-private' })
    await revealed({ site: h.a.publishableKey, campaignId: id, anonymousId: 'reveal-old' })
    const db = h.app.services.db
    const visitor = { siteId: h.a.siteId, anonymousId: 'reveal-private' }
    const exported = (await salesPersonalData.export(db, visitor)) as { reveals: { code: string }[] }
    expect(exported.reveals.map((r) => r.code)).toEqual(['PRIVACY'])
    // Another site sees nothing of this visitor.
    const elsewhere = (await salesPersonalData.export(db, { ...visitor, siteId: h.b.siteId })) as {
      reveals: unknown[]
    }
    expect(elsewhere.reveals).toEqual([])
    await db.transaction((tx) => salesPersonalData.erase(tx, visitor, 'erased-reveal'))
    expect(((await salesPersonalData.export(db, visitor)) as { reveals: unknown[] }).reveals).toEqual([])
    const swept = await salesPersonalData.sweep!(db, h.a.siteId, '2026-11-30T00:00:00Z', 100)
    expect(swept).toBeGreaterThanOrEqual(1)
    expect(
      await count(sql`select count(*) as n from promo_code_reveals where anonymous_id = 'reveal-old'`),
    ).toBe(0)
    expect(await count(sql`select count(*) as n from promo_code_reveals where campaign_id = ${id}`)).toBe(2)
  })
})

describe('analytics', () => {
  it('adds codes revealed and redeemed, their revenue and the discount given: totals, series and variants', async () => {
    const { campaignId: id, variantId: variant } = await startSales(h.app, h.a)
    await create({ code: 'KPI-SHARED' }, id)
    await revealed({ site: h.a.publishableKey, campaignId: id, anonymousId: 'kpi-ada', variantId: variant })
    await revealed({ site: h.a.publishableKey, campaignId: id, anonymousId: 'kpi-bob', variantId: variant })
    await redeemed({ code: 'KPI-SHARED', orderId: 'kpi-1', orderValue: 100 })
    h.now.value += 1_000
    await redeemed({ code: 'KPI-SHARED', orderId: 'kpi-2', orderValue: 50 })
    h.now.value += 1_000
    const cancelled = await redeemed({ code: 'KPI-SHARED', orderId: 'kpi-3', orderValue: 70 })
    await asA().post('/api/v1/promo-codes/release', { orderId: cancelled.orderId })
    const res = await asA().get(
      `/api/v1/campaigns/${id}/analytics?from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z&interval=hour`,
    )
    expect(res.status, await res.clone().text()).toBe(200)
    const analytics = (await res.json()) as {
      totals: Record<string, unknown>
      series: ({ t: string } & Record<string, unknown>)[]
      byVariant: ({ variantId: string } & Record<string, unknown>)[]
    }
    expect(analytics.totals).toMatchObject({
      codesRevealed: 2,
      codesRedeemed: 2,
      promoRevenue: 150,
      discountGiven: 15,
    })
    // The campaign's redemptions, newest first, the cancelled one marked; another organization sees none.
    const first = await readJson(
      await asA().get(`/api/v1/campaigns/${id}/promo-codes/redemptions?limit=2`),
      pageOf(answers.redemption),
    )
    expect(first.data.map((r) => [r.orderId, r.status])).toEqual([
      ['kpi-3', 'released'],
      ['kpi-2', 'redeemed'],
    ])
    const rest = await readJson(
      await asA().get(`/api/v1/campaigns/${id}/promo-codes/redemptions?limit=2&cursor=${first.nextCursor}`),
      pageOf(answers.redemption),
    )
    expect(rest.data.map((r) => r.orderId)).toEqual(['kpi-1'])
    expect((await asB().get(`/api/v1/campaigns/${id}/promo-codes/redemptions`)).status).toBe(404)
    const noon = analytics.series.find(
      (bucket) => Date.parse(bucket.t) === Date.parse('2026-11-29T12:00:00Z'),
    )
    expect(noon).toMatchObject({ codesRevealed: 2, codesRedeemed: 2, discountGiven: 15 })
    // The shared code credits no variant; the reveals were of the served variant.
    expect(analytics.byVariant.find((v) => v.variantId === variant)).toMatchObject({
      codesRevealed: 2,
      codesRedeemed: 0,
    })
  })

  it('credits a redeemed pool code to the variant whose unit revealed it', async () => {
    const { campaignId: id, variantId: variant } = await startSales(h.app, h.a)
    await create({ pool: 1 }, id)
    const shown = await revealed({
      site: h.a.publishableKey,
      campaignId: id,
      anonymousId: 'kpi-pool',
      variantId: variant,
    })
    const done = await redeemed({ code: shown.code!, orderId: order(), orderValue: 20 })
    expect(done).toMatchObject({ campaignId: id, variantId: variant, discount: 2 })
  })
})
