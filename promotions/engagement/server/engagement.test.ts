import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../api/app'
import { ClickSigner } from '../../../api/core/clicks'
import { rowsOf } from '../../../api/ports/database'
import {
  client,
  createHarness,
  type Harness,
  readJson,
  testSigningSecret,
} from '../../../api/testing/harness'
import * as api from '../../../schema/api'
import * as answers from '../answers'
import { act, browser, startEngagement } from '../testing/server'
import { commentLimits } from './routes'
import { recountOf, storedCounts } from './store'

let h: Harness
let campaignId: string
let variantId: string
beforeAll(async () => {
  h = await createHarness()
  ;({ campaignId, variantId } = await startEngagement(h.app, h.a))
})
afterAll(() => h.close())

let serial = 0
const visitor = () => `eng-visitor-${++serial}`

type Answer = {
  counts: {
    likes: number
    reactions: Record<string, number>
    shares: number
    comments: number
    votes?: Record<string, number>
    voters: number
  }
  state: { liked: boolean; reaction: string | null; voted: string[] }
  comment?: { id: string; status: string; text: string; name?: string; createdAt: string }
  comments?: { id: string; text: string; name?: string }[]
}

const body = (anonymousId: string, rest: Record<string, unknown>, id = campaignId) => ({
  site: h.a.publishableKey,
  campaignId: id,
  variantId: id === campaignId ? variantId : undefined,
  anonymousId,
  ...rest,
})

const ok = async (res: Response, status = 200) => {
  expect(res.status, await res.clone().text()).toBe(status)
  return (await readJson(res, answers.engagementAnswer)) as Answer
}

const count = async (query: ReturnType<typeof sql>) =>
  Number(rowsOf<{ n: number | string }>(await h.database.db.execute(query))[0]!.n)
const eventsNamed = (name: string, id = campaignId) =>
  count(sql`select count(*) as n from events where campaign_id = ${id} and name = ${name}`)
const rollup = (metric: string, id = campaignId) =>
  count(
    sql`select coalesce(sum(n), 0) as n from rollups_daily where campaign_id = ${id} and metric = ${metric}`,
  )

/** The kept counts equal a recount of the rows: no write moved them by more or less than it changed. */
const expectNoDrift = async (id: string) => {
  const recount = [...(await recountOf(h.database.db, h.a.siteId, id))].filter(([, n]) => n !== 0)
  expect(Object.fromEntries(await storedCounts(h.database.db, h.a.siteId, id))).toEqual(
    Object.fromEntries(recount),
  )
}

const read = (id: string, anonymousId?: string, key = h.a.publishableKey) =>
  h.app.request(
    `/api/v1/engagements?site=${key}&campaignId=${id}${anonymousId ? `&anonymousId=${anonymousId}` : ''}`,
    { headers: { 'user-agent': browser } },
  )

describe('likes', () => {
  it('toggles: a second like is a no-op, unlike takes it back, and the KPI event counts once', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a)
    const ada = visitor()
    const first = await ok(await act(h.app, body(ada, { action: 'like' }, id)))
    expect(first.counts.likes).toBe(1)
    expect(first.state).toEqual({ liked: true, reaction: null, voted: [] })
    const again = await ok(await act(h.app, body(ada, { action: 'like' }, id)))
    expect(again).toEqual(first)
    const undone = await ok(await act(h.app, body(ada, { action: 'unlike' }, id)))
    expect(undone.counts.likes).toBe(0)
    expect(undone.state.liked).toBe(false)
    // Liking again after taking it back is the same visitor's like: the KPI stays one engagement.
    expect((await ok(await act(h.app, body(ada, { action: 'like' }, id)))).counts.likes).toBe(1)
    expect(await eventsNamed('like', id)).toBe(1)
    expect(await rollup('like', id)).toBe(1)
  })

  it('is exact under concurrency: 50 racing likes of one visitor make 1, 100 visitors make 100', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a)
    const one = visitor()
    const racing = await Promise.all(
      Array.from({ length: 50 }, () => act(h.app, body(one, { action: 'like' }, id))),
    )
    expect(racing.map((res) => res.status)).toEqual(Array(50).fill(200))
    expect((await ok(await read(id))).counts.likes).toBe(1)
    const many = await Promise.all(
      Array.from({ length: 100 }, (_, i) => act(h.app, body(`eng-crowd-${i}`, { action: 'like' }, id))),
    )
    expect(many.map((res) => res.status)).toEqual(Array(100).fill(200))
    expect((await ok(await read(id))).counts.likes).toBe(101)
    expect(await eventsNamed('like', id)).toBe(101)
    expect(await rollup('like', id)).toBe(101)
    // Likes and unlikes of the same visitors racing each other leave the count equal to the rows.
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        act(h.app, body(`eng-crowd-${i % 20}`, { action: i % 2 ? 'unlike' : 'like' }, id)),
      ),
    )
    await expectNoDrift(id)
  })

  it('does not count a crawler', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a)
    const res = await act(h.app, body(visitor(), { action: 'like' }, id), {
      'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    })
    expect((await ok(res)).counts.likes).toBe(0)
    expect(await count(sql`select count(*) as n from engagement_reactions where campaign_id = ${id}`)).toBe(0)
    expect(await eventsNamed('like', id)).toBe(0)
  })
})

describe('reactions', () => {
  it('keeps one reaction per visitor, switches it, and takes it back', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a)
    const ada = visitor()
    const loved = await ok(await act(h.app, body(ada, { action: 'react', reaction: 'love' }, id)))
    expect(loved.counts.reactions).toEqual({ like: 0, love: 1, haha: 0, wow: 0 })
    expect(loved.state.reaction).toBe('love')
    const wow = await ok(await act(h.app, body(ada, { action: 'react', reaction: 'wow' }, id)))
    expect(wow.counts.reactions).toEqual({ like: 0, love: 0, haha: 0, wow: 1 })
    // Taking back a reaction the visitor does not have changes nothing.
    await ok(await act(h.app, body(ada, { action: 'unreact', reaction: 'love' }, id)))
    const undone = await ok(await act(h.app, body(ada, { action: 'unreact', reaction: 'wow' }, id)))
    expect(undone.counts.reactions.wow).toBe(0)
    expect(undone.state.reaction).toBeNull()
    expect(await eventsNamed('react', id)).toBe(2)
    await expectNoDrift(id)
  })

  it('keeps the counts exact when one visitor’s reactions race each other', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a)
    const kinds = ['like', 'love', 'haha', 'wow']
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        act(
          h.app,
          body(
            `eng-racer-${i % 3}`,
            { action: i % 5 === 4 ? 'unreact' : 'react', reaction: kinds[i % 4] },
            id,
          ),
        ),
      ),
    )
    await expectNoDrift(id)
    const counts = (await ok(await read(id))).counts.reactions
    // Each of the three visitors holds at most one reaction.
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3)
  })

  it('refuses a reaction the campaign does not offer, at its field', async () => {
    const res = await act(h.app, body(visitor(), { action: 'react', reaction: 'angry' }))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe(
      'reaction',
    )
  })
})

describe('shares', () => {
  it('counts a share once per share id, and refuses a network the campaign does not offer', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a, { share: { networks: ['x', 'copy'] } })
    const shareId = crypto.randomUUID()
    const ada = visitor()
    expect(
      (await ok(await act(h.app, body(ada, { action: 'share', network: 'x', shareId }, id)))).counts.shares,
    ).toBe(1)
    expect(
      (await ok(await act(h.app, body(ada, { action: 'share', network: 'x', shareId }, id)))).counts.shares,
    ).toBe(1)
    expect(
      (await ok(await act(h.app, body(ada, { action: 'share', network: 'copy' }, id)))).counts.shares,
    ).toBe(2)
    expect(await eventsNamed('share', id)).toBe(2)
    const refused = await act(h.app, body(ada, { action: 'share', network: 'facebook' }, id))
    expect(refused.status).toBe(400)
    expect(
      ((await refused.json()) as { error: { details: { path: string }[] } }).error.details[0]!.path,
    ).toBe('network')
  })
})

describe('votes', () => {
  it('takes one vote per visitor and shows results after voting', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a)
    const ada = visitor()
    const before = await ok(await read(id, ada))
    expect(before.counts.votes).toBeUndefined()
    const voted = await ok(await act(h.app, body(ada, { action: 'vote', options: ['leek'] }, id)))
    expect(voted.counts.votes).toEqual({ leek: 1, pumpkin: 0, tomato: 0 })
    expect(voted.counts.voters).toBe(1)
    expect(voted.state.voted).toEqual(['leek'])
    const again = await act(h.app, body(ada, { action: 'vote', options: ['pumpkin'] }, id))
    expect(again.status).toBe(409)
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('already_voted')
    // The public answer is everyone's: with after_vote it never holds the results.
    expect((await ok(await read(id))).counts.votes).toBeUndefined()
    expect((await ok(await read(id, ada))).counts.votes).toEqual({ leek: 1, pumpkin: 0, tomato: 0 })
    expect(await eventsNamed('vote', id)).toBe(1)
    await expectNoDrift(id)
  })

  it('takes several options only when the poll allows it, and no option it does not have', async () => {
    const single = await act(h.app, body(visitor(), { action: 'vote', options: ['leek', 'tomato'] }))
    expect(single.status).toBe(400)
    expect(((await single.json()) as { error: { details: { path: string }[] } }).error.details[0]!.path).toBe(
      'options',
    )
    const unknown = await act(h.app, body(visitor(), { action: 'vote', options: ['nettle'] }))
    expect(unknown.status).toBe(400)
    expect(
      ((await unknown.json()) as { error: { details: { path: string }[] } }).error.details[0]!.path,
    ).toBe('options.0')
    const { campaignId: id } = await startEngagement(h.app, h.a, {
      poll: {
        question: 'Which soups?',
        options: [
          { id: 'leek', label: 'Leek' },
          { id: 'tomato', label: 'Tomato' },
        ],
        allowMultiple: true,
        showResults: 'always',
      },
    })
    const multiple = await ok(
      await act(h.app, body(visitor(), { action: 'vote', options: ['leek', 'tomato'] }, id)),
    )
    expect(multiple.counts.votes).toEqual({ leek: 1, tomato: 1 })
    expect(multiple.counts.voters).toBe(1)
    // showResults: always: everyone sees them, the public answer too.
    expect((await ok(await read(id))).counts.votes).toEqual({ leek: 1, tomato: 1 })
  })

  it('refuses a vote after the poll closed, and never shows results of a `never` poll', async () => {
    const poll = (extra: Record<string, unknown>) => ({
      poll: {
        question: 'Which soup?',
        options: [
          { id: 'leek', label: 'Leek' },
          { id: 'tomato', label: 'Tomato' },
        ],
        ...extra,
      },
    })
    const { campaignId: closed } = await startEngagement(
      h.app,
      h.a,
      poll({ closesAt: new Date(h.now.value + 60_000).toISOString() }),
    )
    await ok(await act(h.app, body(visitor(), { action: 'vote', options: ['leek'] }, closed)))
    h.now.value += 60_000
    const late = await act(h.app, body(visitor(), { action: 'vote', options: ['leek'] }, closed))
    expect(late.status).toBe(409)
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('poll_closed')
    const { campaignId: never } = await startEngagement(h.app, h.a, poll({ showResults: 'never' }))
    const ada = visitor()
    const voted = await ok(await act(h.app, body(ada, { action: 'vote', options: ['tomato'] }, never)))
    expect(voted.counts.votes).toBeUndefined()
    expect(voted.counts.voters).toBe(1)
    expect((await ok(await read(never, ada))).counts.votes).toBeUndefined()
  })
})

describe('comments', () => {
  const markup = '<script>alert("x")</script> <b>bold</b> & friends'

  it('stores markup as the literal text and lists it as JSON text', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a)
    const res = await act(
      h.app,
      body(visitor(), { action: 'comment', text: `  ${markup}  `, name: '<i>Ada</i>' }, id),
    )
    const answer = await ok(res, 201)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(answer.comment).toMatchObject({ status: 'published', text: markup, name: '<i>Ada</i>' })
    expect(answer.counts.comments).toBe(1)
    const [row] = rowsOf<{ text: string }>(
      await h.database.db.execute(sql`select text from engagement_comments where id = ${answer.comment!.id}`),
    )
    expect(row!.text).toBe(markup)
    const listed = await ok(await read(id))
    expect(listed.comments).toEqual([
      { id: answer.comment!.id, name: '<i>Ada</i>', text: markup, createdAt: answer.comment!.createdAt },
    ])
    expect(await eventsNamed('comment', id)).toBe(1)
  })

  it('holds a pre-moderated comment until approved; rejected and deleted ones are never listed', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a, { comments: { moderation: 'pre' } })
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const held = await ok(await act(h.app, body(visitor(), { action: 'comment', text: 'First!' }, id)), 201)
    expect(held.comment!.status).toBe('pending')
    expect(held.counts.comments).toBe(0)
    expect((await ok(await read(id))).comments).toEqual([])

    const pending = await admin.get(`/api/v1/engagements/comments?campaignId=${id}&status=pending`)
    expect(pending.status).toBe(200)
    expect(pending.headers.get('cache-control')).toBe('no-store')
    const list = await readJson(pending, api.pageOf(answers.listedComment))
    expect(list.data).toHaveLength(1)
    expect(list.data[0]).toMatchObject({
      id: held.comment!.id,
      siteId: h.a.siteId,
      campaignId: id,
      campaignName: 'Winter recipe',
      text: 'First!',
      status: 'pending',
    })

    const approved = await admin.post(`/api/v1/engagements/comments/${held.comment!.id}/approve`)
    expect(approved.status).toBe(200)
    expect((await readJson(approved, answers.engagementComment)).status).toBe('published')
    const shown = await ok(await read(id))
    expect(shown.comments!.map((c) => c.id)).toEqual([held.comment!.id])
    expect(shown.counts.comments).toBe(1)

    const other = await ok(
      await act(h.app, body(visitor(), { action: 'comment', text: 'Spam spam' }, id)),
      201,
    )
    expect((await admin.post(`/api/v1/engagements/comments/${other.comment!.id}/reject`)).status).toBe(200)
    expect((await ok(await read(id))).comments!.map((c) => c.id)).toEqual([held.comment!.id])
    const rejected = await readJson(
      await admin.get(`/api/v1/engagements/comments?campaignId=${id}&status=rejected`),
      api.pageOf(answers.listedComment),
    )
    expect(rejected.data.map((c) => c.id)).toEqual([other.comment!.id])

    expect((await admin.delete(`/api/v1/engagements/comments/${held.comment!.id}`)).status).toBe(204)
    expect((await ok(await read(id))).comments).toEqual([])
    expect((await admin.delete(`/api/v1/engagements/comments/${held.comment!.id}`)).status).toBe(404)
    await expectNoDrift(id)
  })

  it('keeps the published count exact when moderators race on one comment', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a, { comments: { moderation: 'pre' } })
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const held = await ok(await act(h.app, body(visitor(), { action: 'comment', text: 'Race me' }, id)), 201)
    const path = `/api/v1/engagements/comments/${held.comment!.id}`
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => admin.post(`${path}/${i % 2 ? 'reject' : 'approve'}`)),
    )
    expect(answers.map((res) => res.status)).toEqual(Array(30).fill(200))
    await expectNoDrift(id)
    await Promise.all([admin.post(`${path}/approve`), admin.delete(path), admin.post(`${path}/reject`)])
    await expectNoDrift(id)
  })

  it('pages the moderation list newest first', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a)
    for (let i = 0; i < 3; i++) {
      h.now.value += 1_000
      await ok(await act(h.app, body(visitor(), { action: 'comment', text: `Comment ${i}` }, id)), 201)
    }
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const first = (await (
      await admin.get(`/api/v1/engagements/comments?campaignId=${id}&limit=2`)
    ).json()) as {
      data: { text: string }[]
      nextCursor: string
    }
    expect(first.data.map((c) => c.text)).toEqual(['Comment 2', 'Comment 1'])
    const second = (await (
      await admin.get(`/api/v1/engagements/comments?campaignId=${id}&limit=2&cursor=${first.nextCursor}`)
    ).json()) as { data: { text: string }[]; nextCursor: string | null }
    expect(second.data.map((c) => c.text)).toEqual(['Comment 0'])
    expect(second.nextCursor).toBeNull()
  })

  it('limits comments per visitor with 429 and Retry-After, and not their likes', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a)
    const ada = visitor()
    for (let i = 0; i < 5; i++)
      await ok(await act(h.app, body(ada, { action: 'comment', text: `Note ${i}` }, id)), 201)
    const refused = await act(h.app, body(ada, { action: 'comment', text: 'One more' }, id))
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    await ok(await act(h.app, body(ada, { action: 'like' }, id)))
    await ok(await act(h.app, body(visitor(), { action: 'comment', text: 'Someone else' }, id)), 201)
    expect(await count(sql`select count(*) as n from engagement_comments where campaign_id = ${id}`)).toBe(6)
  })

  it('limits comments per address across visitors, behind a proxy that names the address', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a)
    const proxied = createApp({
      database: h.database,
      signingSecret: testSigningSecret,
      now: () => h.now.value,
      clientIpHeader: 'x-forwarded-for',
    })
    const from = (ip: string, text: string) =>
      act(proxied, body(visitor(), { action: 'comment', text }, id), { 'x-forwarded-for': ip })
    for (let i = 0; i < commentLimits.address.limit; i++)
      expect((await from('198.51.100.7', `n${i}`)).status).toBe(201)
    const refused = await from('198.51.100.7', 'one more')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('60')
    expect((await from('198.51.100.8', 'another address')).status).toBe(201)
  })

  it('refuses a comment longer than the campaign allows, at text', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a, { comments: { maxLength: 10 } })
    const res = await act(h.app, body(visitor(), { action: 'comment', text: 'x'.repeat(11) }, id))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { details: { path: string }[] } }).error.details).toEqual([
      { path: 'text', message: 'at most 10 characters' },
    ])
  })
})

describe('bad input', () => {
  const paths = async (res: Response) => {
    expect(res.status).toBe(400)
    const answer = (await res.json()) as { error: { code: string; details: { path: string }[] } }
    expect(answer.error.code).toBe('validation_failed')
    return answer.error.details.map((d) => d.path)
  }

  it('names the failing field', async () => {
    expect(await paths(await act(h.app, body(visitor(), { action: 'wave' })))).toEqual(['action'])
    expect(await paths(await act(h.app, body(visitor(), { action: 'react' })))).toEqual(['reaction'])
    expect(await paths(await act(h.app, body(visitor(), { action: 'vote' })))).toEqual(['options'])
    expect(await paths(await act(h.app, body(visitor(), { action: 'comment', text: '   ' })))).toEqual([
      'text',
    ])
    expect(await paths(await act(h.app, body('x'.repeat(65), { action: 'like' })))).toEqual(['anonymousId'])
    expect(await paths(await act(h.app, body(visitor(), { action: 'like', extra: 1 })))).toEqual(['extra'])
    expect(
      await paths(await act(h.app, body(visitor(), { action: 'comment', text: 'hi', name: 'n'.repeat(81) }))),
    ).toEqual(['name'])
    expect(
      await paths(await act(h.app, body(visitor(), { action: 'like', url: 'javascript:alert(1)' }))),
    ).toEqual(['url'])
    expect(
      await paths(await act(h.app, body(visitor(), { action: 'like', variantId: crypto.randomUUID() }))),
    ).toEqual(['variantId'])
    expect(
      await paths(await act(h.app, body(visitor(), { action: 'like', visitorToken: 'not-the-token' }))),
    ).toEqual(['visitorToken'])
  })

  it('accepts the visitor token served to this anonymous id', async () => {
    const ada = visitor()
    const token = new ClickSigner(testSigningSecret).visitorToken(h.a.siteId, ada)
    await ok(await act(h.app, body(ada, { action: 'like', visitorToken: token })))
  })

  it('answers 422 for an action the campaign does not take', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a, { engagementTypes: ['like'] })
    const res = await act(h.app, body(visitor(), { action: 'comment', text: 'Hello' }, id))
    expect(res.status).toBe(422)
    const answer = (await res.json()) as { error: { code: string; message: string; details: unknown } }
    expect(answer.error.code).toBe('unprocessable')
    expect(answer.error.message).toContain('comment')
    expect(answer.error.details).toEqual([
      { path: 'action', message: 'comment is not enabled for this campaign' },
    ])
  })

  it('answers 404 for a campaign that is not an active engagement campaign of this site', async () => {
    const { campaignId: draft } = await startEngagement(h.app, h.a, {}, false)
    expect((await act(h.app, body(visitor(), { action: 'like' }, draft))).status).toBe(404)
    expect((await act(h.app, body(visitor(), { action: 'like' }, crypto.randomUUID()))).status).toBe(404)
  })
})

describe('reading counts', () => {
  it('answers the public read cacheably with an ETag, and the visitor read privately with its state', async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a)
    const ada = visitor()
    await ok(await act(h.app, body(ada, { action: 'like' }, id)))
    const shared = await read(id)
    expect(shared.status).toBe(200)
    expect(shared.headers.get('cache-control')).toBe('public, max-age=15')
    const etag = shared.headers.get('etag')
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/)
    const answer = (await shared.json()) as Answer
    expect(answer.state).toBeUndefined()
    expect(answer.counts.likes).toBe(1)
    const unchanged = await h.app.request(`/api/v1/engagements?site=${h.a.publishableKey}&campaignId=${id}`, {
      headers: { 'if-none-match': etag!, 'user-agent': browser, origin: h.a.origin },
    })
    expect(unchanged.status).toBe(304)
    expect(unchanged.headers.get('access-control-allow-origin')).toBe(h.a.origin)
    expect(unchanged.headers.get('vary')).toBe('Origin')
    await ok(await act(h.app, body(visitor(), { action: 'like' }, id)))
    expect((await read(id)).headers.get('etag')).not.toBe(etag)

    const own = await read(id, ada)
    expect(own.headers.get('cache-control')).toBe('private, no-store')
    expect(((await own.json()) as Answer).state).toEqual({ liked: true, reaction: null, voted: [] })
  })

  it('answers CORS for the site’s own origins only', async () => {
    const allowed = await h.app.request(
      `/api/v1/engagements?site=${h.a.publishableKey}&campaignId=${campaignId}`,
      {
        headers: { origin: h.a.origin },
      },
    )
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(h.a.origin)
    const foreign = await act(h.app, body(visitor(), { action: 'like' }), { origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
  })
})

describe('tenant isolation', () => {
  it("keeps site B's key from liking, reading or moderating site A's campaign", async () => {
    const { campaignId: id } = await startEngagement(h.app, h.a)
    const comment = await ok(await act(h.app, body(visitor(), { action: 'comment', text: 'Mine' }, id)), 201)
    const asB = { ...body(visitor(), { action: 'like' }, id), site: h.b.publishableKey }
    expect((await act(h.app, asB)).status).toBe(404)
    expect((await read(id, undefined, h.b.publishableKey)).status).toBe(404)
    expect(await count(sql`select count(*) as n from engagement_reactions where campaign_id = ${id}`)).toBe(0)

    const adminB = client(h.app, { secretKey: h.b.secretKey })
    expect((await adminB.post(`/api/v1/engagements/comments/${comment.comment!.id}/approve`)).status).toBe(
      404,
    )
    expect((await adminB.post(`/api/v1/engagements/comments/${comment.comment!.id}/reject`)).status).toBe(404)
    expect((await adminB.delete(`/api/v1/engagements/comments/${comment.comment!.id}`)).status).toBe(404)
    const listB = (await (await adminB.get(`/api/v1/engagements/comments?campaignId=${id}`)).json()) as {
      data: unknown[]
    }
    expect(listB.data).toEqual([])
    expect((await adminB.get(`/api/v1/engagements/comments?siteId=${h.a.siteId}`)).status).toBe(404)
    expect((await client(h.app).get('/api/v1/engagements/comments')).status).toBe(401)
    expect((await ok(await read(id))).comments!.map((c) => c.id)).toEqual([comment.comment!.id])
  })
})

describe('serving and analytics', () => {
  it('serves the campaign inline into its slot with its config and a visitor token', async () => {
    await startEngagement(h.app, h.a)
    const res = await h.app.request('/api/v1/serve', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': browser },
      body: JSON.stringify({ site: h.a.publishableKey, anonymousId: 'eng-served', slots: ['article-end'] }),
    })
    expect(res.status).toBe(200)
    const served = (await res.json()) as { decisions: Record<string, unknown>[] }
    // Of the site's engagement campaigns in this slot, one is chosen.
    const decision = served.decisions.find((d) => d.slot === 'article-end')
    expect(decision).toMatchObject({
      format: 'inline',
      type: 'engagement',
      creative: { headline: 'Did you like this recipe?' },
    })
    expect(decision!.config).toMatchObject({ contentId: 'recipe-42', engagementTypes: expect.any(Array) })
    expect(decision!.visitorToken).toBe(
      new ClickSigner(testSigningSecret).visitorToken(h.a.siteId, 'eng-served'),
    )
  })

  it("adds engagement's KPIs to the campaign analytics: totals, series and variants", async () => {
    const { campaignId: id, variantId: vid } = await startEngagement(h.app, h.a, {
      comments: { moderation: 'pre' },
    })
    const at = new Date(h.now.value).toISOString()
    const events = []
    for (let i = 0; i < 10; i++) {
      for (const name of ['impression', 'viewable'])
        events.push({
          id: crypto.randomUUID(),
          name,
          timestamp: at,
          anonymousId: `kpi-${i}`,
          campaignId: id,
          variantId: vid,
        })
    }
    events.push({
      id: crypto.randomUUID(),
      name: 'share_landing',
      timestamp: at,
      anonymousId: 'kpi-friend',
      campaignId: id,
      props: { share: 'x' },
    })
    const sent = await h.app.request('/api/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': browser },
      body: JSON.stringify({ site: h.a.publishableKey, batch: events }),
    })
    expect(sent.status).toBe(200)
    const actor = (n: number, rest: Record<string, unknown>) => ({
      ...body(`kpi-${n}`, rest, id),
      variantId: vid,
    })
    await ok(await act(h.app, actor(0, { action: 'like' })))
    await ok(await act(h.app, actor(1, { action: 'react', reaction: 'love' })))
    await ok(await act(h.app, actor(2, { action: 'share', network: 'copy' })))
    await ok(await act(h.app, actor(3, { action: 'comment', text: 'Nice' })), 201)
    await ok(await act(h.app, actor(4, { action: 'vote', options: ['pumpkin'] })))
    await ok(await act(h.app, actor(5, { action: 'vote', options: ['pumpkin'] })))

    const res = await client(h.app, { secretKey: h.a.secretKey }).get(`/api/v1/campaigns/${id}/analytics`)
    expect(res.status).toBe(200)
    const analytics = (await res.json()) as {
      totals: Record<string, unknown>
      series: Record<string, unknown>[]
      byVariant: Record<string, unknown>[]
    }
    const rates = { engagementRate: 0.4, shareRate: 0.1, amplification: 1, pollParticipation: 0.2 }
    expect(analytics.totals).toMatchObject({
      ...rates,
      pollResults: [
        { id: 'leek', label: 'Leek', votes: 0 },
        { id: 'pumpkin', label: 'Pumpkin', votes: 2 },
        { id: 'tomato', label: 'Tomato', votes: 0 },
      ],
      commentsByStatus: { pending: 1, published: 0, rejected: 0 },
    })
    expect(analytics.series.at(-1)).toMatchObject(rates)
    // The landing came through a shared link, which names no variant: the variant's amplification is its own.
    expect(analytics.byVariant[0]).toMatchObject({
      variantId: vid,
      engagementRate: 0.4,
      shareRate: 0.1,
      amplification: 0,
      pollParticipation: 0.2,
      commentsByStatus: { pending: 1, published: 0, rejected: 0 },
    })
  })
})
