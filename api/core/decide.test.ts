import { describe, expect, it } from 'vitest'
import { assignVariant, bucketOf } from './bucket'
import { claimOn, newSiteState, visitorIn } from './capping'
import {
  chooseVariant,
  decide,
  finish,
  heldExposures,
  rank,
  type ServableCampaign,
  settleLocally,
} from './decide'

const campaign = (overrides: Partial<ServableCampaign> & { id: string }): ServableCampaign => ({
  name: overrides.id,
  type: 'awareness',
  format: 'hero',
  priority: 0,
  weight: 1,
  placements: ['home-hero'],
  schedule: { timezone: 'UTC' },
  targeting: {},
  frequency: { countOn: 'serve' },
  experiment: { holdoutPercent: 0 },
  pacing: null,
  config: {},
  variants: [{ id: `${overrides.id}-v1`, weight: 1, creative: { headline: 'Hi' } }],
  ...overrides,
})

const now = Date.parse('2026-11-29T12:00:00Z')
const visitor = { utm: {}, device: 'desktop' as const, url: 'https://a.example/' }
const input = (slots: string[], random = () => 0.5) => ({
  slots,
  anonymousId: 'visitor-1',
  now,
  random,
  visitor,
})

describe('decide', () => {
  it('fills a slot with the highest priority campaign that targets it', () => {
    const choices = decide(
      [
        campaign({ id: 'low', priority: 1 }),
        campaign({ id: 'high', priority: 5 }),
        campaign({ id: 'other', placements: ['sidebar'], priority: 9 }),
      ],
      input(['home-hero']),
    )
    expect(choices.map((c) => [c.slot, c.campaign.id])).toEqual([['home-hero', 'high']])
  })

  it('draws by weight inside a priority tier', () => {
    const pool = [campaign({ id: 'light', weight: 1 }), campaign({ id: 'heavy', weight: 3 })]
    let heavy = 0
    for (let i = 0; i < 4_000; i++) {
      if (decide(pool, input(['home-hero'], Math.random))[0]?.campaign.id === 'heavy') heavy++
    }
    // 3,000 expected; ±5 standard deviations (27) is far beyond chance.
    expect(Math.abs(heavy - 3_000)).toBeLessThan(140)
  })

  it('skips campaigns outside their schedule, including dayparting in their time zone', () => {
    const pool = [
      campaign({ id: 'ended', schedule: { timezone: 'UTC', end: '2026-11-01T00:00:00Z' } }),
      campaign({ id: 'future', schedule: { timezone: 'UTC', start: '2026-12-01T00:00:00Z' } }),
      // 12:00 UTC is 21:00 in Tokyo on a Sunday (day 0).
      campaign({
        id: 'morning-tokyo',
        schedule: { timezone: 'Asia/Tokyo', dayparting: [{ days: [0], from: '06:00', to: '12:00' }] },
      }),
    ]
    expect(decide(pool, input(['home-hero']))).toEqual([])
    const evening = campaign({
      id: 'evening-tokyo',
      schedule: { timezone: 'Asia/Tokyo', dayparting: [{ days: [0], from: '20:00', to: '23:00' }] },
    })
    expect(decide([...pool, evening], input(['home-hero']))[0]?.campaign.id).toBe('evening-tokyo')
  })

  it('leaves out campaigns whose targeting does not match the visitor', () => {
    const pool = [
      campaign({
        id: 'mobile-only',
        priority: 9,
        targeting: { include: { field: 'device', op: 'in', values: ['mobile'] } },
      }),
      campaign({
        id: 'not-home',
        priority: 5,
        targeting: { exclude: { field: 'url', op: 'equals', value: 'https://a.example/' } },
      }),
      campaign({ id: 'everyone' }),
    ]
    expect(decide(pool, input(['home-hero']))[0]?.campaign.id).toBe('everyone')
  })

  it('never shows one campaign twice on a page and adds page-level units once per position', () => {
    const pool = [
      campaign({ id: 'both', placements: ['a', 'b'] }),
      campaign({ id: 'bar-1', format: 'sticky', placements: [], priority: 1 }),
      campaign({ id: 'bar-2', format: 'sticky_bottom', placements: [] }),
      campaign({ id: 'modal', format: 'popup', placements: [] }),
    ]
    const choices = decide(pool, input(['a', 'b']))
    expect(choices.map((c) => c.campaign.id).sort()).toEqual(['bar-1', 'both', 'modal'])
    expect(choices.find((c) => c.campaign.id === 'both')?.slot).toBe('a')
    expect(choices.find((c) => c.campaign.id === 'modal')?.slot).toBeUndefined()
  })

  it('keeps a visitor on one variant and splits visitors by weight', () => {
    const ab = campaign({
      id: 'ab',
      variants: [
        { id: 'A', weight: 1, creative: { headline: 'A' } },
        { id: 'B', weight: 1, creative: { headline: 'B' } },
      ],
    })
    const first = chooseVariant(ab, 'visitor-42')?.id
    for (let i = 0; i < 5; i++) expect(chooseVariant(ab, 'visitor-42')?.id).toBe(first)
    let a = 0
    for (let i = 0; i < 10_000; i++) if (chooseVariant(ab, `visitor-${i}`)?.id === 'A') a++
    expect(a).toBeGreaterThan(4_700)
    expect(a).toBeLessThan(5_300)
  })

  it('takes the variant from the visitor’s bucket in an experiment salted with the campaign id', () => {
    const abc = campaign({
      id: 'abc',
      variants: ['A', 'B', 'C'].map((id, i) => ({ id, weight: i + 1, creative: { headline: id } })),
    })
    for (let i = 0; i < 100; i++) {
      const expected = assignVariant(abc.variants, bucketOf('abc', `visitor-${i}`))
      expect(chooseVariant(abc, `visitor-${i}`)?.id).toBe(expected)
    }
  })

  it('caps a visitor per day and falls through to the next candidate', () => {
    const state = newSiteState()
    const pool = [
      campaign({ id: 'capped', priority: 9, frequency: { perDay: 2, countOn: 'serve' } }),
      campaign({ id: 'fallback' }),
    ]
    const shown = Array.from({ length: 4 }, () => decide(pool, input(['home-hero']), state)[0]?.campaign.id)
    expect(shown).toEqual(['capped', 'capped', 'fallback', 'fallback'])
    // Another visitor has their own count; the next day starts afresh.
    expect(decide(pool, { ...input(['home-hero']), anonymousId: 'visitor-2' }, state)[0]?.campaign.id).toBe(
      'capped',
    )
    const tomorrow = { ...input(['home-hero']), now: now + 86_400_000 }
    expect(decide(pool, tomorrow, state)[0]?.campaign.id).toBe('capped')
  })

  it('keeps a minimum gap between two showings', () => {
    const state = newSiteState()
    const pool = [campaign({ id: 'gapped', frequency: { minHoursBetween: 24, countOn: 'serve' } })]
    expect(decide(pool, input(['home-hero']), state)).toHaveLength(1)
    expect(decide(pool, { ...input(['home-hero']), now: now + 23 * 3_600_000 }, state)).toHaveLength(0)
    expect(decide(pool, { ...input(['home-hero']), now: now + 24 * 3_600_000 }, state)).toHaveLength(1)
  })

  it('shows one interruptive unit per session unless a campaign is exempt', () => {
    const state = newSiteState()
    const popup = (id: string, exempt = false) =>
      campaign({
        id,
        format: 'popup',
        placements: [],
        frequency: { countOn: 'serve', exemptFromFatigue: exempt },
      })
    const session = { ...input([]), sessionId: 's1' }
    expect(decide([popup('first')], session, state)).toHaveLength(1)
    expect(decide([popup('second')], session, state)).toHaveLength(0)
    expect(decide([popup('exempt', true)], session, state)).toHaveLength(1)
    expect(decide([popup('second')], { ...session, sessionId: 's2' }, state)).toHaveLength(1)
  })

  it('paces an impression goal evenly over the flight', () => {
    const state = newSiteState()
    const paced = campaign({
      id: 'paced',
      priority: 9,
      schedule: { timezone: 'UTC', start: '2026-11-29T00:00:00Z', end: '2026-11-30T00:00:00Z' },
      pacing: { impressionGoal: 100 },
    })
    const pool = [paced, campaign({ id: 'filler' })]
    // Half the flight has gone: 50 may have been shown so far.
    const shown = Array.from(
      { length: 60 },
      (_, i) => decide(pool, { ...input(['home-hero']), anonymousId: `v${i}` }, state)[0]?.campaign.id,
    )
    expect(shown.filter((id) => id === 'paced')).toHaveLength(50)
    const later = { ...input(['home-hero']), now: Date.parse('2026-11-29T18:00:00Z') }
    expect(decide(pool, later, state)[0]?.campaign.id).toBe('paced')
  })

  it('shows the holdout nothing from the campaign, the same visitors every time', () => {
    const held = campaign({ id: 'held', priority: 9, experiment: { holdoutPercent: 10 } })
    let out = 0
    for (let i = 0; i < 5_000; i++) {
      const id = decide([held], { ...input(['home-hero']), anonymousId: `v${i}` })[0]?.campaign.id
      if (id === undefined) out++
      expect(chooseVariant(held, `v${i}`) === null).toBe(id === undefined)
    }
    expect(out).toBeGreaterThan(420)
    expect(out).toBeLessThan(580)
  })

  it('names the held-back campaigns that stood where a showing would have been, in one pass and by plan', () => {
    const measured = campaign({ id: 'measured', priority: 5, experiment: { holdoutPercent: 50 } })
    const next = campaign({ id: 'next', priority: 1 })
    // Capped at once: with it first, the measured campaign is reached only after the store turns it down.
    const capped = campaign({ id: 'capped', priority: 9, frequency: { lifetime: 1, countOn: 'serve' } })
    const heldVisitor = Array.from({ length: 100 }, (_, i) => `h${i}`).find(
      (v) => bucketOf('measured', v) < 5000,
    )!
    const shownVisitor = Array.from({ length: 100 }, (_, i) => `s${i}`).find(
      (v) => bucketOf('measured', v) >= 5000,
    )!
    const ask = (anonymousId: string) => ({ ...input(['home-hero']), anonymousId })

    const held: ServableCampaign[] = []
    expect(decide([measured, next], ask(heldVisitor), newSiteState(), held)[0]?.campaign.id).toBe('next')
    expect(held.map((c) => c.id)).toEqual(['measured'])
    const none: ServableCampaign[] = []
    expect(decide([measured, next], ask(shownVisitor), newSiteState(), none)[0]?.campaign.id).toBe('measured')
    expect(none).toEqual([])

    // By plan: the held-back campaign counts only if the store turned down every candidate before it.
    const plan = rank([capped, measured, next], ask(heldVisitor))
    expect(plan.held?.map((h) => [h.campaign.id, h.after])).toEqual([['measured', 1]])
    expect(heldExposures(plan.held, [0]).map((c) => c.id)).toEqual([])
    expect(heldExposures(plan.held, [1]).map((c) => c.id)).toEqual(['measured'])
    expect(heldExposures(plan.held, [-1]).map((c) => c.id)).toEqual(['measured'])
    // Nothing is allocated for a site without holdouts.
    expect(rank([capped, next], ask(heldVisitor)).held).toBeUndefined()
  })

  it('counts a held-back visitor as a stand-in only where pacing and the interruptive budget would have let a showing through', () => {
    const paced = (id: string) =>
      campaign({
        id,
        priority: 9,
        experiment: { holdoutPercent: 100 },
        schedule: { timezone: 'UTC', start: '2026-11-29T00:00:00Z', end: '2026-11-30T00:00:00Z' },
        // Half the flight has gone: 50 showings may have been made so far.
        pacing: { impressionGoal: 100 },
      })
    const popup = (id: string, holdoutPercent = 100) =>
      campaign({
        id,
        format: 'popup',
        placements: [],
        priority: 9,
        experiment: { holdoutPercent },
      })
    const ask = { ...input(['home-hero']), anonymousId: 'held-1', sessionId: 's1' }
    const standsIn = (pool: ServableCampaign[], request: typeof ask, state = newSiteState()) => {
      const held: ServableCampaign[] = []
      decide(pool, request, state, held)
      const plan = rank(pool, request)
      const byPlan = heldExposures(plan.held, claimOn(state, plan.request).chosen).map((c) => c.id)
      // Both paths agree: the in-process store's one pass and a remote store's plan.
      expect(byPlan).toEqual(held.map((c) => c.id))
      return byPlan
    }

    // Pacing: under the limit the held-back visitor stands in (and takes nothing from it); at it, not.
    const state = newSiteState()
    expect(standsIn([paced('goal')], ask, state)).toEqual(['goal'])
    expect(state.pace.get('goal')).toBeUndefined()
    state.pace.set('goal', 50)
    expect(standsIn([paced('goal')], ask, state)).toEqual([])
    expect(rank([paced('goal')], ask).request.groups.at(-1)).toEqual([
      { campaign: 'goal', pace: { limit: 50 }, check: true },
    ])

    // The interruptive budget: a popup shown earlier this session means a held-back popup would not have shown.
    const seen = newSiteState()
    expect(decide([popup('shown', 0)], { ...ask, slots: [] }, seen)).toHaveLength(1)
    expect(standsIn([popup('held')], { ...ask, slots: [] }, seen)).toEqual([])
    expect(standsIn([popup('held')], { ...ask, slots: [], sessionId: 's2' }, seen)).toEqual(['held'])
    // And nothing was taken by standing in: the next session's popup still shows.
    expect(decide([popup('next', 0)], { ...ask, slots: [], sessionId: 's2' }, seen)).toHaveLength(1)
  })

  it('counts a held-back visitor as a stand-in only if their profile passes the targeting left to the store', () => {
    const vips = campaign({
      id: 'vips',
      priority: 5,
      experiment: { holdoutPercent: 100 },
      targeting: { include: { field: 'segment', op: 'in', values: ['vip'] } },
    })
    const next = campaign({ id: 'next', priority: 1 })
    const ask = { ...input(['home-hero']), anonymousId: 'held-1' }
    const vipState = () => {
      const state = newSiteState()
      visitorIn(state, 'held-1').segments = new Set(['vip'])
      return state
    }
    // One pass (the in-process store): a VIP stands in for a showing; anyone else would not have been shown it.
    const heldVip: ServableCampaign[] = []
    expect(decide([vips, next], ask, vipState(), heldVip)[0]?.campaign.id).toBe('next')
    expect(heldVip.map((c) => c.id)).toEqual(['vips'])
    const heldOther: ServableCampaign[] = []
    expect(decide([vips, next], ask, newSiteState(), heldOther)[0]?.campaign.id).toBe('next')
    expect(heldOther).toEqual([])

    // By plan (a remote store): the rule goes as a group of its own after the real ones, which records nothing.
    const plan = rank([vips, next], ask)
    expect(plan.needsStore).toBe(true)
    expect(plan.request.groups).toEqual([
      [{ campaign: 'next' }],
      [{ campaign: 'vips', when: { segment: 'vip' }, check: true }],
    ])
    const state = vipState()
    const answer = claimOn(state, plan.request)
    expect(answer.chosen).toEqual([0, 0])
    expect(heldExposures(plan.held, answer.chosen).map((c) => c.id)).toEqual(['vips'])
    expect(state.visitors.get('held-1')?.campaigns.has('vips')).toBe(false)
    expect(heldExposures(plan.held, claimOn(newSiteState(), plan.request).chosen)).toEqual([])
    // Held back with no profile rule: no extra group, and no store needed.
    const plain = rank([campaign({ id: 'all', experiment: { holdoutPercent: 100 } }), next], ask)
    expect(plain.request.groups).toEqual([[{ campaign: 'next' }]])
    expect(plain.needsStore).toBe(false)
  })

  it('leaves profile rules to the store and explains every candidate in the trace', () => {
    const pool = [
      campaign({
        id: 'customers',
        priority: 9,
        targeting: { include: { field: 'segment', op: 'in', values: ['customer'] } },
      }),
      campaign({
        id: 'us-only',
        priority: 9,
        targeting: { include: { all: [{ field: 'country', op: 'in', values: ['US'] }] } },
      }),
      campaign({ id: 'later', schedule: { timezone: 'UTC', start: '2027-01-01T00:00:00Z' } }),
      campaign({ id: 'everyone' }),
    ]
    const plan = rank(pool, input(['home-hero']), true)
    expect(plan.needsStore).toBe(true)
    expect(plan.request.groups[0]?.[0]).toEqual({ campaign: 'customers', when: { segment: 'customer' } })
    const state = newSiteState()
    const { choices, trace } = finish(plan, { chosen: [1], skipped: [['profile', null]] })
    expect(choices[0]?.campaign.id).toBe('everyone')
    const reasons = Object.fromEntries(trace!.map((t) => [t.campaignId, [t.outcome, t.reason, t.detail]]))
    expect(reasons).toEqual({
      customers: ['skipped', 'profile', '{"segment":"customer"}'],
      'us-only': ['skipped', 'targeting', 'include.all.0: country in [US] is false'],
      later: ['skipped', 'out_of_schedule', undefined],
      everyone: ['chosen', undefined, undefined],
    })
    expect(state.visitors.size).toBe(0)
    expect(settleLocally(rank([pool[3]!], input(['home-hero']))).chosen).toEqual([0])
  })

  it('moves traffic to the variant that wins on clicks with a bandit', () => {
    const bandit = campaign({
      id: 'bandit',
      experiment: { holdoutPercent: 0, bandit: { metric: 'click' } },
      variants: [
        { id: 'A', weight: 1, creative: { headline: 'A' }, stats: { trials: 1_000, successes: 20 } },
        { id: 'B', weight: 1, creative: { headline: 'B' }, stats: { trials: 1_000, successes: 60 } },
      ],
    })
    let b = 0
    for (let i = 0; i < 1_000; i++) if (chooseVariant(bandit, `v${i}`, Math.random)?.id === 'B') b++
    expect(b).toBeGreaterThan(950)
  })
})
