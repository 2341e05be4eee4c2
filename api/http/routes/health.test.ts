import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisKv } from '../../adapters/kv/redis'
import { createHarness, type Harness } from '../../testing/harness'

let h: Harness
const shutdown = new AbortController()

beforeAll(async () => {
  h = await createHarness({ shutdown: shutdown.signal })
})
afterAll(() => h.close())

const readiness = async (app: Harness['app']) => {
  const res = await app.request('/readyz')
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('GET /readyz', () => {
  it('is 200 while the database and the store answer', async () => {
    expect(await readiness(h.app)).toEqual({
      status: 200,
      body: { ok: true, stopping: false, database: true, store: true },
    })
  })

  it('is 503 while the store cannot be reached; /healthz (liveness) stays 200', async () => {
    // A real Redis client aimed at a port where nothing listens.
    const down = new RedisKv('redis://127.0.0.1:1', { commandTimeoutMs: 50 })
    const broken = await createHarness({ kv: down })
    try {
      expect(await readiness(broken.app)).toEqual({
        status: 503,
        body: { ok: false, stopping: false, database: true, store: false },
      })
      expect((await broken.app.request('/healthz')).status).toBe(200)
    } finally {
      await broken.close()
      await down.close()
    }
  })

  it('is 503 while the database cannot be reached, as /healthz is', async () => {
    const gone = await createHarness()
    await gone.database.close()
    try {
      const { status, body } = await readiness(gone.app)
      expect(status).toBe(503)
      expect(body).toMatchObject({ ok: false, database: false, store: true })
      expect((await gone.app.request('/healthz')).status).toBe(503)
    } finally {
      await gone.close().catch(() => {})
    }
  })

  it('is 503 once the server is shutting down', async () => {
    shutdown.abort()
    expect(await readiness(h.app)).toEqual({
      status: 503,
      body: { ok: false, stopping: true, database: true, store: true },
    })
    expect((await h.app.request('/healthz')).status).toBe(200)
  })
})
