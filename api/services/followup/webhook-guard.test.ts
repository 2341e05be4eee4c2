import { createServer } from 'node:net'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { webhookDeliveries, webhooks } from '../../../schema/db'
import { publicOnlyFetch } from '../../adapters/webhook-fetch'
import { fakeReceiver, followUpApp, leadEvent } from '../../testing/followup'
import { client, createHarness, type Harness } from '../../testing/harness'
import { followUp } from './index'
import { deliverDue, enqueueDeliveries, retryBaseMs, startWebhookRunner } from './webhooks'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const deliveryRow = async (id: string) =>
  (await h.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)))[0]!

/**
 * A webhook stored as it is, past the check on create: a URL saved while private networks were allowed, or a
 * name that resolves to this machine, reaches the delivery path all the same.
 */
async function storedWebhook(url: string) {
  const [row] = await h.database.db
    .insert(webhooks)
    .values({
      siteId: h.a.siteId,
      url,
      secret: 'whsec_guard',
      events: ['lead.created'],
      createdAt: new Date(h.now.value),
    })
    .returning()
  return row!
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('the private-address guard', () => {
  it('holds for the Node runner’s retries as for the first try, and the log names no address', async () => {
    const receiver = await fakeReceiver([200])
    const strict = followUpApp(h, { webhookFetch: publicOnlyFetch(false) })
    try {
      const hook = await storedWebhook(`${receiver.url}/leads`)
      const background: Promise<unknown>[] = []
      await followUp(strict.services, leadEvent(h.a.siteId), { defer: (task) => background.push(task) })
      await Promise.all(background)
      const [first] = await h.database.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.webhookId, hook.id))
      expect(first).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null })

      h.now.value += retryBaseMs
      const runner = startWebhookRunner(strict.services, 20)
      const deadline = Date.now() + 5_000
      while ((await deliveryRow(first!.id)).attempts < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      await runner.stop()

      expect(receiver.received).toHaveLength(0)
      const retried = await deliveryRow(first!.id)
      expect(retried).toMatchObject({ attempts: 2, status: 'pending', lastError: 'could not connect' })
      const log = await client(strict.app, { secretKey: h.a.secretKey }).get(
        `/api/v1/webhooks/${hook.id}/deliveries`,
      )
      const text = await log.text()
      expect(JSON.parse(text).data[0]).toMatchObject({ attempts: 2, lastError: 'could not connect' })
      expect(text).not.toContain('127.0.0.1')
    } finally {
      await receiver.close()
    }
  })

  it('tells an admin "could not connect" alike for a closed port and a refused address, a status only for an answer', async () => {
    const answering = await fakeReceiver([500])
    const open = followUpApp(h, { webhookFetch: publicOnlyFetch(true) })
    try {
      const closed = await storedWebhook(`http://127.0.0.1:${await closedPort()}/hook`)
      const reachable = await storedWebhook(`${answering.url}/hook`)
      const ids = await enqueueDeliveries(h.database.db, leadEvent(h.a.siteId), h.now.value)
      const rows = await Promise.all(ids.map(deliveryRow))
      const idOf = (webhookId: string) => rows.find((row) => row.webhookId === webhookId)!.id
      await deliverDue(h.database.db, open.services.deps.webhookFetch!, h.now.value, {
        ids: [idOf(closed.id), idOf(reachable.id)],
      })
      expect(await deliveryRow(idOf(closed.id))).toMatchObject({
        lastStatus: null,
        lastError: 'could not connect',
      })
      expect(await deliveryRow(idOf(reachable.id))).toMatchObject({ lastStatus: 500, lastError: 'HTTP 500' })

      const refused = await storedWebhook(`${answering.url}/private`)
      await enqueueDeliveries(h.database.db, leadEvent(h.a.siteId), h.now.value)
      const [mine] = await h.database.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.webhookId, refused.id))
      await deliverDue(h.database.db, publicOnlyFetch(false), h.now.value, { ids: [mine!.id] })
      expect(await deliveryRow(mine!.id)).toMatchObject({ lastStatus: null, lastError: 'could not connect' })
      expect(answering.received.map((r) => r.url)).toEqual(['/hook'])
    } finally {
      await answering.close()
    }
  })
})
