import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { and, eq } from 'drizzle-orm'
import { Content, CustomData, EventRequest, ServerEvent, UserData } from 'facebook-nodejs-business-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { events, testEvents } from '../../../schema/db'
import { client, createHarness, type Harness, readJson } from '../../testing/harness'

/**
 * A shop's server sending a standard Purchase with Meta's own Business SDK, pointed at Promo the way the SDK
 * allows: an `HttpService` (EventRequest.setHttpService) that sends the request the SDK built to Promo's
 * `/api/v1/conversions` with the site's secret key, instead of to graph.facebook.com. The body is the SDK's,
 * untouched: its nulls, `access_token`, `partner_agent` and every field it normalised.
 */

let h: Harness
let base: string
let server: ReturnType<typeof serve>
const sent: { url: string; body: string }[] = []

beforeAll(async () => {
  h = await createHarness()
  await new Promise<void>((resolve) => {
    server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve())
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await h.close()
})

/** Promo in place of the Graph API: the SDK's URL, method, headers and params, sent to the local server. */
const toPromo = (secretKey: string) => ({
  async executeRequest(url: string, method: string, headers: Record<string, string>, params: object) {
    const body = JSON.stringify(params)
    sent.push({ url, body })
    const res = await fetch(`${base}/api/v1/conversions`, {
      method,
      headers: { ...headers, authorization: `Bearer ${secretKey}` },
      body,
    })
    if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`)
    return res.json()
  },
})

const accessToken = 'EAAB-meta-access-token-never-stored'

function purchaseRequest(orderId: string, eventTime: number) {
  const userData = new UserData()
    .setEmails(['Joe@Example.com'])
    .setPhones(['+1 650 555 1212'])
    .setExternalId('customer-77')
    .setFirstName('Joe')
    .setCity('Menlo Park')
    .setClientIpAddress('203.0.113.9')
    .setClientUserAgent('Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0')
    .setFbc('fb.1.1554763741205.AbCdEfGhIjKlMnOp')
    .setFbp('fb.1.1558571054389.1098115397')
  const contents = [
    new Content()
      .setId('SKU-1')
      .setQuantity(2)
      .setItemPrice(12.5)
      .setTitle('Mug')
      .setDeliveryCategory('home_delivery'),
    new Content().setId('SKU-2').setQuantity(1).setItemPrice(25),
  ]
  const customData = new CustomData()
    .setContents(contents)
    .setContentIds(['SKU-1', 'SKU-2'])
    .setContentType('product')
    .setContentName('Mugs')
    .setNumItems(3)
    .setOrderId(orderId)
    .setCurrency('eur')
    .setValue(50)
  const event = new ServerEvent()
    .setEventName('Purchase')
    .setEventTime(eventTime)
    .setEventId(orderId)
    .setEventSourceUrl('https://a.example/checkout/thanks')
    .setActionSource('website')
    .setUserData(userData)
    .setCustomData(customData)
    .setDataProcessingOptions([])
  return new EventRequest(accessToken, '1234567890').setEvents([event]).setPartnerAgent('promo-test-shop')
}

describe("Meta's Business SDK pointed at /api/v1/conversions", () => {
  it('stores and counts a standard Purchase exactly as the SDK sends it', async () => {
    const eventTime = Math.floor(h.now.value / 1000) - 60
    const answer = await purchaseRequest('order-sdk-1', eventTime)
      .setHttpService(toPromo(h.a.secretKey))
      .execute()
    expect(answer).toEqual({ received: 1, deduplicated: 0, testEvents: 0, rejected: [] })

    // What the SDK sent is what a shop's server sends to Meta: nulls, the token, fields Promo never uses.
    const body = JSON.parse(sent.at(-1)!.body)
    expect(sent.at(-1)!.url).toMatch(/^https:\/\/graph\.facebook\.com\/v[\d.]+\/1234567890\/events$/)
    expect(body).toMatchObject({
      access_token: accessToken,
      partner_agent: 'promo-test-shop',
      test_event_code: null,
    })
    expect(body.data[0].user_data).toHaveProperty('fn')
    expect(body.data[0].custom_data).toHaveProperty('num_items', 3)

    const [row] = await h.database.db
      .select()
      .from(events)
      .where(and(eq(events.siteId, h.a.siteId), eq(events.eventId, 'order-sdk-1')))
    expect(row).toMatchObject({
      name: 'Purchase',
      source: 'server',
      value: 50,
      currency: 'EUR',
      userId: 'customer-77',
      url: 'https://a.example/checkout/thanks',
      props: {
        order_id: 'order-sdk-1',
        content_ids: ['SKU-1', 'SKU-2'],
        contents: [
          { id: 'SKU-1', quantity: 2, item_price: 12.5 },
          { id: 'SKU-2', quantity: 1, item_price: 25 },
        ],
      },
    })
    expect(row!.userData).toEqual({
      em: [expect.stringMatching(/^[0-9a-f]{64}$/)],
      ph: [expect.stringMatching(/^[0-9a-f]{64}$/)],
      external_id: ['customer-77'],
      client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
      fbc: 'fb.1.1554763741205.AbCdEfGhIjKlMnOp',
      fbp: 'fb.1.1558571054389.1098115397',
    })
    const stored = JSON.stringify(row)
    expect(stored).not.toContain('203.0.113.9')
    expect(stored).not.toContain(accessToken)

    // Counted: the site's overview lists the purchase and its value.
    const overview = await client(h.app, { secretKey: h.a.secretKey }).get(
      `/api/v1/analytics/overview?from=${new Date(h.now.value - 86_400_000).toISOString()}`,
    )
    expect((await readJson(overview, api.overview)).conversions.Purchase).toEqual({ count: 1, value: 50 })

    // Sent again by the SDK (a retry): counted once.
    const again = await purchaseRequest('order-sdk-1', eventTime)
      .setHttpService(toPromo(h.a.secretKey))
      .execute()
    expect(again).toEqual({ received: 0, deduplicated: 1, testEvents: 0, rejected: [] })
  })

  it('keeps a Purchase sent with a test event code in the test view, out of the counts', async () => {
    const eventTime = Math.floor(h.now.value / 1000) - 30
    const request = purchaseRequest('order-sdk-test', eventTime).setTestEventCode('TEST4321')
    const answer = await request.setHttpService(toPromo(h.a.secretKey)).execute()
    expect(answer).toEqual({ received: 0, deduplicated: 0, testEvents: 1, rejected: [] })
    const counted = await h.database.db.select().from(events).where(eq(events.eventId, 'order-sdk-test'))
    expect(counted).toHaveLength(0)
    const [test] = await h.database.db
      .select()
      .from(testEvents)
      .where(eq(testEvents.eventId, 'order-sdk-test'))
    expect(test).toMatchObject({ code: 'TEST4321', name: 'Purchase', value: 50, currency: 'EUR', items: 2 })
    expect(JSON.stringify(test)).not.toMatch(/customer-77|fb\.1\.|Mozilla|203\.0\.113/)
  })
})
