import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLeadCampaign } from '../../promotions/lead_generation/testing/server'
import * as traffic from '../../promotions/traffic/answers'
import * as api from '../../schema/api'
import { events } from '../../schema/db'
import {
  awarenessCampaign,
  type Body,
  client,
  createHarness,
  type Harness,
  login,
  readJson,
} from '../testing/harness'

/**
 * Tenant isolation on every admin route: organization B, by secret key and by session, must never read or
 * change anything of organization A. Each case names the route it covers.
 */
let h: Harness
let campaignId: string
let keyId: string
let audienceId: string
let contentId: string
const contentUrl = 'https://a.example/articles/private'
let leadId: string
const leadEmail = 'lead@a.example'
let webhookId: string
const webhookUrl = 'https://hooks.a.example/promo'
beforeAll(async () => {
  h = await createHarness()
  const created = await client(h.app, { secretKey: h.a.secretKey }).post(
    '/api/v1/campaigns',
    awarenessCampaign(),
  )
  campaignId = (await readJson(created, api.campaign)).id
  const site = await readJson(
    await client(h.app, { secretKey: h.a.secretKey }).get(`/api/v1/sites/${h.a.siteId}`),
    api.site,
  )
  keyId = site.secretKeys[0]!.id
  const audience = await client(h.app, { secretKey: h.a.secretKey }).post('/api/v1/audiences', audienceBody())
  audienceId = (await readJson(audience, api.customAudience)).id
  const content = await client(h.app, { secretKey: h.a.secretKey }).send('PUT', '/api/v1/content', {
    url: contentUrl,
    title: 'Private',
  })
  contentId = (await readJson(content, traffic.contentItem)).id
  const form = await startLeadCampaign(h.app, h.a)
  const lead = await client(h.app).post('/api/v1/leads', {
    site: h.a.publishableKey,
    campaignId: form.campaignId,
    fields: { email: leadEmail, company: 'A corp' },
  })
  leadId = (await readJson(lead, api.leadAnswer)).leadId
  const webhook = await client(h.app, { secretKey: h.a.secretKey }).post('/api/v1/webhooks', {
    url: webhookUrl,
  })
  webhookId = (await readJson(webhook, api.createdWebhook)).id
})

const audienceBody = (overrides: Record<string, unknown> = {}) => ({
  key: 'vip',
  name: 'VIPs',
  rule: { field: 'trait', key: 'vip', op: 'equals', value: true },
  ...overrides,
})
const conversionBody = (siteId: string) => ({
  siteId,
  data: [
    {
      event_name: 'Purchase',
      event_time: Math.floor(h.now.value / 1000),
      event_id: 'planted-order',
      action_source: 'website',
      custom_data: { value: 1, currency: 'EUR' },
    },
  ],
})
afterAll(() => h.close())

const routes = () =>
  [
    ['GET', `/api/v1/campaigns/${campaignId}`],
    ['PATCH', `/api/v1/campaigns/${campaignId}`, { name: 'stolen' }],
    ['DELETE', `/api/v1/campaigns/${campaignId}`],
    ['POST', `/api/v1/campaigns/${campaignId}/activate`],
    ['POST', `/api/v1/campaigns/${campaignId}/pause`],
    ['POST', `/api/v1/campaigns/${campaignId}/complete`],
    ['POST', `/api/v1/campaigns/${campaignId}/archive`],
    ['GET', `/api/v1/campaigns/${campaignId}/analytics`],
    ['GET', `/api/v1/campaigns/${campaignId}/reach`],
    ['GET', `/api/v1/campaigns/${campaignId}/analytics?format=csv`],
    ['GET', `/api/v1/campaigns/${campaignId}/analytics?groupBy=country`],
    ['GET', `/api/v1/campaigns/awareness/${campaignId}/analytics?format=csv`],
    ['GET', `/api/v1/analytics/overview?siteId=${h.a.siteId}`],
    ['GET', `/api/v1/campaigns/awareness/${campaignId}`],
    ['PATCH', `/api/v1/campaigns/awareness/${campaignId}`, { name: 'stolen' }],
    ['POST', `/api/v1/campaigns/awareness/${campaignId}/activate`],
    ['GET', `/api/v1/campaigns?siteId=${h.a.siteId}`],
    ['POST', '/api/v1/campaigns', awarenessCampaign({ siteId: h.a.siteId })],
    ['GET', `/api/v1/sites/${h.a.siteId}`],
    ['PATCH', `/api/v1/sites/${h.a.siteId}`, { allowedOrigins: ['https://evil.example'] }],
    ['POST', `/api/v1/sites/${h.a.siteId}/secret-keys`],
    ['DELETE', `/api/v1/sites/${h.a.siteId}/secret-keys/${keyId}`],
    ['POST', `/api/v1/sites/${h.a.siteId}/publishable-key/rotate`],
    [
      'POST',
      `/api/v1/sites/${h.a.siteId}/attribution/recompute`,
      { from: '2026-11-01T00:00:00Z', to: '2026-11-29T00:00:00Z' },
    ],
    ['GET', `/api/v1/audiences/${audienceId}`],
    ['PATCH', `/api/v1/audiences/${audienceId}`, { name: 'stolen', lookbackDays: 1 }],
    ['DELETE', `/api/v1/audiences/${audienceId}`],
    ['GET', `/api/v1/audiences?siteId=${h.a.siteId}`],
    ['POST', '/api/v1/audiences', audienceBody({ key: 'planted', siteId: h.a.siteId })],
    ['POST', '/api/v1/conversions', conversionBody(h.a.siteId)],
    ['GET', `/api/v1/content?siteId=${h.a.siteId}`],
    ['GET', `/api/v1/content?siteId=${h.a.siteId}&format=csv`],
    ['GET', `/api/v1/content/${contentId}`],
    ['DELETE', `/api/v1/content/${contentId}`],
    ['PUT', '/api/v1/content', { siteId: h.a.siteId, url: contentUrl, title: 'stolen' }],
    ['PUT', '/api/v1/content', { siteId: h.a.siteId, items: [{ url: contentUrl, title: 'stolen' }] }],
    ['POST', `/api/v1/content/import?siteId=${h.a.siteId}`, `url,title\n${contentUrl},stolen\n`],
    ['GET', `/api/v1/leads?siteId=${h.a.siteId}`],
    ['GET', `/api/v1/leads/${leadId}`],
    ['GET', `/api/v1/leads/export.csv?siteId=${h.a.siteId}`],
    ['GET', `/api/v1/leads/person?email=${leadEmail}&siteId=${h.a.siteId}`],
    ['DELETE', `/api/v1/leads/person?email=${leadEmail}&siteId=${h.a.siteId}`],
    ['GET', `/api/v1/webhooks?siteId=${h.a.siteId}`],
    ['GET', `/api/v1/webhooks/${webhookId}`],
    ['GET', `/api/v1/webhooks/${webhookId}/deliveries`],
    ['DELETE', `/api/v1/webhooks/${webhookId}`],
    ['POST', '/api/v1/webhooks', { siteId: h.a.siteId, url: 'https://evil.example/steal' }],
    ['GET', `/api/v1/outbox?siteId=${h.a.siteId}`],
  ] as const

describe.each(['secret key', 'session'] as const)("organization B's %s", (kind) => {
  it('gets 404 on every route that names something of organization A', async () => {
    const auth = kind === 'secret key' ? { secretKey: h.b.secretKey } : await login(h.app, h.b)
    const b = client(h.app, auth)
    for (const [method, path, body] of routes()) {
      const res = await b.send(method, path, body as Body | undefined)
      expect([method, path, res.status]).toEqual([method, path, 404])
    }
  })

  it('lists none of organization A in its own lists', async () => {
    const auth = kind === 'secret key' ? { secretKey: h.b.secretKey } : await login(h.app, h.b)
    const b = client(h.app, auth)
    const campaigns = await readJson(await b.get('/api/v1/campaigns'), api.campaignPage)
    expect(campaigns.data.map((c) => c.id)).not.toContain(campaignId)
    const sites = await readJson(await b.get('/api/v1/sites'), api.pageOf(api.site))
    expect(sites.data.map((s) => s.id)).toEqual([h.b.siteId])
    const audiences = await readJson(await b.get('/api/v1/audiences'), api.audienceList)
    expect(audiences.data.filter((s) => !s.builtIn)).toEqual([])
    const overview = await readJson(await b.get('/api/v1/analytics/overview'), api.overview)
    expect(overview).toMatchObject({ siteId: h.b.siteId, campaigns: [] })
    const content = await readJson(await b.get('/api/v1/content'), api.pageOf(traffic.contentItem))
    expect(content.data).toEqual([])
    expect(await (await b.get('/api/v1/content?format=csv')).text()).not.toContain(contentUrl)
    const leads = await readJson(await b.get('/api/v1/leads'), api.pageOf(api.lead))
    expect(leads.data).toEqual([])
    const person = await readJson(await b.get(`/api/v1/leads/person?email=${leadEmail}`), api.personData)
    expect(person.leads).toEqual([])
    const erased = await readJson(await b.delete(`/api/v1/leads/person?email=${leadEmail}`), api.erasure)
    expect(erased.deleted).toEqual({
      leads: 0,
      submissions: 0,
      mail: 0,
      webhookDeliveries: 0,
      visitors: 0,
      serverEvents: 0,
      byEmail: { rsvps: 0, sales: 0 },
    })
    expect(person.visitors).toEqual([])
    expect(person.byEmail).toEqual({ rsvps: [], sales: { redemptions: [], customerUses: [] } })
    expect(await (await b.get('/api/v1/leads/export.csv')).text()).not.toContain(leadEmail)
    const hooks = await readJson(await b.get('/api/v1/webhooks'), api.pageOf(api.webhook))
    expect(hooks.data).toEqual([])
    const outbox = await readJson(await b.get('/api/v1/outbox'), api.pageOf(api.mail))
    expect(outbox.data).toEqual([])
  })
})

describe('after all of that', () => {
  it("organization A's campaign, site and audiences are untouched", async () => {
    const a = client(h.app, { secretKey: h.a.secretKey })
    const campaign = await readJson(await a.get(`/api/v1/campaigns/${campaignId}`), api.campaign)
    expect(campaign).toMatchObject({ name: 'Winter sale', status: 'draft' })
    const site = await readJson(await a.get(`/api/v1/sites/${h.a.siteId}`), api.site)
    expect(site.allowedOrigins).toEqual([h.a.origin])
    expect(site.publishableKey).toBe(h.a.publishableKey)
    expect(site.secretKeys).toHaveLength(1)
    const audiences = await readJson(await a.get('/api/v1/audiences'), api.audienceList)
    expect(audiences.data.filter((s) => !s.builtIn)).toMatchObject([
      { id: audienceId, key: 'vip', name: 'VIPs', lookbackDays: 30 },
    ])
    const planted = await h.database.db
      .select({ id: events.id })
      .from(events)
      .where(and(eq(events.siteId, h.a.siteId), eq(events.source, 'server')))
    expect(planted).toEqual([])
    const content = await readJson(await a.get(`/api/v1/content/${contentId}`), traffic.contentItem)
    expect(content).toMatchObject({ url: contentUrl, title: 'Private', source: 'admin' })
    const lead = await readJson(await a.get(`/api/v1/leads/${leadId}`), api.leadDetail)
    expect(lead).toMatchObject({ email: leadEmail, fields: { company: 'A corp' }, submissionCount: 1 })
    const person = await readJson(await a.get(`/api/v1/leads/person?email=${leadEmail}`), api.personData)
    expect(person.leads).toMatchObject([{ id: leadId, mail: [{ to: leadEmail }] }])
    const hooks = await readJson(await a.get('/api/v1/webhooks'), api.pageOf(api.webhook))
    expect(hooks.data).toMatchObject([{ id: webhookId, url: webhookUrl, active: true }])
    const outbox = await readJson(await a.get('/api/v1/outbox'), api.pageOf(api.mail))
    expect(outbox.data).toMatchObject([{ to: leadEmail }])
  })

  it("organization B's publishable key cannot send events for organization A's campaign", async () => {
    const res = await client(h.app).post('/api/v1/events', {
      site: h.b.publishableKey,
      batch: [
        {
          id: crypto.randomUUID(),
          name: 'impression',
          timestamp: new Date().toISOString(),
          anonymousId: 'x',
          campaignId,
        },
      ],
    })
    const body = await readJson(res, api.batchAnswer)
    expect(body.accepted).toBe(0)
    expect(body.rejected[0]!.error.details).toMatchObject([{ path: 'campaignId' }])
  })
})
