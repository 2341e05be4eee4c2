import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  mobileFromNewsletter,
  scrollHalfway,
  weekdaysNineToFive,
} from '../../../admin/targeting/testing/must-show'
import { leadCampaign } from '../../../promotions/lead_generation/testing/server'
import * as api from '../../../schema/api'
import { client, createHarness, type Harness, login, readError, readJson } from '../../testing/harness'

/**
 * The admin's targeting, trigger and dayparting editors build plain schema values (admin/targeting); this is
 * the API taking exactly those values, keeping them, and serving by them.
 */
let h: Harness
let session: { cookie: string; csrf: string }
beforeAll(async () => {
  h = await createHarness()
  session = await login(h.app, h.a)
})
afterAll(() => h.close())

const asAdmin = () => client(h.app, session)
const iphone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'
const desktop =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'

async function servedTo(userAgent: string, url: string, visitor: string): Promise<string[]> {
  const res = await h.app.request('/api/v1/serve', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ site: h.a.publishableKey, slots: [], context: { url }, anonymousId: visitor }),
  })
  const answer = await readJson(res, api.serveAnswer)
  return answer.decisions.map((decision) => decision.campaignId)
}

describe('a campaign with the admin’s targeting, trigger and dayparting', () => {
  it('is created and read back exactly, and serves mobile newsletter visitors on weekdays 9–17 in Paris', async () => {
    const body = leadCampaign(
      { display: 'popup', trigger: scrollHalfway },
      {
        siteId: h.a.siteId,
        name: 'Newsletter popup',
        targeting: mobileFromNewsletter,
        schedule: weekdaysNineToFive,
      },
    )
    const created = await asAdmin().post('/api/v1/campaigns', body)
    expect(created.status).toBe(201)
    const campaign = await readJson(created, api.campaign)
    expect(campaign.targeting).toEqual(mobileFromNewsletter)
    expect(campaign.schedule).toEqual(weekdaysNineToFive)
    expect(campaign.config).toMatchObject({ display: 'popup', trigger: scrollHalfway })
    const read = await readJson(await asAdmin().get(`/api/v1/campaigns/${campaign.id}`), api.campaign)
    expect(read.targeting).toEqual(mobileFromNewsletter)
    expect((await asAdmin().post(`/api/v1/campaigns/${campaign.id}/activate`)).status).toBe(200)

    // Monday 30 November 2026, 10:00 in Paris (09:00 UTC).
    h.now.value = Date.parse('2026-11-30T09:00:00Z')
    const fromNewsletter = 'https://a.example/?utm_source=newsletter'
    expect(await servedTo(iphone, fromNewsletter, 'v-1')).toContain(campaign.id)
    expect(await servedTo(desktop, fromNewsletter, 'v-2')).not.toContain(campaign.id)
    expect(await servedTo(iphone, 'https://a.example/?utm_source=ads', 'v-3')).not.toContain(campaign.id)
    // 17:30 in Paris, then Sunday noon: outside the hours.
    h.now.value = Date.parse('2026-11-30T16:30:00Z')
    expect(await servedTo(iphone, fromNewsletter, 'v-4')).not.toContain(campaign.id)
    h.now.value = Date.parse('2026-11-29T11:00:00Z')
    expect(await servedTo(iphone, fromNewsletter, 'v-5')).not.toContain(campaign.id)
  })

  it('refuses what the editors flag, at the path the editors show it', async () => {
    const res = await asAdmin().post(
      '/api/v1/campaigns',
      leadCampaign(
        { display: 'popup' },
        {
          siteId: h.a.siteId,
          targeting: { include: { all: [{ field: 'country', op: 'in', values: [] }] } },
          schedule: { timezone: 'Mars/Olympus', dayparting: [{ days: [1], from: '09:00', to: '24:00' }] },
        },
      ),
    )
    expect(res.status).toBe(400)
    const error = await readError(res)
    expect(error.code).toBe('validation_failed')
    expect(error.paths).toEqual(
      expect.arrayContaining([
        'targeting.include.all.0.values',
        'schedule.timezone',
        'schedule.dayparting.0.to',
      ]),
    )
    // The type's config is checked once the campaign's own fields pass.
    const trigger = await asAdmin().post(
      '/api/v1/campaigns',
      leadCampaign({ display: 'popup', trigger: { on: 'scroll', percent: 0 } }, { siteId: h.a.siteId }),
    )
    expect(trigger.status).toBe(400)
    expect((await readError(trigger)).paths).toEqual(['config.trigger.percent'])
  })

  it('keeps the campaign to its organization', async () => {
    const created = await readJson(
      await asAdmin().post(
        '/api/v1/campaigns',
        leadCampaign({}, { siteId: h.a.siteId, targeting: mobileFromNewsletter }),
      ),
      api.campaign,
    )
    const other = client(h.app, { secretKey: h.b.secretKey })
    expect((await other.get(`/api/v1/campaigns/${created.id}`)).status).toBe(404)
    expect((await other.patch(`/api/v1/campaigns/${created.id}`, { targeting: {} })).status).toBe(404)
  })

  it('takes a segment rule built in the audience editor', async () => {
    const res = await asAdmin().post('/api/v1/audiences', {
      siteId: h.a.siteId,
      key: 'repeat_buyers',
      name: 'Repeat buyers',
      lookbackDays: 30,
      rule: { all: [{ field: 'event', name: 'Purchase', op: 'gte', count: 3 }] },
    })
    expect(res.status).toBe(201)
    expect((await readJson(res, api.customAudience)).rule).toEqual({
      all: [{ field: 'event', name: 'Purchase', op: 'gte', count: 3 }],
    })
  })
})
