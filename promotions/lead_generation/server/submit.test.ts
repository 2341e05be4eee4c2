import { and, count, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryKv } from '../../../api/adapters/kv/memory'
import { createApp } from '../../../api/app'
import type { AppEnv } from '../../../api/http/env'
import type { Kv } from '../../../api/ports/kv'
import { client, createHarness, type Harness, readError, readJson } from '../../../api/testing/harness'
import * as api from '../../../schema/api'
import { campaigns, events, leadSubmissions, leads } from '../../../schema/db'
import { leadCampaign, startLeadCampaign, visitorProof } from '../testing/server'
import { type Download, leadSubmitRoutes, type SubmittedLead } from './submit'

let h: Harness
let campaignId: string
let variantId: string
beforeAll(async () => {
  h = await createHarness()
  ;({ campaignId, variantId } = await startLeadCampaign(h.app, h.a))
})
afterAll(() => h.close())

let serial = 0
const uniqueEmail = () => `visitor-${++serial}@example.com`

const leadBody = (overrides: Record<string, unknown> = {}) => ({
  site: h.a.publishableKey,
  campaignId,
  fields: { email: uniqueEmail() },
  elapsedMs: 8_000,
  ...overrides,
})

const submit = (
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
  app: Pick<Hono<AppEnv>, 'request'> = h.app,
) =>
  app.request('/api/v1/leads', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

const leadByEmail = async (email: string) => {
  const [row] = await h.database.db
    .select()
    .from(leads)
    .where(and(eq(leads.siteId, h.a.siteId), eq(leads.email, email)))
  return row
}
const submissionsOf = (leadId: string) =>
  h.database.db.select().from(leadSubmissions).where(eq(leadSubmissions.leadId, leadId))
const stored = async () => {
  const [l] = await h.database.db.select({ n: count() }).from(leads)
  const [s] = await h.database.db.select({ n: count() }).from(leadSubmissions)
  const [e] = await h.database.db.select({ n: count() }).from(events).where(eq(events.name, 'submit'))
  return { leads: l!.n, submissions: s!.n, submitEvents: e!.n }
}

describe('a first submit', () => {
  it('creates the lead with its score, consent exactly as shown, source and submission', async () => {
    const consentText = '  I agree to receive the guide\nand news from Shop.  '
    const res = await submit(
      leadBody({
        variantId,
        ...visitorProof(h.a, 'anon-ada'),
        fields: {
          email: '  Ada@Example.COM ',
          first_name: 'Ada',
          company: 'Analytical Engines',
          job_title: 'VP Engineering',
        },
        consent: { granted: true, text: consentText },
        context: {
          url: 'https://a.example/guide?utm_source=Newsletter&utm_medium=email&utm_campaign=winter',
          referrer: 'https://mail.example/',
        },
      }),
    )
    expect(res.status).toBe(201)
    const answer = await readJson(res, api.leadAnswer)
    // The campaign offers a guide: the answer carries its signed, expiring download link.
    expect(answer).toEqual({
      leadId: expect.any(String),
      status: 'created',
      download: {
        url: expect.stringMatching(/^http:\/\/localhost\/d\//),
        expiresAt: '2026-11-30T12:00:00.000Z',
      },
    })

    const lead = await leadByEmail('ada@example.com')
    expect(lead).toMatchObject({
      id: answer.leadId,
      fields: {
        email: 'ada@example.com',
        first_name: 'Ada',
        company: 'Analytical Engines',
        job_title: 'VP Engineering',
      },
      // 50 for the title, 10 for each of three filled fields (the email does not count).
      score: 80,
      grade: 'A',
      consent: { granted: true, text: consentText, at: new Date(h.now.value).toISOString() },
      firstCampaignId: campaignId,
      lastCampaignId: campaignId,
      anonymousId: 'anon-ada',
      source: {
        utm: { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'winter' },
        referrer: 'https://mail.example/',
        url: 'https://a.example/guide?utm_source=Newsletter&utm_medium=email&utm_campaign=winter',
      },
      submissions: 1,
    })
    const [submission] = await submissionsOf(answer.leadId)
    expect(submission).toMatchObject({ campaignId, variantId, anonymousId: 'anon-ada', score: 80 })
    expect(submission!.consent?.text).toBe(consentText)
  })

  it('records a submit event for the form KPIs, with the submission id as the event id', async () => {
    const email = uniqueEmail()
    const res = await submit(leadBody({ variantId, ...visitorProof(h.a, 'anon-kpi'), fields: { email } }))
    expect(res.status).toBe(201)
    const lead = await leadByEmail(email)
    const [submission] = await submissionsOf(lead!.id)
    const [event] = await h.database.db.select().from(events).where(eq(events.anonymousId, 'anon-kpi'))
    expect(event).toMatchObject({
      id: submission!.id,
      siteId: h.a.siteId,
      name: 'submit',
      campaignId,
      variantId,
      anonymousId: 'anon-kpi',
    })
  })

  it('takes consent from the form’s consent box when the submit sends none', async () => {
    const email = uniqueEmail()
    await submit(leadBody({ fields: { email, terms: true } }))
    expect((await leadByEmail(email))!.consent).toMatchObject({
      granted: true,
      text: 'Send me the guide and related news',
    })
    const silent = uniqueEmail()
    await submit(leadBody({ fields: { email: silent } }))
    expect((await leadByEmail(silent))!.consent).toBeNull()
  })

  it('takes text/plain JSON, as a beacon sends it', async () => {
    const res = await client(h.app).post('/api/v1/leads', JSON.stringify(leadBody()), 'text/plain')
    expect(res.status).toBe(201)
  })
})

describe('the same person again', () => {
  it('updates the one lead by email (case and spaces aside), merging fields and keeping both submissions', async () => {
    const first = await submit(
      leadBody({
        fields: { email: 'grace@example.com', first_name: 'Grace', company: 'Navy' },
        consent: { granted: true, text: 'Yes, send me news' },
        ...visitorProof(h.a, 'anon-grace-1'),
      }),
    )
    const created = await readJson(first, api.leadAnswer)
    h.now.value += 60_000
    const second = await submit(
      leadBody({
        fields: { email: '  GRACE@example.COM', company: 'Harvard', job_title: 'Director of Computing' },
        ...visitorProof(h.a, 'anon-grace-2'),
      }),
    )
    expect(second.status).toBe(201)
    const updated = await readJson(second, api.leadAnswer)
    expect(updated).toMatchObject({ leadId: created.leadId, status: 'updated' })

    const lead = await leadByEmail('grace@example.com')
    expect(lead).toMatchObject({
      fields: {
        email: 'grace@example.com',
        first_name: 'Grace',
        company: 'Harvard',
        job_title: 'Director of Computing',
      },
      // Rescored over the merged fields: 50 for the title and 30 for three filled fields.
      score: 80,
      grade: 'A',
      submissions: 2,
      anonymousId: 'anon-grace-2',
      // The second submit said nothing about consent: the first answer stands.
      consent: { granted: true, text: 'Yes, send me news' },
    })
    expect(lead!.updatedAt.getTime()).toBe(h.now.value)
    expect(lead!.createdAt.getTime()).toBe(h.now.value - 60_000)
    const submissions = await submissionsOf(lead!.id)
    expect(submissions.map((s) => s.fields).sort((a, b) => (a.company! < b.company! ? -1 : 1))).toEqual([
      { email: 'grace@example.com', company: 'Harvard', job_title: 'Director of Computing' },
      { email: 'grace@example.com', first_name: 'Grace', company: 'Navy' },
    ])
    // Each submission keeps what it alone scored.
    expect(submissions.map((s) => s.score).sort()).toEqual([20, 70])
  })

  it('makes one lead of two first submits of the same email arriving together', async () => {
    const email = uniqueEmail()
    const answers = await Promise.all([
      submit(leadBody({ fields: { email } })),
      submit(leadBody({ fields: { email: email.toUpperCase() } })),
    ])
    const bodies = await Promise.all(answers.map((r) => readJson(r, api.leadAnswer)))
    expect(bodies.map((b) => b.status).sort()).toEqual(['created', 'updated'])
    expect(bodies[0]!.leadId).toBe(bodies[1]!.leadId)
    expect((await leadByEmail(email))!.submissions).toBe(2)
    expect(await submissionsOf(bodies[0]!.leadId)).toHaveLength(2)
  })

  it('updates consent when the later submit gives it', async () => {
    const email = uniqueEmail()
    await submit(leadBody({ fields: { email }, consent: { granted: true, text: 'News please' } }))
    await submit(leadBody({ fields: { email }, consent: { granted: false, text: 'News please' } }))
    expect((await leadByEmail(email))!.consent).toMatchObject({ granted: false, text: 'News please' })
  })
})

describe('validation', () => {
  const detailsOf = async (res: Response) => {
    expect(res.status).toBe(400)
    const error = await readError(res)
    expect(error.code).toBe('validation_failed')
    return error.paths
  }

  it('names the failing form fields as fields.<name>', async () => {
    expect(await detailsOf(await submit(leadBody({ fields: { first_name: 'Ada' } })))).toEqual([
      'fields.email',
    ])
    expect(await detailsOf(await submit(leadBody({ fields: { email: 'not-an-email' } })))).toEqual([
      'fields.email',
    ])
    expect(await detailsOf(await submit(leadBody({ fields: { email: 'a@b.io', hack: 'x' } })))).toEqual([
      'fields.hack',
    ])
    expect(
      await detailsOf(await submit(leadBody({ fields: { email: 'a@b.io', first_name: 'x'.repeat(201) } }))),
    ).toEqual(['fields.first_name'])
  })

  it('refuses unknown keys, over-long strings and values that are not text or a tick', async () => {
    expect(await detailsOf(await submit(leadBody({ admin: true })))).toEqual(['admin'])
    expect(await detailsOf(await submit(leadBody({ anonymousId: 'x'.repeat(65) })))).toEqual(['anonymousId'])
    expect(
      await detailsOf(await submit(leadBody({ consent: { granted: true, text: 'x'.repeat(2_001) } }))),
    ).toEqual(['consent.text'])
    expect(await detailsOf(await submit(leadBody({ context: { url: 'x'.repeat(2_049) } })))).toEqual([
      'context.url',
    ])
    expect(await detailsOf(await submit(leadBody({ fields: { email: 'a@b.io', company: 42 } })))).toEqual([
      'fields.company',
    ])
  })

  it('refuses a variant of another campaign', async () => {
    expect(await detailsOf(await submit(leadBody({ variantId: crypto.randomUUID() })))).toEqual(['variantId'])
  })

  it('stores nothing for a refused submit', async () => {
    const before = await stored()
    await submit(leadBody({ fields: { email: 'bad' } }))
    expect(await stored()).toEqual(before)
  })
})

/** The longest the event loop went without running a timer, from now until `stop()`: how long the process stalled. */
function longestStall() {
  let last = performance.now()
  let longest = 0
  const tick = setInterval(() => {
    const now = performance.now()
    longest = Math.max(longest, now - last)
    last = now
  }, 5)
  return {
    stop() {
      clearInterval(tick)
      return Math.max(longest, performance.now() - last)
    },
  }
}

describe('a text field’s pattern', () => {
  const patternForm = (pattern: string) =>
    startLeadCampaign(h.app, h.a, {
      fields: [
        { name: 'email', type: 'email', label: 'Email', required: true },
        { name: 'code', type: 'text', label: 'Code', pattern, maxLength: 40 },
      ],
      scoring: undefined,
    })
  const submitCode = async (form: { campaignId: string }, code: string) =>
    submit(leadBody({ campaignId: form.campaignId, fields: { email: uniqueEmail(), code } }))

  it('is matched by the linear-time engine: a pattern that backtracks exponentially never stalls the process', async () => {
    const form = await patternForm('^(a|a)*$')
    expect((await submitCode(form, 'aaaa')).status).toBe(201)
    // A backtracking engine tries about 2^29 ways to match this before it fails; RE2 reads it once.
    const stall = longestStall()
    const [refused, health] = await Promise.all([
      submitCode(form, `${'a'.repeat(29)}b`),
      h.app.request('/healthz'),
    ])
    const stalledMs = stall.stop()
    expect(refused.status).toBe(400)
    expect((await readError(refused)).details).toEqual([
      { path: 'fields.code', message: 'does not match the expected format' },
    ])
    expect(health.status).toBe(200)
    // Several seconds on a backtracking engine (the whole process waits); milliseconds of queries here.
    expect(stalledMs).toBeLessThan(1_500)
  })

  it('means what RE2 says it means, as the server alone decides (the browser leaves patterns to it)', async () => {
    // RE2's `.` takes U+2028, JavaScript's does not: accepted, so the server matched with RE2.
    const form = await patternForm('^a.b$')
    expect((await submitCode(form, 'a\u2028b')).status).toBe(201)
    expect((await submitCode(form, 'ab')).status).toBe(400)
  })

  it('leaves a form saved before that rule unsubmittable until saved again, never a 500', async () => {
    const form = await patternForm('^[a-z]+$')
    const [row] = await h.database.db.select().from(campaigns).where(eq(campaigns.id, form.campaignId))
    const config = row!.config as { fields: { pattern?: string }[] }
    config.fields[1]!.pattern = '^(a)\\1$'
    await h.database.db.update(campaigns).set({ config }).where(eq(campaigns.id, form.campaignId))
    const res = await submitCode(form, 'aa')
    expect(res.status).toBe(503)
    expect((await readError(res)).code).toBe('unavailable')
  })

  it('is refused when saved if RE2 cannot run it (backreferences, lookaround), at the pattern’s path', async () => {
    const admin = client(h.app, { secretKey: h.a.secretKey })
    for (const pattern of ['^(a)\\1$', '^(?=a)a$', '(?<=a)b', '(?<n>a)\\k<n>']) {
      const res = await admin.post(
        '/api/v1/campaigns',
        leadCampaign({
          fields: [
            { name: 'email', type: 'email', label: 'Email', required: true },
            { name: 'code', type: 'text', label: 'Code', pattern },
          ],
          scoring: undefined,
        }),
      )
      expect(res.status, pattern).toBe(400)
      const paths = (await readError(res)).paths
      expect(paths, pattern).toEqual(['config.fields.1.pattern'])
    }
  })
})

describe('the campaign', () => {
  const notFound = async (res: Response) => {
    expect(res.status).toBe(404)
    expect((await readError(res)).code).toBe('not_found')
  }

  it('must be an active lead form of the key’s site', async () => {
    const draft = await startLeadCampaign(h.app, h.a, {}, false)
    await notFound(await submit(leadBody({ campaignId: draft.campaignId })))
    const paused = await startLeadCampaign(h.app, h.a)
    await client(h.app, { secretKey: h.a.secretKey }).post(`/api/v1/campaigns/${paused.campaignId}/pause`)
    await notFound(await submit(leadBody({ campaignId: paused.campaignId })))
    const other = await startLeadCampaign(h.app, h.b)
    await notFound(await submit(leadBody({ campaignId: other.campaignId })))
    await notFound(await submit(leadBody({ campaignId: crypto.randomUUID() })))
  })

  it('must be a lead form, not another type', async () => {
    const created = await client(h.app, { secretKey: h.a.secretKey }).post('/api/v1/campaigns', {
      name: 'Banner',
      type: 'awareness',
      config: { format: 'hero' },
      placements: ['home-hero'],
      variants: [{ name: 'A', creative: { headline: 'Hi' } }],
    })
    const banner = await readJson(created, api.campaign)
    await client(h.app, { secretKey: h.a.secretKey }).post(`/api/v1/campaigns/${banner.id}/activate`)
    await notFound(await submit(leadBody({ campaignId: banner.id })))
  })

  it('refuses an unknown publishable key', async () => {
    const res = await submit(leadBody({ site: 'pk_live_0000000000000000' }))
    expect(res.status).toBe(401)
  })
})

describe('spam', () => {
  it('answers a filled honeypot as if stored, and stores nothing', async () => {
    const before = await stored()
    const res = await submit(leadBody({ hp: 'http://spam.example', anonymousId: 'anon-bot' }))
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ leadId: expect.any(String), status: 'created' })
    expect(await stored()).toEqual(before)
  })

  it('answers a submit made faster than a person types as if stored, and stores nothing', async () => {
    const before = await stored()
    const res = await submit(leadBody({ elapsedMs: 1_999, anonymousId: 'anon-fast' }))
    expect(res.status).toBe(201)
    expect((await readJson(res, api.leadAnswer)).status).toBe('created')
    expect(await stored()).toEqual(before)
    expect((await submit(leadBody({ elapsedMs: 2_000 }))).status).toBe(201)
    expect((await stored()).leads).toBe(before.leads + 1)
  })

  it('answers a crawler as if stored, and stores nothing', async () => {
    const before = await stored()
    const res = await submit(leadBody(), { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' })
    expect(res.status).toBe(201)
    expect(await stored()).toEqual(before)
  })
})

describe('rate limit', () => {
  const behindProxy = () =>
    createApp({
      database: h.database,
      signingSecret: 'test-signing-secret-0123456789abcdef',
      now: () => h.now.value,
      clientIpHeader: 'x-forwarded-for',
    })

  it('answers 429 with Retry-After past 5 submits a minute from one address to one site', async () => {
    const app = behindProxy()
    const from = (ip: string) => ({ 'x-forwarded-for': ip })
    for (let i = 0; i < 5; i++) expect((await submit(leadBody(), from('203.0.113.7'), app)).status).toBe(201)
    const refused = await submit(leadBody(), from('203.0.113.7, 10.0.0.1'), app)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('60')
    expect((await readError(refused)).code).toBe('rate_limited')
    // Spam counts too, and is refused the same way.
    expect((await submit(leadBody({ hp: 'x' }), from('203.0.113.7'), app)).status).toBe(429)
    // Another visitor, and the same one on another site, are not held up.
    expect((await submit(leadBody(), from('203.0.113.8'), app)).status).toBe(201)
    const otherSite = await startLeadCampaign(h.app, h.b)
    const onB = leadBody({ site: h.b.publishableKey, campaignId: otherSite.campaignId })
    expect((await submit(onB, from('203.0.113.7'), app)).status).toBe(201)
    h.now.value += 30_000
    expect((await submit(leadBody(), from('203.0.113.7'), app)).headers.get('retry-after')).toBe('30')
    h.now.value += 30_000
    expect((await submit(leadBody(), from('203.0.113.7'), app)).status).toBe(201)
  })

  it('holds across servers that share the store, and lets leads through while the store is down', async () => {
    const shared = new MemoryKv()
    const server = (kv: Kv) =>
      createApp({
        database: h.database,
        signingSecret: 'test-signing-secret-0123456789abcdef',
        now: () => h.now.value,
        clientIpHeader: 'x-forwarded-for',
        kv,
      })
    const servers = [server(shared), server(shared)]
    const from = { 'x-forwarded-for': '203.0.113.90' }
    for (let i = 0; i < 5; i++) expect((await submit(leadBody(), from, servers[i % 2])).status).toBe(201)
    expect((await submit(leadBody(), from, servers[1])).status).toBe(429)

    const down = new Proxy({} as Kv, {
      // A networked store that is down: every call fails; it has none of the in-process store's methods.
      get: (_, name) =>
        name === 'siteState' || name === 'hitNow'
          ? undefined
          : () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
    })
    expect((await submit(leadBody(), { 'x-forwarded-for': '203.0.113.91' }, server(down))).status).toBe(201)
  })

  it('does not trust a forwarded address unless told to, nor limit visitors it cannot tell apart', async () => {
    for (let i = 0; i < 8; i++) {
      expect((await submit(leadBody(), { 'x-forwarded-for': '198.51.100.1' })).status).toBe(201)
    }
  })
})

describe('CORS', () => {
  it("answers the site's own origin and refuses any other", async () => {
    const res = await submit(leadBody(), { origin: h.a.origin })
    expect(res.status).toBe(201)
    expect(res.headers.get('access-control-allow-origin')).toBe(h.a.origin)
    const preflight = await h.app.request(`/api/v1/leads?site=${h.a.publishableKey}`, {
      method: 'OPTIONS',
      headers: { origin: h.a.origin, 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(h.a.origin)
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/content-type/i)
    const foreignPreflight = await h.app.request(`/api/v1/leads?site=${h.a.publishableKey}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(foreignPreflight.headers.get('access-control-allow-origin')).toBeNull()
    const foreign = await submit(leadBody(), { origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('follow-ups', () => {
  const mounted = (followUp: (event: SubmittedLead) => Promise<{ download?: Download }>) =>
    new Hono<AppEnv>().route('/api/v1', leadSubmitRoutes(h.app.services, { followUp }))

  it('hands the follow-ups the stored lead and returns the download they hand out', async () => {
    const seen: SubmittedLead[] = []
    const download = { url: 'https://promo.example/d/abc', expiresAt: '2026-11-30T12:00:00.000Z' }
    const app = mounted(async (event) => {
      seen.push(event)
      return { download }
    })
    const email = uniqueEmail()
    const res = await submit(leadBody({ variantId, fields: { email, company: 'Acme' } }), {}, app)
    expect(res.status).toBe(201)
    const answer = await readJson(res, api.leadAnswer)
    expect(answer).toEqual({ leadId: expect.any(String), status: 'created', download })
    expect(seen).toMatchObject([
      {
        type: 'lead.created',
        siteId: h.a.siteId,
        lead: { id: answer.leadId, email, fields: { email, company: 'Acme' }, score: 10, grade: 'D' },
        submission: { campaignId, variantId },
        campaign: { id: campaignId, name: 'Winter guide' },
        offer: { title: 'The winter guide', assetUrl: 'https://shop.example/guide.pdf' },
      },
    ])
    await submit(leadBody({ fields: { email } }), {}, app)
    expect(seen[1]!.type).toBe('lead.updated')
  })

  it('still answers the stored lead, without a download, when a follow-up fails', async () => {
    const app = mounted(async () => {
      throw new Error('mail server down')
    })
    const email = uniqueEmail()
    const res = await submit(leadBody({ fields: { email } }), {}, app)
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ leadId: expect.any(String), status: 'created' })
    expect(await leadByEmail(email)).toBeDefined()
  })
})
