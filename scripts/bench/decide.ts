/**
 * `npm run bench:decide`: one whole decision (api/core/decide.ts: rank, then the claim over in-memory
 * visitor state, which is what the memory adapter runs) among 100 active campaigns that all carry targeting
 * rules (a fifth of them on segments and traits) and frequency caps (day, week, lifetime, gap; viewable-
 * counted with leases), for visitors with a history, timed call by call. Beside it, in the same run, the same
 * campaigns without targeting or caps. Target: p99 ≤ 50 µs.
 */

import { newSiteState } from '../../api/core/capping'
import { decide, type ServableCampaign } from '../../api/core/decide'
import type { VisitorContext } from '../../api/core/visitor'
import type { Frequency } from '../../schema/campaign'
import type { Targeting } from '../../schema/targeting'

const targetP99 = 50
const count = 100
const rules: Targeting[] = [
  { include: { field: 'url', op: 'glob', value: 'https://shop.example/blog/*' } },
  {
    include: {
      all: [
        { field: 'device', op: 'in', values: ['mobile', 'tablet'] },
        { field: 'country', op: 'in', values: ['DE', 'AT', 'CH'] },
      ],
    },
  },
  {
    include: {
      any: [
        { field: 'utm_source', op: 'in', values: ['newsletter'] },
        { field: 'referrer', op: 'contains', value: 'google.' },
      ],
    },
  },
  { exclude: { field: 'browser', op: 'in', values: ['firefox'] } },
  {
    include: { field: 'language', op: 'in', values: ['de', 'en'] },
    exclude: { not: { field: 'url', op: 'prefix', value: 'https://shop.example/' } },
  },
  {
    include: {
      any: [
        { field: 'segment', op: 'in', values: ['highly_engaged', 'customer'] },
        { field: 'trait', key: 'plan', op: 'equals', value: 'pro' },
      ],
    },
    exclude: { field: 'visitor', op: 'equals', value: 'new' },
  },
]

const caps: Frequency[] = [
  { perDay: 3, countOn: 'viewable' },
  { perDay: 5, perWeek: 10, countOn: 'serve' },
  { lifetime: 5, minHoursBetween: 24, countOn: 'viewable' },
  { perHour: 1, countOn: 'serve' },
]

function campaigns(withTargeting: boolean): ServableCampaign[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    type: 'awareness',
    format: i % 10 === 0 ? 'sticky' : i % 25 === 0 ? 'popup' : 'hero',
    priority: i % 5,
    weight: 1 + (i % 3),
    placements: [`slot-${i % 8}`, 'home-hero'],
    schedule:
      i % 4 === 0
        ? {
            timezone: 'Europe/Berlin',
            dayparting: [{ days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '23:59' }],
          }
        : { timezone: 'UTC' },
    name: `Campaign ${i}`,
    targeting: withTargeting ? rules[i % rules.length]! : {},
    frequency: withTargeting ? caps[i % caps.length]! : { countOn: 'viewable' },
    experiment: { holdoutPercent: i % 7 === 0 ? 5 : 0 },
    pacing: null,
    config: { format: 'hero' },
    variants: [
      { id: `v-${i}-a`, weight: 1, creative: { headline: `Offer ${i}` } },
      { id: `v-${i}-b`, weight: 1, creative: { headline: `Offer ${i}b` } },
    ],
  }))
}

const visitor: VisitorContext = {
  url: 'https://shop.example/blog/winter-boots?utm_source=newsletter',
  referrer: 'https://www.google.com/',
  utm: { utm_source: 'newsletter' },
  device: 'mobile',
  os: 'ios',
  browser: 'safari',
  country: 'DE',
  language: 'de',
}

/**
 * 10,000 returning visitors with profiles, ten page views each over a run: their histories build up as the run
 * claims for them, so caps bind and later decisions walk past capped campaigns.
 */
const visitors = 10_000
function measure(pool: ServableCampaign[], runs: number) {
  const state = newSiteState()
  for (let v = 0; v < visitors; v++) {
    state.visitors.set(`visitor-${v}`, {
      segments: new Set(v % 3 === 0 ? ['customer', 'active'] : ['prospect']),
      traits: { plan: v % 2 ? 'pro' : 'free' },
      returning: v % 4 !== 0,
      campaigns: new Map(),
    })
  }
  const times = new Float64Array(runs)
  let seed = 1
  const random = () => {
    seed = (seed * 16807) % 2147483647
    return seed / 2147483647
  }
  for (let i = 0; i < runs; i++) {
    const input = {
      slots: ['home-hero', 'slot-3'],
      anonymousId: `visitor-${i % visitors}`,
      sessionId: `session-${i % visitors}`,
      now: Date.now(),
      random,
      visitor,
    }
    const start = performance.now()
    decide(pool, input, state)
    times[i] = (performance.now() - start) * 1000
  }
  times.sort()
  const at = (q: number) => times[Math.min(runs - 1, Math.floor(q * runs))]!
  return { p50: at(0.5), p99: at(0.99), mean: times.reduce((a, b) => a + b, 0) / runs }
}

const targeted = campaigns(true)
const plain = campaigns(false)
measure(targeted, 20_000) // warm-up: JIT and caches
measure(plain, 20_000)
const base = measure(plain, 100_000)
const result = measure(targeted, 100_000)
const f = (n: number) => `${n.toFixed(1).padStart(7)} µs`
console.log(
  `\n${'decision (100 active campaigns, 2 slots)'.padEnd(44)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'mean'.padStart(10)}`,
)
console.log(`${'without targeting or caps (baseline)'.padEnd(44)}${f(base.p50)}${f(base.p99)}${f(base.mean)}`)
console.log(`${'with targeting and caps'.padEnd(44)}${f(result.p50)}${f(result.p99)}${f(result.mean)}`)
const pass = result.p99 <= targetP99
console.log(
  `bench decide: ${pass ? 'PASS' : 'FAIL'} p99 ${result.p99.toFixed(1)} µs (target ≤ ${targetP99} µs)`,
)
process.exit(pass ? 0 : 1)
