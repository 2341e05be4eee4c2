import { count } from 'drizzle-orm'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLeadCampaign } from '../../promotions/lead_generation/testing/server'
import { events, leadSubmissions, leads, mailOutbox, sessions } from '../../schema/db'
import { awarenessCampaign, client, createHarness, type Harness } from '../testing/harness'

/**
 * Property: whatever body reaches a public route, the answer is a well-formed 2xx/4xx (never 500) and the
 * database holds exactly what the answer says was written.
 */
let h: Harness
let campaignId: string
let leadForm: { campaignId: string; variantId: string }
beforeAll(async () => {
  h = await createHarness()
  const admin = client(h.app, { secretKey: h.a.secretKey })
  campaignId = ((await (await admin.post('/api/v1/campaigns', awarenessCampaign())).json()) as any).id
  await admin.post(`/api/v1/campaigns/${campaignId}/activate`)
  leadForm = await startLeadCampaign(h.app, h.a)
})
afterAll(() => h.close())

const runs = 1_000

/** Valid-looking bodies with random parts swapped in, plain random JSON, and random text. */
function bodies(valid: () => Record<string, unknown>) {
  const mutated = fc
    .tuple(
      fc.constantFrom(...Object.keys(valid())),
      fc.oneof(fc.jsonValue(), fc.string({ maxLength: 3000 }), fc.constant(undefined)),
    )
    .map(([key, value]) => JSON.stringify({ ...valid(), [key]: value }))
  return fc.oneof(
    mutated,
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 500 }),
    fc.constant(JSON.stringify(valid())),
  )
}

const contentType = fc.constantFrom(
  'application/json',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  '',
)

function assertShape(status: number, body: any) {
  expect(status).toBeLessThan(500)
  if (status >= 400) {
    expect(typeof body.error.code).toBe('string')
    expect(typeof body.error.message).toBe('string')
  }
}

const eventCount = async () => (await h.database.db.select({ n: count() }).from(events))[0]!.n

describe('random bodies on public routes', () => {
  it('POST /api/v1/events: no 500, and rows added equal what the answer accepted', async () => {
    const validEvent = () => ({
      id: crypto.randomUUID(),
      name: 'impression',
      timestamp: new Date().toISOString(),
      anonymousId: 'fuzz',
      campaignId,
    })
    const batchItem = fc.oneof(
      fc.constant(null).map(() => validEvent()),
      fc.jsonValue(),
      fc
        .tuple(fc.constantFrom(...Object.keys(validEvent())), fc.jsonValue())
        .map(([k, v]) => ({ ...validEvent(), [k]: v })),
    )
    const payload = fc.oneof(
      bodies(() => ({ site: h.a.publishableKey, batch: [validEvent()] })),
      fc
        .array(batchItem, { minLength: 1, maxLength: 8 })
        .map((batch) => JSON.stringify({ site: h.a.publishableKey, batch })),
    )
    await fc.assert(
      fc.asyncProperty(payload, contentType, async (body, type) => {
        const before = await eventCount()
        const res = await h.app.request('/api/v1/events', {
          method: 'POST',
          body,
          headers: type ? { 'content-type': type } : {},
        })
        const json = (await res.json()) as any
        assertShape(res.status, json)
        const added = (await eventCount()) - before
        expect(added).toBe(res.status === 200 ? json.accepted : 0)
      }),
      { numRuns: runs },
    )
  })

  it('POST /api/v1/serve: no 500 and no writes', async () => {
    const before = await eventCount()
    await fc.assert(
      fc.asyncProperty(
        bodies(() => ({
          site: h.a.publishableKey,
          slots: ['home-hero'],
          anonymousId: 'v',
          context: { url: 'https://a.example' },
        })),
        contentType,
        async (body, type) => {
          const res = await h.app.request('/api/v1/serve', {
            method: 'POST',
            body,
            headers: type ? { 'content-type': type } : {},
          })
          assertShape(res.status, await res.json())
        },
      ),
      { numRuns: runs },
    )
    expect(await eventCount()).toBe(before)
  })

  it('GET /api/v1/campaigns/:type/serve and GET /r/:token: no 500 on random input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 300 }),
        async (placement, token) => {
          const serve = await h.app.request(
            `/api/v1/campaigns/awareness/serve?site=${encodeURIComponent(h.a.publishableKey)}&placement=${encodeURIComponent(placement)}`,
          )
          assertShape(serve.status, await serve.json())
          const redirect = await h.app.request(`/r/${encodeURIComponent(token)}`)
          expect(redirect.status).toBeLessThan(500)
          expect(redirect.headers.get('location')).toBeNull()
        },
      ),
      { numRuns: runs },
    )
  })

  it('POST /api/v1/leads: no 500, and a lead is written whole (lead, submission, mail) or not at all', async () => {
    const rowsOf = async () => {
      const [l, s, m] = await Promise.all(
        [leads, leadSubmissions, mailOutbox].map(
          async (table) => (await h.database.db.select({ n: count() }).from(table))[0]!.n,
        ),
      )
      return { leads: l!, submissions: s!, mail: m! }
    }
    let serial = 0
    const validLead = () => ({
      site: h.a.publishableKey,
      campaignId: leadForm.campaignId,
      variantId: leadForm.variantId,
      fields: { email: `fuzz-${++serial}@example.com`, first_name: 'Ada', company: 'Acme', terms: true },
      anonymousId: 'fuzz',
      consent: { granted: true, text: 'Yes' },
      elapsedMs: 8_000,
      context: { url: 'https://a.example/guide', referrer: 'https://search.example/' },
    })
    const fieldValue = fc.oneof(fc.jsonValue(), fc.string({ maxLength: 2_100 }), fc.boolean())
    const payload = fc.oneof(
      bodies(validLead),
      fc
        .tuple(fc.constantFrom('email', 'first_name', 'company', 'job_title', 'terms', 'other'), fieldValue)
        .map(([key, value]) =>
          JSON.stringify({ ...validLead(), fields: { ...validLead().fields, [key]: value } }),
        ),
    )
    await fc.assert(
      fc.asyncProperty(payload, contentType, async (body, type) => {
        const before = await rowsOf()
        const res = await h.app.request('/api/v1/leads', {
          method: 'POST',
          body,
          headers: type ? { 'content-type': type } : {},
        })
        const json = (await res.json()) as any
        assertShape(res.status, json)
        const after = await rowsOf()
        const added = {
          leads: after.leads - before.leads,
          submissions: after.submissions - before.submissions,
          mail: after.mail - before.mail,
        }
        // A refused submit, or one answered as stored but taken for spam (too fast, honeypot), writes nothing; a
        // stored one adds one submission, a lead only for a new email, and its confirmation mail.
        if (res.status !== 201 || added.submissions === 0)
          expect(added).toEqual({ leads: 0, submissions: 0, mail: 0 })
        else expect(added).toEqual({ leads: json.status === 'created' ? 1 : 0, submissions: 1, mail: 1 })
      }),
      // Each stored submit runs its follow-ups (a mail, a download link): fewer runs keep this quick.
      { numRuns: 300 },
    )
  })

  it('POST /api/v1/auth/login: no 500 and no session from a bad login', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodies(() => ({ email: h.a.email, password: 'wrong password' })),
        contentType,
        async (body, type) => {
          const res = await h.app.request('/api/v1/auth/login', {
            method: 'POST',
            body,
            headers: type ? { 'content-type': type } : {},
          })
          assertShape(res.status, await res.json())
          expect(res.status).not.toBe(200)
        },
      ),
      // Each attempt runs scrypt once, so fewer runs keep this test quick; the other routes take 1,000 each.
      { numRuns: 100 },
    )
    expect((await h.database.db.select({ n: count() }).from(sessions))[0]!.n).toBe(0)
  })
})
