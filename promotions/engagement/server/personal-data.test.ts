import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOf } from '../../../api/db'
import { sweepRetention } from '../../../api/retention/sweep'
import { client, createHarness, type Harness } from '../../../api/testing/harness'
import { act, startEngagement } from './fixtures'

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

    await sweepRetention(h.database.db, h.now.value)

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
    expect((await sweepRetention(h.database.db, h.now.value)).visitors).toBe(0)
  })
})
