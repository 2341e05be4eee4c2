import { type ChildProcess, spawn } from 'node:child_process'
import { type AddressInfo, createServer } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { and, eq, like } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPostgres } from '../../../api/adapters/db/postgres'
import type { Database } from '../../../api/ports/database'
import { createHarness, type Harness, testSigningSecret } from '../../../api/testing/harness'
import { mailOutbox, rsvpCounters, rsvps } from '../../../schema/db'
import { eventApp, startEvent } from '../testing/server'
import { signCancel } from './token'

/**
 * The seat counts under real concurrency: PostgreSQL (PGlite runs one query at a time, so it proves nothing
 * here), a real HTTP server, and every request sent at once. Skipped without DATABASE_URL.
 */
describe.skipIf(!process.env.DATABASE_URL)('RSVPs under concurrency (PostgreSQL, over HTTP)', () => {
  let h: Harness
  let pool: Database
  let server: ServerType
  let base = ''
  let app: ReturnType<typeof eventApp>
  // What the server logs as an error: a 500 below is then explained by its cause.
  const logged: unknown[] = []

  beforeAll(async () => {
    h = await createHarness()
    // The server's own pool, wide enough for many transactions to queue on the counter lock at once.
    pool = openPostgres((h.database as Database & { url: string }).url, { max: 40 })
    // One address sends every request here: the per-address and per-site limits are not what is tested.
    app = eventApp(h, {
      database: pool,
      rateLimits: { leads: { address: null, site: null } },
      log: { info() {}, error: (message, fields) => void logged.push({ message, ...fields }) },
    })
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        base = `http://127.0.0.1:${info.port}`
        resolve()
      })
    })
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await pool.close()
    await h.close()
  })

  const rsvp = (campaignId: string, email: string) =>
    fetch(`${base}/api/v1/rsvps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ site: h.a.publishableKey, campaignId, email, firstName: 'Guest' }),
    })
  const cancel = (rsvpId: string) =>
    fetch(`${base}/api/v1/rsvps/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: signCancel(testSigningSecret, rsvpId) }),
    })
  const rowsOf = (campaignId: string) =>
    h.database.db.select().from(rsvps).where(eq(rsvps.campaignId, campaignId))

  it('500 RSVPs at once for 100 seats: 100 confirmed, 400 waitlisted at 1..400; 50 cancels promote 1..50, each mailed once', async () => {
    const campaignId = await startEvent(app, h.a, { capacity: 100 })
    const emails = Array.from({ length: 500 }, (_, i) => `load-${i}@example.com`)

    const started = performance.now()
    const answers = await Promise.all(
      emails.map(async (email) => {
        const res = await rsvp(campaignId, email)
        return { email, status: res.status, body: (await res.json()) as Record<string, unknown> }
      }),
    )
    const rsvpMs = performance.now() - started
    expect({ failed: answers.filter((a) => a.status !== 201), logged }).toEqual({ failed: [], logged: [] })

    const rows = await rowsOf(campaignId)
    expect(rows).toHaveLength(500)
    const confirmed = rows.filter((r) => r.status === 'confirmed')
    const waitlisted = rows.filter((r) => r.status === 'waitlisted')
    expect(confirmed).toHaveLength(100)
    expect(waitlisted).toHaveLength(400)
    expect(confirmed.every((r) => r.position === null)).toBe(true)
    // Positions 1..400, no gap and no duplicate, as handed out in commit order under the counter lock.
    expect(waitlisted.map((r) => r.position!).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 400 }, (_, i) => i + 1),
    )
    // Each client was told what is stored.
    const stored = new Map(rows.map((r) => [r.email, r]))
    for (const answer of answers) {
      const row = stored.get(answer.email)!
      expect(answer.body).toEqual({
        rsvpId: row.id,
        status: row.status,
        ...(row.position === null ? {} : { position: row.position }),
      })
    }
    const [counter] = await h.database.db
      .select()
      .from(rsvpCounters)
      .where(eq(rsvpCounters.campaignId, campaignId))
    expect(counter).toMatchObject({ confirmed: 100, lastPosition: 400 })
    const confirmations = await h.database.db
      .select({ to: mailOutbox.to })
      .from(mailOutbox)
      .where(like(mailOutbox.to, 'load-%'))
    expect(confirmations).toHaveLength(500)
    expect(new Set(confirmations.map((m) => m.to)).size).toBe(500)

    // 50 confirmed cancel at once, each link clicked twice.
    const leaving = confirmed.slice(0, 50)
    const cancelStarted = performance.now()
    const cancels = await Promise.all([...leaving, ...leaving].map((r) => cancel(r.id)))
    const cancelMs = performance.now() - cancelStarted
    expect(cancels.map((r) => r.status).filter((s) => s !== 200)).toEqual([])

    const after = await rowsOf(campaignId)
    const promoted = after.filter((r) => r.promotedAt !== null)
    expect(promoted.map((r) => r.position!).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    )
    expect(promoted.every((r) => r.status === 'confirmed')).toBe(true)
    expect(after.filter((r) => r.status === 'confirmed')).toHaveLength(100)
    expect(after.filter((r) => r.status === 'cancelled')).toHaveLength(50)
    const still = after.filter((r) => r.status === 'waitlisted').map((r) => r.position!)
    expect(still.sort((a, b) => a - b)).toEqual(Array.from({ length: 350 }, (_, i) => i + 51))

    const seatMails = await h.database.db
      .select({ to: mailOutbox.to })
      .from(mailOutbox)
      .where(and(like(mailOutbox.to, 'load-%'), like(mailOutbox.subject, 'A seat opened up%')))
    expect(seatMails.map((m) => m.to).sort()).toEqual(promoted.map((r) => r.email).sort())
    const [counterAfter] = await h.database.db
      .select()
      .from(rsvpCounters)
      .where(eq(rsvpCounters.campaignId, campaignId))
    expect(counterAfter!.confirmed).toBe(100)
    console.info(
      `[rsvp concurrency] 500 RSVPs in ${Math.round(rsvpMs)} ms, 100 cancels (50 twice) in ${Math.round(cancelMs)} ms`,
    )
  })

  it('the same email 20 times at once: one RSVP, one seat, one mail, every answer naming it', async () => {
    const campaignId = await startEvent(app, h.a, { capacity: 5 })
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const res = await rsvp(campaignId, i % 2 ? 'Same@Example.com' : ' same@example.com')
        return { status: res.status, body: (await res.json()) as { rsvpId: string; status: string } }
      }),
    )
    const rows = await rowsOf(campaignId)
    expect(rows).toHaveLength(1)
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1)
    expect(answers.filter((a) => a.status === 200)).toHaveLength(19)
    expect(new Set(answers.map((a) => a.body.rsvpId))).toEqual(new Set([rows[0]!.id]))
    const mails = await h.database.db.select().from(mailOutbox).where(eq(mailOutbox.to, 'same@example.com'))
    expect(mails).toHaveLength(1)
  })

  it('admin cancels racing link cancels and manual promotes: each seat freed once, refilled in order, never over capacity', async () => {
    const campaignId = await startEvent(app, h.a, { capacity: 30 })
    for (let i = 0; i < 60; i += 1) {
      // In order, so seats and positions are known: race-0..29 confirmed, race-30..59 waitlisted at 1..30.
      expect((await rsvp(campaignId, `race-${i}@example.com`)).status).toBe(201)
    }
    const rows = await rowsOf(campaignId)
    const byEmail = new Map(rows.map((r) => [r.email, r]))
    const leaving = Array.from({ length: 20 }, (_, i) => byEmail.get(`race-${i}@example.com`)!)
    const waiting = Array.from({ length: 10 }, (_, i) => byEmail.get(`race-${59 - i}@example.com`)!)
    const admin = (path: string) =>
      fetch(`${base}/api/v1/campaigns/${campaignId}/rsvps/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.a.secretKey}` },
      })
    const answers = await Promise.all([
      // Each leaving seat cancelled by the admin and by its link at once; the last waitlisted promoted by hand.
      ...leaving.flatMap((r) => [admin(`${r.id}/cancel`), cancel(r.id)]),
      ...waiting.map((r) => admin(`${r.id}/promote`)),
    ])
    const cancelAnswers = answers.slice(0, 40).map((r) => r.status)
    expect(cancelAnswers.filter((s) => s !== 200)).toEqual([])
    // Every freed seat went to the waitlist's head in the cancel's own transaction: a manual promote found none.
    const promoteAnswers = answers.slice(40).map((r) => r.status)
    expect(promoteAnswers.filter((s) => s !== 409)).toEqual([])

    const after = await rowsOf(campaignId)
    expect(
      after
        .filter((r) => r.status === 'cancelled')
        .map((r) => r.email)
        .sort(),
    ).toEqual(leaving.map((r) => r.email).sort())
    const promoted = after.filter((r) => r.promotedAt !== null)
    expect(promoted.map((r) => r.position!).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    )
    expect(after.filter((r) => r.status === 'confirmed')).toHaveLength(30)
    const [counter] = await h.database.db
      .select()
      .from(rsvpCounters)
      .where(eq(rsvpCounters.campaignId, campaignId))
    expect(counter!.confirmed).toBe(30)
    const seatMails = await h.database.db
      .select({ to: mailOutbox.to })
      .from(mailOutbox)
      .where(and(like(mailOutbox.to, 'race-%'), like(mailOutbox.subject, 'A seat opened up%')))
    expect(seatMails.map((m) => m.to).sort()).toEqual(promoted.map((r) => r.email).sort())
  })

  describe('with the server killed (SIGKILL) mid-run and started again, every client retrying', () => {
    let child: ChildProcess | undefined
    let port = 0
    const start = async () => {
      const spawned = spawn(
        process.execPath,
        ['--import', 'tsx', 'promotions/offer_event/testing/rsvp-server.ts'],
        {
          env: {
            ...process.env,
            RSVP_TEST_DATABASE_URL: (h.database as Database & { url: string }).url,
            RSVP_TEST_PORT: String(port),
            RSVP_TEST_NOW: new Date(h.now.value).toISOString(),
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      )
      await new Promise<void>((resolve, reject) => {
        spawned.stdout!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('listening')) resolve()
        })
        spawned.on('exit', (code) => reject(new Error(`server exited (${code})`)))
      })
      child = spawned
    }
    const kill = async () => {
      const dying = child!
      child = undefined
      await new Promise<void>((resolve) => {
        dying.once('exit', () => resolve())
        dying.kill('SIGKILL')
      })
    }
    afterAll(async () => {
      if (child) await kill()
    })

    /** Sends until the server answers other than with a dropped connection or a 5xx, as a client retries. */
    async function retried(send: () => Promise<Response>) {
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await send()
          if (res.status < 500) return { res, attempts: attempt + 1 }
        } catch {
          // The connection went with the server.
        }
        if (attempt > 200) throw new Error('no answer after 200 tries')
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100))
      }
    }

    it('500 RSVPs for 100 seats and 50 cancels stay exact: 100 confirmed, 1..400, 1..50 promoted, one mail each', async () => {
      port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as AddressInfo
          probe.close(() => resolve(port))
        })
      })
      const campaignId = await startEvent(app, h.a, { capacity: 100 })
      await start()
      const url = (path: string) => `http://127.0.0.1:${port}${path}`
      const post = (path: string, body: Record<string, unknown>) => () =>
        fetch(url(path), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      const stored = () => rowsOf(campaignId)

      const sent = Array.from({ length: 500 }, (_, i) =>
        retried(
          post('/api/v1/rsvps', { site: h.a.publishableKey, campaignId, email: `kill-${i}@example.com` }),
        ),
      )
      // Kill it once some RSVPs have committed and others are still in flight, then start it again.
      while ((await stored()).length < 150) await new Promise((resolve) => setTimeout(resolve, 5))
      await kill()
      const atKill = (await stored()).length
      await start()
      const answers = await Promise.all(sent)
      expect(answers.map((a) => a.res.status).filter((s) => s !== 200 && s !== 201)).toEqual([])
      const retriedCount = answers.filter((a) => a.attempts > 1).length

      const rows = await stored()
      expect(rows).toHaveLength(500)
      expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(100)
      const positions = rows.filter((r) => r.status === 'waitlisted').map((r) => r.position!)
      expect(positions.sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1))
      const mails = await h.database.db
        .select({ to: mailOutbox.to })
        .from(mailOutbox)
        .where(like(mailOutbox.to, 'kill-%'))
      expect(mails).toHaveLength(500)
      expect(new Set(mails.map((m) => m.to)).size).toBe(500)

      const leaving = rows.filter((r) => r.status === 'confirmed').slice(0, 50)
      const cancels = leaving.map((r) =>
        retried(post('/api/v1/rsvps/cancel', { token: signCancel(testSigningSecret, r.id) })),
      )
      while ((await stored()).filter((r) => r.status === 'cancelled').length < 10)
        await new Promise((resolve) => setTimeout(resolve, 2))
      await kill()
      await start()
      expect((await Promise.all(cancels)).map((a) => a.res.status).filter((s) => s !== 200)).toEqual([])

      const after = await stored()
      expect(after.filter((r) => r.status === 'cancelled')).toHaveLength(50)
      expect(after.filter((r) => r.status === 'confirmed')).toHaveLength(100)
      const promoted = after.filter((r) => r.promotedAt !== null)
      expect(promoted.map((r) => r.position!).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      )
      const seatMails = await h.database.db
        .select({ to: mailOutbox.to })
        .from(mailOutbox)
        .where(and(like(mailOutbox.to, 'kill-%'), like(mailOutbox.subject, 'A seat opened up%')))
      expect(seatMails.map((m) => m.to).sort()).toEqual(promoted.map((r) => r.email).sort())
      console.info(
        `[rsvp kill] killed with ${atKill}/500 RSVPs stored; ${retriedCount} clients retried; counts exact after restart`,
      )
    }, 120_000)
  })
})
