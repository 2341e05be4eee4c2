import { createHmac } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { webhookDeliveries } from '../../../schema/db'
import { publicOnlyFetch } from '../../adapters/webhook-fetch'
import { fakeReceiver, followUpApp, leadEvent } from '../../testing/followup'
import { client, createHarness, type Harness, login, readError, readJson } from '../../testing/harness'
import {
  deliverDue,
  enqueueDeliveries,
  maxAttempts,
  retryBaseMs,
  signatureHeader,
  startWebhookRunner,
  verifySignature,
} from './webhooks'

let h: Harness
let f: ReturnType<typeof followUpApp>
beforeAll(async () => {
  h = await createHarness()
  f = followUpApp(h)
})
afterAll(() => h.close())

/** The receivers listen on 127.0.0.1. */
const send = publicOnlyFetch(true)
const asA = () => client(f.app, { secretKey: h.a.secretKey })
const asB = () => client(f.app, { secretKey: h.b.secretKey })

async function createWebhook(url: string, events?: string[]) {
  const res = await asA().post('/api/v1/webhooks', { url, ...(events ? { events } : {}) })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; secret: string; url: string; events: string[]; siteId: string }
}

const deliveryRow = async (id: string) =>
  (await h.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)))[0]!

describe('webhook admin routes', () => {
  it('answers the secret once, on create; lists and reads never show it', async () => {
    const hook = await createWebhook('https://crm.example/hooks/promo')
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/)
    expect(hook.events).toEqual(['lead.created', 'lead.updated'])
    expect(hook.siteId).toBe(h.a.siteId)
    const list = await asA().get('/api/v1/webhooks')
    const listText = await list.text()
    expect(list.status).toBe(200)
    expect(JSON.parse(listText).data.map((w: any) => w.id)).toContain(hook.id)
    expect(listText).not.toContain(hook.secret)
    expect(listText).not.toContain('"secret"')
    const one = await (await asA().get(`/api/v1/webhooks/${hook.id}`)).text()
    expect(one).not.toContain(hook.secret)
  })

  it('refuses non-http URLs, unknown events and unknown fields', async () => {
    for (const body of [
      { url: 'ftp://crm.example/hook' },
      { url: 'javascript:alert(1)' },
      { url: 'https://crm.example', events: ['lead.deleted'] },
      { url: 'https://crm.example', events: [] },
      { url: 'https://crm.example', secret: 'mine' },
    ]) {
      const res = await asA().post('/api/v1/webhooks', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await readError(res)).code).toBe('validation_failed')
    }
  })

  it('needs an admin', async () => {
    expect((await client(f.app).get('/api/v1/webhooks')).status).toBe(401)
    expect((await client(f.app).post('/api/v1/webhooks', { url: 'https://x.example' })).status).toBe(401)
  })

  it('keeps each site to its own webhooks and delivery logs', async () => {
    const hook = await createWebhook('https://crm.example/isolated')
    const b = asB()
    const listed = await readJson(await b.get('/api/v1/webhooks'), api.pageOf(api.webhook))
    expect(listed.data.map((w) => w.id)).not.toContain(hook.id)
    expect((await b.get(`/api/v1/webhooks?siteId=${h.a.siteId}`)).status).toBe(404)
    expect((await b.get(`/api/v1/webhooks/${hook.id}`)).status).toBe(404)
    expect((await b.get(`/api/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404)
    expect((await b.delete(`/api/v1/webhooks/${hook.id}`)).status).toBe(404)
    expect((await b.post('/api/v1/webhooks', { siteId: h.a.siteId, url: 'https://b.example' })).status).toBe(
      404,
    )
    // Still there for its own site, and deletable by it.
    expect((await asA().get(`/api/v1/webhooks/${hook.id}/deliveries`)).status).toBe(200)
    expect((await asA().delete(`/api/v1/webhooks/${hook.id}`)).status).toBe(204)
    expect((await asA().get(`/api/v1/webhooks/${hook.id}`)).status).toBe(404)
  })

  it('works for a signed-in user too, with the CSRF token on writes', async () => {
    const session = await login(f.app, h.b)
    const withoutCsrf = await client(f.app, { cookie: session.cookie }).post('/api/v1/webhooks', {
      url: 'https://b.example/hook',
    })
    expect(withoutCsrf.status).toBe(403)
    const created = await client(f.app, session).post('/api/v1/webhooks', { url: 'https://b.example/hook' })
    expect(created.status).toBe(201)
    expect((await readJson(created, api.createdWebhook)).siteId).toBe(h.b.siteId)
  })
})

describe('signatures', () => {
  it('signs t.body with HMAC-SHA256, verifiable by verifySignature and by hand', () => {
    const secret = 'whsec_test'
    const body = '{"type":"lead.created"}'
    const now = Date.parse('2026-11-29T12:00:00Z')
    const header = signatureHeader(secret, body, now)
    const t = Math.floor(now / 1000)
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`)
    expect(verifySignature(secret, header, body, now)).toBe(true)
    expect(verifySignature(secret, header, body, now + 300_000)).toBe(true)
    expect(verifySignature(secret, header, body, now + 301_000)).toBe(false)
    expect(verifySignature(secret, header, body, now - 301_000)).toBe(false)
    expect(verifySignature('whsec_other', header, body, now)).toBe(false)
    expect(verifySignature(secret, header, `${body} `, now)).toBe(false)
    expect(verifySignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, now)).toBe(false)
    expect(verifySignature(secret, `t=${t}`, body, now)).toBe(false)
    expect(verifySignature(secret, '', body, now)).toBe(false)
    // A receiver rotating secrets may get several v1 values; one match is enough.
    const rotated = `${header},v1=${'0'.repeat(64)}`
    expect(verifySignature(secret, rotated, body, now)).toBe(true)
  })
})

describe('deliveries', () => {
  it('queues only for the site’s webhooks that take the event', async () => {
    const receiver = await fakeReceiver([200])
    try {
      const created = await createWebhook(`${receiver.url}/created-only`, ['lead.created'])
      const updated = await enqueueDeliveries(h.database.db, leadEvent(h.a.siteId, { type: 'lead.updated' }))
      const rows = await Promise.all(updated.map(deliveryRow))
      expect(rows.map((r) => r.webhookId)).not.toContain(created.id)
      const otherSite = await enqueueDeliveries(h.database.db, leadEvent(h.b.siteId))
      expect((await Promise.all(otherSite.map(deliveryRow))).map((r) => r.webhookId)).not.toContain(
        created.id,
      )
      await asA().delete(`/api/v1/webhooks/${created.id}`)
    } finally {
      await receiver.close()
    }
  })

  it('POSTs the event with a verifiable signature, its type and the delivery id; a 2xx succeeds', async () => {
    const receiver = await fakeReceiver([204])
    try {
      const hook = await createWebhook(`${receiver.url}/hook`)
      const event = leadEvent(h.a.siteId)
      const ids = await enqueueDeliveries(h.database.db, event, h.now.value)
      const mine = (await Promise.all(ids.map(deliveryRow))).filter((d) => d.webhookId === hook.id)
      expect(mine).toHaveLength(1)
      const run = await deliverDue(h.database.db, send, h.now.value, { ids: [mine[0]!.id] })
      expect(run).toEqual({ attempted: 1, succeeded: 1, retrying: 0, failed: 0 })

      expect(receiver.received).toHaveLength(1)
      const request = receiver.received[0]!
      expect(request.url).toBe('/hook')
      expect(request.headers['content-type']).toBe('application/json')
      expect(request.headers['promo-event']).toBe('lead.created')
      expect(request.headers['promo-delivery']).toBe(mine[0]!.id)
      const header = request.headers['promo-signature'] as string
      expect(verifySignature(hook.secret, header, request.body, h.now.value)).toBe(true)
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!
      expect(Number(t)).toBe(Math.floor(h.now.value / 1000))
      expect(v1).toBe(createHmac('sha256', hook.secret).update(`${t}.${request.body}`).digest('hex'))

      const payload = JSON.parse(request.body)
      expect(payload).toMatchObject({
        type: 'lead.created',
        siteId: h.a.siteId,
        data: { lead: { id: event.lead.id, email: 'ada@example.com' }, campaign: { id: event.campaign.id } },
      })
      expect(payload.id).toMatch(/^[0-9a-f-]{36}$/)

      const row = await deliveryRow(mine[0]!.id)
      expect(row).toMatchObject({ status: 'succeeded', attempts: 1, lastStatus: 204, lastError: null })
      expect(row.deliveredAt?.getTime()).toBe(h.now.value)
      await asA().delete(`/api/v1/webhooks/${hook.id}`)
    } finally {
      await receiver.close()
    }
  })

  it('retries a 500 after 30 s, then records the success, as the delivery log shows', async () => {
    const receiver = await fakeReceiver([500, 200])
    try {
      const hook = await createWebhook(`${receiver.url}/flaky`)
      const ids = await enqueueDeliveries(h.database.db, leadEvent(h.a.siteId), h.now.value)
      const mine = (await Promise.all(ids.map(deliveryRow))).find((d) => d.webhookId === hook.id)!
      const t0 = h.now.value
      expect(await deliverDue(h.database.db, send, t0, { ids: [mine.id] })).toMatchObject({ retrying: 1 })
      let row = await deliveryRow(mine.id)
      expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, lastError: 'HTTP 500' })
      expect(row.nextAttemptAt?.getTime()).toBe(t0 + retryBaseMs)

      expect(
        (await deliverDue(h.database.db, send, t0 + retryBaseMs - 1, { ids: [mine.id] })).attempted,
      ).toBe(0)
      expect(receiver.received).toHaveLength(1)

      expect(await deliverDue(h.database.db, send, t0 + retryBaseMs, { ids: [mine.id] })).toMatchObject({
        succeeded: 1,
      })
      row = await deliveryRow(mine.id)
      expect(row).toMatchObject({ status: 'succeeded', attempts: 2, lastStatus: 200, lastError: null })
      expect(receiver.received).toHaveLength(2)
      // Same delivery id both times, so a receiver can tell a retry from a new event.
      expect(receiver.received[1]!.headers['promo-delivery']).toBe(
        receiver.received[0]!.headers['promo-delivery'],
      )

      const log = await readJson(
        await asA().get(`/api/v1/webhooks/${hook.id}/deliveries`),
        api.pageOf(api.delivery),
      )
      expect(log.data).toHaveLength(1)
      expect(log.data[0]).toMatchObject({ id: mine.id, status: 'succeeded', attempts: 2, lastStatus: 200 })
      await asA().delete(`/api/v1/webhooks/${hook.id}`)
    } finally {
      await receiver.close()
    }
  })

  it('backs off 30 s × 2^(attempts − 1) and gives up after the last attempt, logging no secret', async () => {
    const receiver = await fakeReceiver([500])
    try {
      const hook = await createWebhook(`${receiver.url}/down`)
      const ids = await enqueueDeliveries(h.database.db, leadEvent(h.a.siteId), h.now.value)
      const id = (await Promise.all(ids.map(deliveryRow))).find((d) => d.webhookId === hook.id)!.id
      let at = h.now.value
      const waits: number[] = []
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const run = await deliverDue(h.database.db, send, at, { ids: [id], log: f.services.log })
        expect(run.attempted).toBe(1)
        const row = await deliveryRow(id)
        expect(row.attempts).toBe(attempt)
        if (attempt < maxAttempts) {
          expect(row.status).toBe('pending')
          waits.push(row.nextAttemptAt!.getTime() - at)
          at = row.nextAttemptAt!.getTime()
        } else {
          expect(row).toMatchObject({ status: 'failed', nextAttemptAt: null, lastStatus: 500 })
        }
      }
      expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000])
      expect(receiver.received).toHaveLength(maxAttempts)
      expect((await deliverDue(h.database.db, send, at + 86_400_000, { ids: [id] })).attempted).toBe(0)

      const given = f.logs.filter((line) => line.message === 'webhook delivery given up')
      expect(given).toHaveLength(1)
      expect(given[0]!.fields).toMatchObject({ deliveryId: id, webhookId: hook.id, attempts: maxAttempts })
      expect(JSON.stringify(f.logs)).not.toContain(hook.secret)
      const log = (await (await asA().get(`/api/v1/webhooks/${hook.id}/deliveries`)).text()) as string
      expect(JSON.parse(log).data[0]).toMatchObject({ status: 'failed', attempts: maxAttempts })
      expect(log).not.toContain(hook.secret)
      await asA().delete(`/api/v1/webhooks/${hook.id}`)
    } finally {
      await receiver.close()
    }
  })

  it('counts a receiver that does not answer in time, or redirects, as a failed attempt', async () => {
    const hanging = await fakeReceiver([200])
    hanging.state.hang = true
    const redirecting = await fakeReceiver([302])
    try {
      const slow = await createWebhook(`${hanging.url}/slow`)
      const moved = await createWebhook(`${redirecting.url}/moved`)
      const ids = await enqueueDeliveries(h.database.db, leadEvent(h.a.siteId), h.now.value)
      const rows = await Promise.all(ids.map(deliveryRow))
      const slowId = rows.find((d) => d.webhookId === slow.id)!.id
      const movedId = rows.find((d) => d.webhookId === moved.id)!.id
      const run = await deliverDue(h.database.db, send, h.now.value, {
        ids: [slowId, movedId],
        timeoutMs: 200,
      })
      expect(run).toMatchObject({ attempted: 2, retrying: 2 })
      const slowRow = await deliveryRow(slowId)
      expect(slowRow).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null })
      expect(slowRow.lastError).toMatch(/timed out after 200 ms/)
      expect(await deliveryRow(movedId)).toMatchObject({ lastStatus: 302, lastError: 'HTTP 302' })
      await asA().delete(`/api/v1/webhooks/${slow.id}`)
      await asA().delete(`/api/v1/webhooks/${moved.id}`)
    } finally {
      await hanging.close()
      await redirecting.close()
    }
  })

  it('sends a due delivery once even when two runs race for it', async () => {
    const receiver = await fakeReceiver([200])
    try {
      const hook = await createWebhook(`${receiver.url}/once`)
      const ids = await enqueueDeliveries(h.database.db, leadEvent(h.a.siteId), h.now.value)
      const id = (await Promise.all(ids.map(deliveryRow))).find((d) => d.webhookId === hook.id)!.id
      const runs = await Promise.all([
        deliverDue(h.database.db, send, h.now.value, { ids: [id] }),
        deliverDue(h.database.db, send, h.now.value, { ids: [id] }),
      ])
      expect(runs.map((r) => r.attempted).sort()).toEqual([0, 1])
      expect(receiver.received).toHaveLength(1)
      await asA().delete(`/api/v1/webhooks/${hook.id}`)
    } finally {
      await receiver.close()
    }
  })

  it('deleting a webhook drops its pending deliveries', async () => {
    const hook = await createWebhook('https://crm.example/gone')
    const ids = await enqueueDeliveries(h.database.db, leadEvent(h.a.siteId), h.now.value)
    const id = (await Promise.all(ids.map(deliveryRow))).find((d) => d.webhookId === hook.id)!.id
    expect((await asA().delete(`/api/v1/webhooks/${hook.id}`)).status).toBe(204)
    expect((await deliverDue(h.database.db, send, h.now.value, { ids: [id] })).attempted).toBe(0)
  })
})

describe('the Node runner', () => {
  it('sends due deliveries on its interval until stopped', async () => {
    // Everything earlier tests left pending is given up first, so the runner sees only this delivery.
    await h.database.db
      .update(webhookDeliveries)
      .set({ status: 'failed' })
      .where(eq(webhookDeliveries.status, 'pending'))
    const receiver = await fakeReceiver([200])
    try {
      const hook = await createWebhook(`${receiver.url}/runner`)
      const ids = await enqueueDeliveries(h.database.db, leadEvent(h.a.siteId), h.now.value)
      const id = (await Promise.all(ids.map(deliveryRow))).find((d) => d.webhookId === hook.id)!.id
      const runner = startWebhookRunner(f.services, 20)
      const deadline = Date.now() + 5_000
      while ((await deliveryRow(id)).status !== 'succeeded' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      await runner.stop()
      expect((await deliveryRow(id)).status).toBe('succeeded')
      expect(receiver.received).toHaveLength(1)
    } finally {
      await receiver.close()
    }
  })
})
