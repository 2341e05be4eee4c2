import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { webhookDeliveries, webhooks } from '../../schema/db'
import type { Database } from '../ports/database'
import { enqueueDeliveries } from '../services/followup/webhooks'
import { testDatabase } from '../testing/database'
import { fakeReceiver, leadEvent } from '../testing/followup'
import { createTenant, readError, type Tenant } from '../testing/harness'
import worker from './worker'

const signingSecret = 'worker-signing-secret-0123456789abcdef'

/** What `ctx.waitUntil` was handed, awaited the way the Workers runtime would before the isolate moves on. */
function executionContext() {
  const tasks: Promise<unknown>[] = []
  return {
    waitUntil: (task: Promise<unknown>) => void tasks.push(task),
    settled: () => Promise.allSettled(tasks),
  }
}

describe('the Worker’s configuration', () => {
  it('refuses every request without PROMO_PUBLIC_URL, naming it, instead of taking links from the Host', async () => {
    const ctx = executionContext()
    const res = await worker.fetch(
      new Request('https://account-security.evil.example/api/v1/serve', { method: 'POST', body: '{}' }),
      { DATABASE_URL: 'postgres://promo@127.0.0.1:1/none', PROMO_SIGNING_SECRET: signingSecret },
      ctx,
    )
    expect(res.status).toBe(503)
    expect((await readError(res)).message).toContain('PROMO_PUBLIC_URL')
  })
})

// The Worker talks to PostgreSQL only (Hyperdrive or DATABASE_URL), so its cron runs where one is set.
describe.skipIf(!process.env.DATABASE_URL)('the Worker’s webhook cron', () => {
  let database: Database & { url?: string }
  let tenant: Tenant
  beforeAll(async () => {
    database = await testDatabase()
    tenant = await createTenant(database, 'worker')
  })
  afterAll(() => database.close())

  it('sends a due retry through the same guard: a private address is refused, not posted to', async () => {
    const receiver = await fakeReceiver([200])
    try {
      const [hook] = await database.db
        .insert(webhooks)
        .values({
          siteId: tenant.siteId,
          url: `${receiver.url}/hook`,
          secret: 'whsec_w',
          events: ['lead.created'],
        })
        .returning()
      await enqueueDeliveries(database.db, leadEvent(tenant.siteId), Date.now() - 1_000)
      const ctx = executionContext()
      await worker.scheduled(
        { cron: '* * * * *' },
        {
          DATABASE_URL: database.url,
          PROMO_SIGNING_SECRET: signingSecret,
          PROMO_PUBLIC_URL: 'https://promo.example',
        },
        ctx,
      )
      await ctx.settled()
      const [row] = await database.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.webhookId, hook!.id))
      expect(receiver.received).toHaveLength(0)
      expect(row).toMatchObject({
        attempts: 1,
        status: 'pending',
        lastStatus: null,
        lastError: 'could not connect',
      })
    } finally {
      await receiver.close()
    }
  })
})
