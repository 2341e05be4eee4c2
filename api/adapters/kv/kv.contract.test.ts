import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis as UpstashClient } from '@upstash/redis/cloudflare'
import fc from 'fast-check'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Cap, ClaimCandidate, ClaimRequest, Kv, ProfileRule } from '../../ports/kv'
import { startUpstashBridge, type UpstashBridge } from '../../testing/upstash-bridge'
import { MemoryKv } from './memory'
import { RedisKv } from './redis'
import { visitorKey, visitorTtlMs } from './scripts'
import { UpstashKv } from './upstash'

/**
 * One contract, every adapter: the memory adapter always, Redis over TCP and Upstash over REST (through a local
 * bridge to the same Redis) when REDIS_URL is set. Every test uses fresh site and visitor ids, so runs and
 * adapters never see each other's state.
 */

const redisUrl = process.env.REDIS_URL

interface Adapter {
  name: string
  open(): Promise<Kv>
}

let bridge: UpstashBridge | undefined
const bridged = async () => {
  bridge ??= await startUpstashBridge(redisUrl!)
  return bridge
}

const adapters: Adapter[] = [{ name: 'MemoryKv', open: async () => new MemoryKv() }]
if (redisUrl) {
  adapters.push(
    { name: 'RedisKv', open: async () => new RedisKv(redisUrl) },
    {
      name: 'UpstashKv',
      open: async () => {
        const { url, token } = await bridged()
        return new UpstashKv({ url, token })
      },
    },
    {
      // A client configured as Upstash's defaults have it: base64 replies, JSON parsing, auto-pipelining.
      name: 'UpstashKv over a default client',
      open: async () => {
        const { url, token } = await bridged()
        return new UpstashKv(new UpstashClient({ url, token, enableTelemetry: false }))
      },
    },
  )
}

afterAll(async () => {
  await bridge?.close()
})

if (!redisUrl) {
  describe.skip('Kv contract: RedisKv and UpstashKv skipped, set REDIS_URL to run them', () => {
    it('runs against a real Redis', () => {})
  })
}

const hourMs = 3_600_000
const dayMs = 86_400_000
/** Monday 5 January 2026, 10:00 UTC. */
const monday = Date.UTC(2026, 0, 5, 10)
const leaseMs = 60_000

const id = (kind: string) => `${kind}-${randomUUID()}`

function request(site: string, visitor: string, now: number, groups: ClaimCandidate[][], session = 's1') {
  return { site, visitor, session, now, leaseMs, groups } satisfies ClaimRequest
}

for (const adapter of adapters)
  describe(`Kv contract: ${adapter.name}`, () => {
    let kv: Kv
    let site: string
    let visitor: string

    beforeAll(async () => {
      kv = await adapter.open()
      return () => kv.close()
    })

    /** Fresh ids per test; `claimOne` answers for the only group. */
    const fresh = () => {
      site = id('site')
      visitor = id('visitor')
    }
    const claimOne = async (candidates: ClaimCandidate[], now: number, session = 's1') => {
      const result = await kv.claim(request(site, visitor, now, [candidates], session))
      return { chosen: result.chosen[0], reasons: result.skipped[0] }
    }
    const capped = (campaign: string, cap: Cap): ClaimCandidate => ({ campaign, cap })
    const claims = async (candidate: ClaimCandidate, now: number, times: number) => {
      let made = 0
      for (let i = 0; i < times; i++) if ((await claimOne([candidate], now)).chosen === 0) made++
      return made
    }

    describe('claims', () => {
      it('chooses the first candidate that passes in each group and examines no further', async () => {
        fresh()
        const result = await kv.claim(
          request(site, visitor, monday, [
            [{ campaign: 'a' }, { campaign: 'b' }],
            [],
            [{ campaign: 'c', when: { segment: 'vip' } }, { campaign: 'd' }, { campaign: 'e' }],
          ]),
        )
        expect(result).toEqual({ chosen: [0, -1, 1], skipped: [[null], [], ['profile', null]], version: 0 })
      })

      it('reads campaigns and rules of any text: separators, digits, accents, emoji, a lone surrogate', async () => {
        // The claim script gets each group's candidates packed in one argument, every text after its length in
        // UTF-8 bytes, which no character of an id or a rule may throw off.
        fresh()
        const odd = ['12:3|4', 'café', '🎉:🎉', '\ud800x', '']
        await kv.setProfiles([
          { site, visitor, segments: ['ü|1:2', '🎉'], traits: { 'k:é': 'v|🎉' }, returning: false },
        ])
        const result = await kv.claim(
          request(site, visitor, monday, [
            [
              { campaign: odd[0]!, when: { segment: 'ü|1:3' } },
              { campaign: odd[1]!, pace: { limit: 0 } },
              { campaign: odd[2]!, when: { all: [{ segment: 'ü|1:2' }, { segment: '🎉' }] } },
            ],
            [
              { campaign: odd[2]! },
              { campaign: odd[3]!, when: { trait: 'k:é', op: 'equals', value: 'v|🎉' } },
            ],
            [{ campaign: odd[4]!, cap: { lifetime: 1, countOn: 'serve' } }],
          ]),
        )
        expect(result).toEqual({
          chosen: [2, 1, 0],
          skipped: [['profile', 'paced', null], ['used', null], [null]],
          version: 0,
        })
        expect((await claimOne([capped('', { lifetime: 1, countOn: 'serve' })], monday)).chosen).toBe(-1)
      })

      it('answers -1 when every candidate is skipped, with every reason', async () => {
        fresh()
        const result = await kv.claim(
          request(site, visitor, monday, [
            [
              { campaign: 'a', when: { returning: true } },
              { campaign: 'b', pace: { limit: 0 } },
            ],
          ]),
        )
        expect(result.chosen).toEqual([-1])
        expect(result.skipped).toEqual([['profile', 'paced']])
      })

      it('skips a campaign chosen by an earlier group, but not one only passed over', async () => {
        fresh()
        const result = await kv.claim(
          request(site, visitor, monday, [
            [{ campaign: 'x', when: { segment: 'none' } }, { campaign: 'a' }],
            [{ campaign: 'a' }, { campaign: 'x' }],
            [{ campaign: 'a' }, { campaign: 'x' }, { campaign: 'b' }],
          ]),
        )
        expect(result.chosen).toEqual([1, 1, 2])
        expect(result.skipped).toEqual([
          ['profile', null],
          ['used', null],
          ['used', 'used', null],
        ])
      })

      it('checks in order: used, profile, pace, caps, gap, fatigue', async () => {
        fresh()
        const failing: ProfileRule = { segment: 'none' }
        const first = await kv.claim(
          request(site, visitor, monday, [
            [{ campaign: 'a' }],
            [{ campaign: 'a', when: failing, pace: { limit: 0 } }],
          ]),
        )
        expect(first.skipped[1]).toEqual(['used'])
        expect(
          (await claimOne([{ campaign: 'b', when: failing, pace: { limit: 0 } }], monday)).reasons,
        ).toEqual(['profile'])

        const cap: Cap = { hour: 1, gapMs: 2 * hourMs, countOn: 'serve' }
        const candidate = (pace?: number): ClaimCandidate => ({
          campaign: 'c',
          cap,
          interruptive: true,
          ...(pace === undefined ? {} : { pace: { limit: pace } }),
        })
        expect((await claimOne([candidate()], monday)).chosen).toBe(0)
        expect((await claimOne([candidate(0)], monday)).reasons).toEqual(['paced'])
        expect((await claimOne([candidate()], monday)).reasons).toEqual(['cap_hour'])
        expect((await claimOne([candidate()], monday + hourMs)).reasons).toEqual(['gap'])
        expect((await claimOne([candidate()], monday + 2 * hourMs)).reasons).toEqual(['fatigue'])
        expect((await claimOne([candidate()], monday + 2 * hourMs, 's2')).chosen).toBe(0)
      })

      it('leaves uncapped, unpaced, rule-free, non-interruptive candidates free to repeat', async () => {
        fresh()
        for (let i = 0; i < 5; i++) expect((await claimOne([{ campaign: 'a' }], monday)).chosen).toBe(0)
      })
    })

    describe('frequency caps counted on serve', () => {
      it('caps within the UTC hour and frees at the next hour', async () => {
        fresh()
        const candidate = capped('a', { hour: 2, countOn: 'serve' })
        expect(await claims(candidate, monday, 3)).toBe(2)
        expect((await claimOne([candidate], monday + hourMs - 1)).reasons).toEqual(['cap_hour'])
        expect(await claims(candidate, monday + hourMs, 3)).toBe(2)
      })

      it('caps within the UTC day, not 24 hours', async () => {
        fresh()
        const candidate = capped('a', { day: 1, countOn: 'serve' })
        const lateEvening = Date.UTC(2026, 0, 5, 23, 30)
        expect(await claims(candidate, lateEvening, 2)).toBe(1)
        expect((await claimOne([candidate], Date.UTC(2026, 0, 5, 23, 59, 59, 999))).reasons).toEqual([
          'cap_day',
        ])
        expect((await claimOne([candidate], Date.UTC(2026, 0, 6))).chosen).toBe(0)
      })

      it('caps within the ISO week, which starts on Monday 00:00 UTC', async () => {
        fresh()
        const candidate = capped('a', { week: 1, countOn: 'serve' })
        expect((await claimOne([candidate], Date.UTC(2026, 0, 5))).chosen).toBe(0)
        expect((await claimOne([candidate], Date.UTC(2026, 0, 11, 23, 59, 59, 999))).reasons).toEqual([
          'cap_week',
        ])
        expect((await claimOne([candidate], Date.UTC(2026, 0, 12))).chosen).toBe(0)
        // Sunday and the Monday after it fall in different weeks.
        fresh()
        expect((await claimOne([candidate], Date.UTC(2026, 0, 18, 12))).chosen).toBe(0)
        expect((await claimOne([candidate], Date.UTC(2026, 0, 19))).chosen).toBe(0)
      })

      it('caps for a lifetime', async () => {
        fresh()
        const candidate = capped('a', { lifetime: 2, countOn: 'serve' })
        expect(await claims(candidate, monday, 2)).toBe(2)
        expect((await claimOne([candidate], monday + 300 * dayMs)).reasons).toEqual(['cap_lifetime'])
      })

      it('reports the first window exceeded, in the order hour, day, week, lifetime', async () => {
        fresh()
        await claimOne([capped('a', { lifetime: 1, countOn: 'serve' })], monday)
        const all: Cap = { hour: 1, day: 1, week: 1, lifetime: 1, countOn: 'serve' }
        expect((await claimOne([capped('a', all)], monday)).reasons).toEqual(['cap_hour'])
        expect((await claimOne([capped('a', all)], monday + hourMs)).reasons).toEqual(['cap_day'])
        expect((await claimOne([capped('a', all)], monday + dayMs)).reasons).toEqual(['cap_week'])
        expect((await claimOne([capped('a', all)], monday + 7 * dayMs)).reasons).toEqual(['cap_lifetime'])
      })

      it('keeps each window counting from its own start', async () => {
        fresh()
        const candidate = capped('a', { day: 3, week: 4, countOn: 'serve' })
        expect(await claims(candidate, monday, 2)).toBe(2)
        expect(await claims(candidate, monday + hourMs, 2)).toBe(1)
        expect(await claims(candidate, monday + dayMs, 2)).toBe(1)
        expect((await claimOne([candidate], monday + 2 * dayMs)).reasons).toEqual(['cap_week'])
      })

      it('counts per campaign and per visitor', async () => {
        fresh()
        const cap: Cap = { hour: 1, countOn: 'serve' }
        expect((await claimOne([capped('a', cap)], monday)).chosen).toBe(0)
        expect((await claimOne([capped('a', cap), capped('b', cap)], monday)).chosen).toBe(1)
        visitor = id('visitor')
        expect((await claimOne([capped('a', cap)], monday)).chosen).toBe(0)
      })

      it('spaces claims by gapMs from the last claim', async () => {
        fresh()
        const candidate = capped('a', { gapMs: 60_000, countOn: 'serve' })
        expect((await claimOne([candidate], monday)).chosen).toBe(0)
        expect((await claimOne([candidate], monday + 59_999)).reasons).toEqual(['gap'])
        expect((await claimOne([candidate], monday + 60_000)).chosen).toBe(0)
        expect((await claimOne([candidate], monday + 100_000)).reasons).toEqual(['gap'])
      })
    })

    describe('frequency caps counted on viewable', () => {
      it('holds a lease per claim that counts against the cap until it expires', async () => {
        fresh()
        const candidate = capped('a', { hour: 2, countOn: 'viewable' })
        expect(await claims(candidate, monday, 3)).toBe(2)
        expect((await claimOne([candidate], monday + leaseMs - 1)).reasons).toEqual(['cap_hour'])
        // Nothing became viewable: the leases lapse and the slots are free again.
        expect(await claims(candidate, monday + leaseMs, 3)).toBe(2)
      })

      it('turns a lease into a count when the impression becomes viewable', async () => {
        fresh()
        const candidate = capped('a', { hour: 2, countOn: 'viewable' })
        expect(await claims(candidate, monday, 2)).toBe(2)
        await kv.viewed(site, visitor, ['a'], monday + 1000)
        // One count and one lease: still capped; once the other lease lapses one slot opens, not two.
        expect((await claimOne([candidate], monday + 2000)).reasons).toEqual(['cap_hour'])
        expect(await claims(candidate, monday + leaseMs + 1, 2)).toBe(1)
        // The count lasts the hour; the new lease lapses.
        expect(await claims(candidate, monday + 3 * leaseMs, 2)).toBe(1)
        expect(await claims(candidate, monday + hourMs, 3)).toBe(2)
      })

      it('counts a viewable impression that arrives after its lease lapsed, in every window', async () => {
        fresh()
        const candidate = capped('a', { day: 1, lifetime: 2, countOn: 'viewable' })
        expect((await claimOne([candidate], monday)).chosen).toBe(0)
        await kv.viewed(site, visitor, ['a'], monday + 2 * leaseMs)
        expect((await claimOne([candidate], monday + 3 * leaseMs)).reasons).toEqual(['cap_day'])
        expect((await claimOne([candidate], monday + dayMs)).chosen).toBe(0)
        await kv.viewed(site, visitor, ['a'], monday + dayMs + 1)
        expect((await claimOne([candidate], monday + 5 * dayMs)).reasons).toEqual(['cap_lifetime'])
      })

      it('counts viewable impressions of several campaigns, even ones never claimed', async () => {
        fresh()
        await kv.viewed(site, visitor, ['a', 'b', 'b'], monday)
        const cap: Cap = { hour: 2, countOn: 'viewable' }
        const result = await claimOne([capped('b', cap), capped('a', cap)], monday)
        expect(result).toEqual({ chosen: 1, reasons: ['cap_hour', null] })
        expect((await claimOne([capped('a', cap)], monday)).reasons).toEqual(['cap_hour'])
      })

      it('releases the oldest live lease first', async () => {
        fresh()
        const candidate = capped('a', { lifetime: 3, countOn: 'viewable' })
        expect((await claimOne([candidate], monday)).chosen).toBe(0)
        expect((await claimOne([candidate], monday + leaseMs / 2)).chosen).toBe(0)
        await kv.viewed(site, visitor, ['a'], monday + leaseMs / 2 + 1)
        // Count 1 and the younger lease, alive until monday + 1.5 leases: capped at 3 with one more claim.
        expect((await claimOne([candidate], monday + leaseMs + 1)).chosen).toBe(0)
        expect((await claimOne([candidate], monday + leaseMs + 2)).reasons).toEqual(['cap_lifetime'])
        expect((await claimOne([candidate], monday + (3 * leaseMs) / 2)).chosen).toBe(0)
      })

      it('measures the gap from the last claim, not the last view', async () => {
        fresh()
        const candidate = capped('a', { gapMs: 10_000, countOn: 'viewable' })
        expect((await claimOne([candidate], monday)).chosen).toBe(0)
        await kv.viewed(site, visitor, ['a'], monday + 9_000)
        expect((await claimOne([candidate], monday + 10_000)).chosen).toBe(0)
      })
    })

    describe('the interruptive budget', () => {
      const popup = (campaign: string): ClaimCandidate => ({ campaign, interruptive: true })

      it('allows one interruptive unit per session', async () => {
        fresh()
        expect((await claimOne([popup('a')], monday, 's1')).chosen).toBe(0)
        expect(await claimOne([popup('b'), { campaign: 'c' }], monday + dayMs, 's1')).toEqual({
          chosen: 1,
          reasons: ['fatigue', null],
        })
        expect((await claimOne([popup('b')], monday + dayMs, 's2')).chosen).toBe(0)
        expect((await claimOne([popup('a')], monday + dayMs, 's2')).reasons).toEqual(['fatigue'])
      })

      it('spends the budget across the groups of one request', async () => {
        fresh()
        const result = await kv.claim(
          request(site, visitor, monday, [[popup('a')], [popup('b'), { campaign: 'c' }]]),
        )
        expect(result.chosen).toEqual([0, 1])
        expect(result.skipped).toEqual([[null], ['fatigue', null]])
      })

      it('lasts 30 minutes from the claim when the session is unknown', async () => {
        fresh()
        expect((await claimOne([popup('a')], monday, '')).chosen).toBe(0)
        expect((await claimOne([popup('b')], monday + 30 * 60_000 - 1, '')).reasons).toEqual(['fatigue'])
        expect((await claimOne([popup('b')], monday + 30 * 60_000, '')).chosen).toBe(0)
        // A known session is another session.
        expect((await claimOne([popup('c')], monday + 30 * 60_000 + 1, 's1')).chosen).toBe(0)
        expect((await claimOne([popup('d')], monday + 30 * 60_000 + 2, '')).chosen).toBe(0)
      })

      it('is kept per visitor', async () => {
        fresh()
        expect((await claimOne([popup('a')], monday)).chosen).toBe(0)
        visitor = id('visitor')
        expect((await claimOne([popup('a')], monday)).chosen).toBe(0)
      })
    })

    describe('pacing', () => {
      it('allows claims while the site-wide count is below the limit, across visitors', async () => {
        fresh()
        const paced: ClaimCandidate = { campaign: 'a', pace: { limit: 3 } }
        for (let i = 0; i < 3; i++) {
          visitor = id('visitor')
          expect((await claimOne([paced, { campaign: 'b' }], monday)).chosen).toBe(0)
        }
        visitor = id('visitor')
        expect(await claimOne([paced, { campaign: 'b' }], monday)).toEqual({
          chosen: 1,
          reasons: ['paced', null],
        })
        // A higher limit (the schedule moved on) allows more.
        expect((await claimOne([{ campaign: 'a', pace: { limit: 4 } }], monday)).chosen).toBe(0)
        site = id('site')
        expect((await claimOne([paced], monday)).chosen).toBe(0)
      })

      it('counts only claims made: a paced candidate skipped for another reason adds nothing', async () => {
        fresh()
        const paced: ClaimCandidate = { campaign: 'a', pace: { limit: 1 }, when: { segment: 'vip' } }
        expect((await claimOne([paced], monday)).reasons).toEqual(['profile'])
        await kv.setProfiles([{ site, visitor, segments: ['vip'], traits: {}, returning: false }])
        expect((await claimOne([paced], monday)).chosen).toBe(0)
        expect((await claimOne([paced], monday)).reasons).toEqual(['paced'])
      })
    })

    describe('check-only candidates (a held-out visitor’s stand-in)', () => {
      it('pass where a showing would and take nothing: no pace, no budget, no cap', async () => {
        fresh()
        const ghost: ClaimCandidate = {
          campaign: 'a',
          pace: { limit: 1 },
          interruptive: true,
          cap: { countOn: 'serve', lifetime: 1 },
          check: true,
        }
        expect((await claimOne([ghost], monday)).chosen).toBe(0)
        expect((await claimOne([ghost], monday + 1)).chosen).toBe(0)
        // Nothing was taken: the campaign's one paced, capped showing and the session's popup are still free.
        expect((await claimOne([{ ...ghost, check: undefined }], monday + 2)).chosen).toBe(0)
        expect(await claimOne([ghost], monday + 3)).toEqual({ chosen: -1, reasons: ['paced'] })
      })

      it('meet the interruptive budget as the request found it', async () => {
        fresh()
        const popup = (campaign: string, check?: true): ClaimCandidate => ({
          campaign,
          interruptive: true,
          check,
        })
        // A popup this request shows does not stand in the way of a held-back one drawn ahead of it.
        const first = await kv.claim(request(site, visitor, monday, [[popup('a')], [popup('b', true)]]))
        expect(first.chosen).toEqual([0, 0])
        // A popup an earlier request showed this session does.
        expect(await claimOne([popup('c', true)], monday + 1)).toEqual({ chosen: -1, reasons: ['fatigue'] })
        expect((await claimOne([popup('c', true)], monday + 1, 's2')).chosen).toBe(0)
      })
    })

    describe('profile rules', () => {
      const traits = { plan: 'pro', seats: 5, code: '5', beta: true, score: 2.5 }
      const check = async (when: ProfileRule) =>
        (await claimOne([{ campaign: 'a', when }], monday)).chosen === 0

      it('evaluates segments, returning and every trait operator', async () => {
        fresh()
        await kv.setProfiles([{ site, visitor, segments: ['vip', 'eu'], traits, returning: true }])
        const cases: [ProfileRule, boolean][] = [
          [{ segment: 'vip' }, true],
          [{ segment: 'us' }, false],
          [{ returning: true }, true],
          [{ returning: false }, false],
          [{ trait: 'plan', op: 'exists' }, true],
          [{ trait: 'missing', op: 'exists' }, false],
          [{ trait: 'plan', op: 'equals', value: 'pro' }, true],
          [{ trait: 'plan', op: 'equals', value: 'Pro' }, false],
          [{ trait: 'seats', op: 'equals', value: 5 }, true],
          [{ trait: 'seats', op: 'equals', value: '5' }, false],
          [{ trait: 'code', op: 'equals', value: 5 }, false],
          [{ trait: 'code', op: 'equals', value: '5' }, true],
          [{ trait: 'beta', op: 'equals', value: true }, true],
          [{ trait: 'beta', op: 'equals', value: 'true' }, false],
          [{ trait: 'beta', op: 'equals', value: 1 }, false],
          [{ trait: 'missing', op: 'equals', value: '' }, false],
          [{ trait: 'plan', op: 'in', values: ['free', 'pro'] }, true],
          [{ trait: 'seats', op: 'in', values: ['5', 6] }, false],
          [{ trait: 'seats', op: 'in', values: [4, 5] }, true],
          [{ trait: 'beta', op: 'in', values: [true] }, true],
          [{ trait: 'missing', op: 'in', values: [] }, false],
          [{ trait: 'seats', op: 'gt', value: 4 }, true],
          [{ trait: 'seats', op: 'gt', value: 5 }, false],
          [{ trait: 'seats', op: 'gte', value: 5 }, true],
          [{ trait: 'seats', op: 'lt', value: 5 }, false],
          [{ trait: 'seats', op: 'lte', value: 5 }, true],
          [{ trait: 'score', op: 'lt', value: 2.6 }, true],
          [{ trait: 'code', op: 'gt', value: 1 }, false],
          [{ trait: 'code', op: 'lt', value: 10 }, false],
          [{ trait: 'beta', op: 'gte', value: 0 }, false],
          [{ trait: 'missing', op: 'lte', value: 0 }, false],
        ]
        for (const [rule, expected] of cases) expect([rule, await check(rule)]).toEqual([rule, expected])
      })

      it('combines rules with all, any and not, nested', async () => {
        fresh()
        await kv.setProfiles([{ site, visitor, segments: ['vip'], traits, returning: false }])
        const cases: [ProfileRule, boolean][] = [
          [{ all: [] }, true],
          [{ any: [] }, false],
          [{ not: { segment: 'vip' } }, false],
          [{ not: { not: { segment: 'vip' } } }, true],
          [{ all: [{ segment: 'vip' }, { trait: 'seats', op: 'gte', value: 5 }] }, true],
          [{ all: [{ segment: 'vip' }, { returning: true }] }, false],
          [{ any: [{ returning: true }, { trait: 'plan', op: 'in', values: ['pro'] }] }, true],
          [
            {
              all: [
                { any: [{ segment: 'eu' }, { not: { returning: true } }] },
                { not: { any: [{ trait: 'seats', op: 'lt', value: 5 }, { segment: 'banned' }] } },
              ],
            },
            true,
          ],
          [
            {
              any: [
                { all: [{ segment: 'vip' }, { segment: 'eu' }] },
                { not: { trait: 'beta', op: 'exists' } },
              ],
            },
            false,
          ],
        ]
        for (const [rule, expected] of cases) expect([rule, await check(rule)]).toEqual([rule, expected])
      })

      it('treats a visitor without a profile as new, with no segments or traits', async () => {
        fresh()
        expect(await check({ returning: false })).toBe(true)
        expect(await check({ returning: true })).toBe(false)
        expect(await check({ segment: 'vip' })).toBe(false)
        expect(await check({ not: { trait: 'plan', op: 'exists' } })).toBe(true)
      })

      it('replaces the whole profile on every update, leaving caps alone', async () => {
        fresh()
        const cap = capped('c', { lifetime: 1, countOn: 'serve' })
        expect((await claimOne([cap], monday)).chosen).toBe(0)
        const other = {
          site: id('site'),
          visitor,
          segments: ['vip'],
          traits: { plan: 'pro' },
          returning: true,
        }
        await kv.setProfiles([
          { site, visitor, segments: ['vip'], traits: { plan: 'pro' }, returning: true },
          other,
        ])
        expect(await check({ all: [{ segment: 'vip' }, { returning: true }] })).toBe(true)
        await kv.setProfiles([{ site, visitor, segments: ['eu'], traits: { seats: 2 }, returning: false }])
        expect(await check({ segment: 'vip' })).toBe(false)
        expect(await check({ segment: 'eu' })).toBe(true)
        expect(await check({ trait: 'plan', op: 'exists' })).toBe(false)
        expect(await check({ trait: 'seats', op: 'equals', value: 2 })).toBe(true)
        expect(await check({ returning: false })).toBe(true)
        expect((await claimOne([cap], monday)).reasons).toEqual(['cap_lifetime'])
        // The other site's visitor of the same id kept its own profile.
        site = other.site
        expect(await check({ all: [{ segment: 'vip' }, { returning: true }] })).toBe(true)
      })
    })

    describe('the campaign-set version', () => {
      it('starts at 0, bumps by one per site, and comes back with every claim', async () => {
        fresh()
        expect(await kv.version(site)).toBe(0)
        expect(await kv.bump(site)).toBe(1)
        expect(await kv.bump(site)).toBe(2)
        expect(await kv.version(site)).toBe(2)
        expect((await kv.claim(request(site, visitor, monday, []))).version).toBe(2)
        expect(await kv.version(id('site'))).toBe(0)
      })
    })

    describe('rate-limit hits', () => {
      // Real time: Redis keeps the window by its own clock, so the window is short and the test waits it out.
      const windowMs = 300

      it('allows `limit` hits in a window, then answers the time left, per site and key', async () => {
        fresh()
        const now = Date.now()
        expect(await kv.hit(site, '203.0.113.7', 2, windowMs, now)).toBe(0)
        expect(await kv.hit(site, '203.0.113.7', 2, windowMs, now)).toBe(0)
        const left = await kv.hit(site, '203.0.113.7', 2, windowMs, now)
        expect(left).toBeGreaterThan(0)
        expect(left).toBeLessThanOrEqual(windowMs)
        expect(await kv.hit(site, '203.0.113.8', 2, windowMs, now)).toBe(0)
        expect(await kv.hit(id('site'), '203.0.113.7', 2, windowMs, now)).toBe(0)
      })

      it('opens a new window once the last one has closed', async () => {
        fresh()
        expect(await kv.hit(site, 'k', 1, windowMs, Date.now())).toBe(0)
        expect(await kv.hit(site, 'k', 1, windowMs, Date.now())).toBeGreaterThan(0)
        await new Promise((resolve) => setTimeout(resolve, windowMs + 100))
        expect(await kv.hit(site, 'k', 1, windowMs, Date.now())).toBe(0)
      })

      it('counts an amount as that many hits, a first report over the limit included', async () => {
        fresh()
        const now = Date.now()
        expect(await kv.hit(site, 'k', 5, 60_000, now, 4)).toBe(0)
        expect(await kv.hit(site, 'k', 5, 60_000, now, 1)).toBe(0)
        const left = await kv.hit(site, 'k', 5, 60_000, now, 1)
        expect(left).toBeGreaterThan(0)
        expect(left).toBeLessThanOrEqual(60_000)
        expect(await kv.hit(site, 'j', 5, 60_000, now, 6)).toBeGreaterThan(0)
        expect(await kv.hit(site, 'i', 5, 60_000, now, 5)).toBe(0)
      })

      it('lets exactly `limit` of 40 concurrent hits through', async () => {
        fresh()
        const now = Date.now()
        const answers = await Promise.all(Array.from({ length: 40 }, () => kv.hit(site, 'k', 5, 60_000, now)))
        expect(answers.filter((left) => left === 0)).toHaveLength(5)
      })
    })

    describe('under concurrency', () => {
      it('never gives more claims than the cap to 200 concurrent claims of one visitor', async () => {
        const kinds = ['hour', 'day', 'week', 'lifetime'] as const
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 25 }),
            fc.constantFrom<Cap['countOn']>('serve', 'viewable'),
            fc.constantFrom(...kinds),
            async (limit, countOn, kind) => {
              fresh()
              const candidate = capped('a', { [kind]: limit, countOn })
              const results = await Promise.all(
                Array.from({ length: 200 }, () => claimOne([candidate, { campaign: 'fallback' }], monday)),
              )
              expect(results.filter((result) => result.chosen === 0)).toHaveLength(limit)
              expect(results.filter((result) => result.chosen === 1)).toHaveLength(200 - limit)
            },
          ),
          { numRuns: 12, seed: 20260105 },
        )
      })

      it('never paces past the limit under 200 concurrent claims of different visitors', async () => {
        fresh()
        const results = await Promise.all(
          Array.from({ length: 200 }, () =>
            kv.claim(request(site, id('visitor'), monday, [[{ campaign: 'a', pace: { limit: 7 } }]])),
          ),
        )
        expect(results.filter((result) => result.chosen[0] === 0)).toHaveLength(7)
      })
    })

    if (adapter.name !== 'MemoryKv')
      it('agrees with MemoryKv on random sequences of operations', async () => {
        await fc.assert(
          fc.asyncProperty(
            start,
            fc.array(operation, { minLength: 1, maxLength: 30 }),
            async (startAt, operations) => {
              fresh()
              const reference = new MemoryKv()
              let now = startAt
              for (const op of operations) {
                now += op.advance
                if (op.kind === 'claim') {
                  const claim = { ...request(site, visitor, now, op.groups, op.session), leaseMs: op.leaseMs }
                  expect(await kv.claim(claim)).toEqual(await reference.claim(claim))
                } else if (op.kind === 'viewed') {
                  await kv.viewed(site, visitor, op.campaigns, now)
                  await reference.viewed(site, visitor, op.campaigns, now)
                } else {
                  const update = { site, visitor, ...op.profile }
                  await kv.setProfiles([update])
                  await reference.setProfiles([update])
                }
              }
            },
          ),
          { numRuns: 200, seed: 4242 },
        )
      })
  })

/**
 * Random operations for the comparison with the memory adapter: few names, so that they collide; small limits,
 * so that caps bite; time steps that land on lease ends and window edges.
 */
const campaignName = fc.constantFrom('a', 'b', 'c')
const traitValue = fc.constantFrom<string | number | boolean>(1, 2, '1', 'x', true, false, 2.5)
const traitName = fc.constantFrom('t1', 't2')
const leafRule: fc.Arbitrary<ProfileRule> = fc.oneof(
  fc.record({ segment: fc.constantFrom('s1', 's2') }),
  fc.record({ returning: fc.boolean() }),
  fc.record({ trait: traitName, op: fc.constant('exists' as const) }),
  fc.record({ trait: traitName, op: fc.constant('equals' as const), value: traitValue }),
  fc.record({
    trait: traitName,
    op: fc.constant('in' as const),
    values: fc.array(traitValue, { maxLength: 3 }),
  }),
  fc.record({
    trait: traitName,
    op: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const),
    value: fc.constantFrom(0, 1, 2, 3),
  }),
)
const { rule } = fc.letrec<{ rule: ProfileRule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafRule,
    fc.record({ all: fc.array(tie('rule'), { maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('rule'), { maxLength: 3 }) }),
    fc.record({ not: tie('rule') }),
  ),
}))
/** Present one time in four. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 })
const limit = fc.option(fc.constantFrom(1, 2, 3, 3, 0), { freq: 2, nil: undefined })
const cap: fc.Arbitrary<Cap> = fc.record({
  hour: limit,
  day: limit,
  week: limit,
  lifetime: limit,
  gapMs: fc.option(fc.constantFrom(0, 1000, 60_000, 3_600_000), { freq: 2, nil: undefined }),
  countOn: fc.constantFrom('serve' as const, 'viewable' as const),
})
const candidate: fc.Arbitrary<ClaimCandidate> = fc.record({
  campaign: campaignName,
  when: rarely(rule),
  cap: fc.option(cap, { freq: 3, nil: undefined }),
  interruptive: rarely(fc.constant(true)),
  pace: rarely(fc.record({ limit: fc.integer({ min: 0, max: 4 }) })),
  check: rarely(fc.constant(true as const)),
})
/** Two weeks from a Saturday; then mostly forward, sometimes a little back, as two servers' clocks differ. */
const start = fc.integer({ min: Date.UTC(2026, 0, 3), max: Date.UTC(2026, 0, 17) })
const advance = fc.oneof(
  { arbitrary: fc.constantFrom(0, 1, 500, 999, 1000, 30_000, 59_999, 60_000, -1000), weight: 4 },
  { arbitrary: fc.constantFrom(1_800_000, 3_600_000, 86_400_000, 604_800_000), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 2 * 86_400_000 }), weight: 1 },
)
const operation = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('claim' as const),
      advance,
      session: fc.constantFrom('', 's1', 's2'),
      leaseMs: fc.constantFrom(1000, 60_000),
      groups: fc.array(fc.array(candidate, { maxLength: 4 }), { minLength: 1, maxLength: 3 }),
    }),
    weight: 4,
  },
  fc.record({
    kind: fc.constant('viewed' as const),
    advance,
    campaigns: fc.array(campaignName, { maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constant('profile' as const),
    advance,
    profile: fc.record({
      segments: fc.subarray(['s1', 's2']),
      traits: fc.dictionary(traitName, traitValue),
      returning: fc.boolean(),
    }),
  }),
)

describe.skipIf(!redisUrl)('RedisKv storage layout (needs REDIS_URL)', () => {
  let redis: Redis
  let kv: RedisKv

  /** A campaign's stored state, decoded by Redis itself (MessagePack); false (never claimed) comes back null. */
  const campaignState = (key: string, campaign: string) =>
    redis.eval("return cmsgpack.unpack(redis.call('HGET', KEYS[1], ARGV[1]))", 1, key, `c:${campaign}`)

  beforeAll(() => {
    redis = new Redis(redisUrl!)
    kv = new RedisKv(redisUrl!, { prefix: 'promo-test:' })
    return async () => {
      await kv.close()
      await redis.quit()
    }
  })

  it('keeps one site under one hash tag and expires visitor state 400 days after its last write', async () => {
    const site = id('site')
    const visitor = id('visitor')
    await kv.claim(
      request(site, visitor, monday, [
        [{ campaign: 'a', cap: { day: 1, countOn: 'serve' }, pace: { limit: 9 } }],
      ]),
    )
    await kv.bump(site)
    const key = visitorKey('promo-test:', site, visitor)
    expect(key).toBe(`promo-test:{${site}}:v:${visitor}`)
    expect(await redis.hkeys(key)).toEqual(['c:a'])
    expect(await campaignState(key, 'a')).toEqual([Math.floor(monday / 3_600_000), 1, 1, 1, 1, monday])
    const ttl = await redis.pttl(key)
    expect(ttl).toBeGreaterThan(visitorTtlMs - 60_000)
    expect(ttl).toBeLessThanOrEqual(visitorTtlMs)
    expect(await redis.hget(`promo-test:{${site}}:pace`, 'a')).toBe('1')
    expect(await redis.get(`promo-test:{${site}}:ver`)).toBe('1')
  })

  it('writes nothing for a claim that needs no state', async () => {
    const site = id('site')
    const visitor = id('visitor')
    await kv.claim(request(site, visitor, monday, [[{ campaign: 'a' }, { campaign: 'b' }]]))
    expect(await redis.exists(visitorKey('promo-test:', site, visitor))).toBe(0)
  })

  it('keeps no more leases than the largest limit, one when the cap has only a gap', async () => {
    const site = id('site')
    const visitor = id('visitor')
    const cap: Cap = { gapMs: 1, countOn: 'viewable' }
    for (let i = 0; i < 5; i++) {
      await kv.claim({ ...request(site, visitor, monday + i, [[{ campaign: 'a', cap }]]), leaseMs: dayMs })
    }
    const state = await campaignState(visitorKey('promo-test:', site, visitor), 'a')
    expect(state).toEqual([0, 0, 0, 0, 0, monday + 4, monday + 4 + dayMs])
  })

  it('serves a request made before its connection is up', async () => {
    const early = new RedisKv(redisUrl!)
    expect(await early.version(id('site'))).toBe(0)
    await early.close()
  })

  it('reloads its scripts after SCRIPT FLUSH', async () => {
    await redis.script('FLUSH')
    const result = await kv.claim(request(id('site'), id('visitor'), monday, [[{ campaign: 'a' }]]))
    expect(result.chosen).toEqual([0])
  })

  it('rejects a request with a wrong token through the bridge', async () => {
    const { url } = await bridged()
    const wrong = new UpstashKv({ url, token: 'not-the-token' })
    await expect(wrong.version('x')).rejects.toThrow(/Unauthorized/)
  })
})

describe('failing fast without a store', () => {
  it('RedisKv rejects at once, without unhandled errors, and closes', async () => {
    const unhandled: unknown[] = []
    const collect = (error: unknown) => unhandled.push(error)
    process.on('uncaughtException', collect)
    process.on('unhandledRejection', collect)
    const kv = new RedisKv('redis://127.0.0.1:1')
    try {
      for (const operation of [
        () => kv.claim(request('s', 'v', monday, [[{ campaign: 'a', cap: { hour: 1, countOn: 'serve' } }]])),
        () => kv.viewed('s', 'v', ['a'], monday),
        () => kv.setProfiles([{ site: 's', visitor: 'v', segments: [], traits: {}, returning: false }]),
        () => kv.version('s'),
        () => kv.bump('s'),
      ]) {
        const started = performance.now()
        await expect(operation()).rejects.toThrow()
        expect(performance.now() - started).toBeLessThan(1500)
      }
      // Still failing fast while it keeps trying to reconnect in the background.
      await new Promise((resolve) => setTimeout(resolve, 300))
      const started = performance.now()
      await expect(kv.version('s')).rejects.toThrow()
      expect(performance.now() - started).toBeLessThan(1500)
    } finally {
      await kv.close()
      process.off('uncaughtException', collect)
      process.off('unhandledRejection', collect)
    }
    expect(unhandled).toEqual([])
  })
  it('UpstashKv gives up on a server that does not answer after its timeout', async () => {
    const silent = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { port } = silent.address() as AddressInfo
    const kv = new UpstashKv({ url: `http://127.0.0.1:${port}`, token: 't', commandTimeoutMs: 300 })
    try {
      const started = performance.now()
      await expect(kv.claim(request('s', 'v', monday, [[{ campaign: 'a' }]]))).rejects.toThrow()
      expect(performance.now() - started).toBeLessThan(1500)
    } finally {
      silent.closeAllConnections()
      silent.close()
    }
  })
})
