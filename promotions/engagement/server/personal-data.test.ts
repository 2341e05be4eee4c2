import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOf } from '../../../api/ports/database'
import { sweepRetention } from '../../../api/services/retention'
import { client, createHarness, type Harness } from '../../../api/testing/harness'
import { startLeadCampaign, visitorProof } from '../../lead_generation/testing/server'
import { act, startEngagement } from '../testing/server'
import { engagementPersonalData } from './personal-data'
import { recountOf, storedCounts } from './store'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const dayMs = 86_400_000
const rows = async (query: ReturnType<typeof sql>) =>
  rowsOf<Record<string, unknown>>(await h.database.db.execute(query))

describe('retention', () => {
  it('unlinks engagement older than the site keeps events, keeps the counts, and deletes old rejected comments', async () => {
    const { campaignId } = await startEngagement(h.app, h.a)
    const send = (anonymousId: string, rest: Record<string, unknown>) =>
      act(h.app, { site: h.a.publishableKey, campaignId, anonymousId, ...rest })
    const actions = [
      { action: 'like' },
      { action: 'react', reaction: 'wow' },
      { action: 'vote', options: ['tomato'] },
      { action: 'share', network: 'x' },
    ]
    for (const visitor of ['ret-old', 'ret-new']) {
      for (const action of actions) expect((await send(visitor, action)).status).toBe(200)
      expect((await send(visitor, { action: 'comment', text: `From ${visitor}` })).status).toBe(201)
    }
    const spam = (await (await send('ret-old', { action: 'comment', text: 'Buy now' })).json()) as {
      comment: { id: string }
    }
    const admin = client(h.app, { secretKey: h.a.secretKey })
    expect((await admin.post(`/api/v1/engagements/comments/${spam.comment.id}/reject`)).status).toBe(200)
    // ret-old acted 400 days ago: longer than the default 396 days of events.
    const old = new Date(h.now.value - 400 * dayMs).toISOString()
    for (const table of [
      'engagement_reactions',
      'engagement_votes',
      'engagement_shares',
      'engagement_comments',
    ])
      await h.database.db.execute(
        sql`update ${sql.identifier(table)} set created_at = ${old}::timestamptz where anonymous_id = 'ret-old'`,
      )
    const counts = async () =>
      (
        (await (
          await h.app.request(`/api/v1/engagements?site=${h.a.publishableKey}&campaignId=${campaignId}`)
        ).json()) as {
          counts: unknown
        }
      ).counts
    const before = await counts()

    await sweepRetention(h.database.db, h.now.value, { personalData: [engagementPersonalData] })

    for (const table of [
      'engagement_reactions',
      'engagement_votes',
      'engagement_shares',
      'engagement_comments',
    ]) {
      const held = await rows(
        sql`select anonymous_id from ${sql.identifier(table)} where campaign_id = ${campaignId}`,
      )
      expect(
        held.filter((r) => r.anonymous_id === 'ret-old'),
        table,
      ).toEqual([])
      expect(held.filter((r) => r.anonymous_id === 'ret-new').length, table).toBeGreaterThan(0)
    }
    expect(await counts()).toEqual(before)
    const comments = await rows(
      sql`select text, anonymous_id from engagement_comments where campaign_id = ${campaignId} order by text`,
    )
    expect(comments).toEqual([
      { text: 'From ret-new', anonymous_id: 'ret-new' },
      { text: 'From ret-old', anonymous_id: null },
    ])
    // Nothing is left to do the second time.
    expect(
      (await sweepRetention(h.database.db, h.now.value, { personalData: [engagementPersonalData] })).visitors,
    ).toBe(0)
  })
})

describe('erasure', () => {
  it("deletes the person's comments and keeps their likes, votes and shares counted under an id that leads nowhere", async () => {
    const { campaignId } = await startEngagement(h.app, h.a)
    const form = await startLeadCampaign(h.app, h.a)
    const email = 'grace@erase.example'
    const lead = await client(h.app).post('/api/v1/leads', {
      site: h.a.publishableKey,
      campaignId: form.campaignId,
      fields: { email },
      ...visitorProof(h.a, 'erase-grace'),
    })
    expect(lead.status).toBe(201)
    const send = (anonymousId: string, rest: Record<string, unknown>) =>
      act(h.app, { site: h.a.publishableKey, campaignId, anonymousId, ...rest })
    for (const visitor of ['erase-grace', 'erase-other']) {
      expect((await send(visitor, { action: 'like' })).status).toBe(200)
      expect((await send(visitor, { action: 'vote', options: ['leek'] })).status).toBe(200)
      expect((await send(visitor, { action: 'share', network: 'copy' })).status).toBe(200)
      expect((await send(visitor, { action: 'comment', text: `Hello from ${visitor}` })).status).toBe(201)
    }
    const counts = async () =>
      (await (
        await h.app.request(`/api/v1/engagements?site=${h.a.publishableKey}&campaignId=${campaignId}`)
      ).json()) as { counts: Record<string, number>; comments: { text: string }[] }
    const before = await counts()
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const exported = (await (await admin.get(`/api/v1/leads/person?email=${email}`)).json()) as {
      visitors: { anonymousId: string; engagement: Record<string, unknown[]> }[]
    }
    expect(exported.visitors.map((v) => v.anonymousId)).toEqual(['erase-grace'])
    expect(exported.visitors[0]!.engagement.comments).toHaveLength(1)

    expect((await admin.delete(`/api/v1/leads/person?email=${email}`)).status).toBe(200)
    const after = await counts()
    expect(after.counts).toEqual({ ...before.counts, comments: before.counts.comments! - 1 })
    expect(after.comments.map((c) => c.text)).toEqual(['Hello from erase-other'])
    for (const table of [
      'engagement_reactions',
      'engagement_votes',
      'engagement_shares',
      'engagement_comments',
    ])
      expect(
        await rows(sql`select 1 from ${sql.identifier(table)} where anonymous_id = 'erase-grace'`),
        table,
      ).toEqual([])
    const recount = [...(await recountOf(h.database.db, h.a.siteId, campaignId))].filter(([, n]) => n !== 0)
    expect(Object.fromEntries(await storedCounts(h.database.db, h.a.siteId, campaignId))).toEqual(
      Object.fromEntries(recount),
    )
  })
})
