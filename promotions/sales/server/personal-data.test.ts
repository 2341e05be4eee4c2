import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOf } from '../../../api/ports/database'
import { sha256Hex } from '../../../api/services/auth/keys'
import { testDatabase } from '../../../api/testing/database'
import { client, readJson } from '../../../api/testing/harness'
import { erasure, pageOf, personData } from '../../../schema/api'
import * as answers from '../answers'
import { salesHarness, startSales } from '../testing/server'

let h: Awaited<ReturnType<typeof salesHarness>>
let campaignId: string
beforeAll(async () => {
  h = await salesHarness(await testDatabase())
  ;({ campaignId } = await startSales(h.app, h.a))
}, 60_000)
afterAll(() => h.close())

const asA = () => client(h.app, { secretKey: h.a.secretKey })
const asB = () => client(h.app, { secretKey: h.b.secretKey })
const email = 'ada@shop.example'
const count = async (query: ReturnType<typeof sql>) =>
  Number(rowsOf<{ n: number | string }>(await h.app.services.db.execute(query))[0]!.n)

interface Listed {
  orderId: string
  orderValue: number
  discount: number
  campaignId: string
  code: string
  releasedAt: string | null
}
const salesOf = (person: { byEmail?: Record<string, unknown> }) =>
  person.byEmail?.sales as { redemptions: Listed[]; customerUses: { uses: number }[] }

describe('redemptions in a privacy request by email', () => {
  it('lists the person’s redemptions by their email’s hash or by the address as customer id, on the requester’s sites only; erasure drops the hash and keeps the orders', async () => {
    const made = await asA().post(`/api/v1/campaigns/${campaignId}/promo-codes`, {
      code: 'PRIVACY10',
      maxUsesPerCustomer: 3,
    })
    expect(made.status).toBe(201)
    const redeem = async (orderId: string, customer: Record<string, string>) => {
      const res = await asA().post('/api/v1/promo-codes/redeem', {
        code: 'PRIVACY10',
        orderId,
        orderValue: 80,
        ...customer,
      })
      expect(res.status, await res.clone().text()).toBe(200)
    }
    await redeem('order-ada-1', { emailHash: (await sha256Hex(email)).toUpperCase() })
    await redeem('order-ada-2', { customerId: email })
    await redeem('order-bob-1', { emailHash: await sha256Hex('bob@shop.example') })

    // The request's address is normalised as Meta's `em` is: trimmed, lower case.
    const person = await readJson(
      await asA().get(`/api/v1/leads/person?email=${encodeURIComponent(' ADA@Shop.example ')}`),
      personData,
    )
    const { redemptions, customerUses } = salesOf(person)
    const byOrder = [...redemptions].sort((x, y) => x.orderId.localeCompare(y.orderId))
    expect(byOrder.map((r) => [r.orderId, r.orderValue, r.discount, r.code, r.campaignId])).toEqual([
      ['order-ada-1', 80, 8, 'PRIVACY10', campaignId],
      ['order-ada-2', 80, 8, 'PRIVACY10', campaignId],
    ])
    // Her email's hash and her address as id are two customers to the checkout: a count under each.
    expect(customerUses.map((u) => u.uses)).toEqual([1, 1])

    // Another organization's key sees none of them, and erases nothing.
    const other = await readJson(await asB().get(`/api/v1/leads/person?email=${email}`), personData)
    expect(salesOf(other)).toEqual({ redemptions: [], customerUses: [] })
    const none = await readJson(await asB().delete(`/api/v1/leads/person?email=${email}`), erasure)
    expect(none.deleted.byEmail?.sales).toBe(0)

    const erased = await readJson(await asA().delete(`/api/v1/leads/person?email=${email}`), erasure)
    expect(erased.deleted.byEmail?.sales).toBe(4)
    const after = await readJson(await asA().get(`/api/v1/leads/person?email=${email}`), personData)
    expect(salesOf(after)).toEqual({ redemptions: [], customerUses: [] })
    // The orders still count for the campaign; Bob's keeps its hash.
    const listed = await readJson(
      await asA().get(`/api/v1/campaigns/${campaignId}/promo-codes/redemptions`),
      pageOf(answers.redemption),
    )
    expect(listed.data.map((r) => r.orderId).sort()).toEqual(['order-ada-1', 'order-ada-2', 'order-bob-1'])
    expect(
      await count(sql`select count(*) as n from promo_code_redemptions where customer_key is not null`),
    ).toBe(1)
    expect(await count(sql`select uses as n from promo_codes where code = 'PRIVACY10'`)).toBe(3)
    // Her order cancelled after the erasure still gives its use back to the code.
    expect((await asA().post('/api/v1/promo-codes/release', { orderId: 'order-ada-1' })).status).toBe(200)
    expect(await count(sql`select uses as n from promo_codes where code = 'PRIVACY10'`)).toBe(2)
  })
})
