// @vitest-environment happy-dom
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import type { EventItem } from '../schema/events'
import type { Decision } from '../schema/serve'
import type { createClient } from './client'
import {
  type ConsentChoice,
  init,
  type MetaStandardEvent,
  type PromoApi,
  type PromoConversionEvent,
  type PromoEvents,
  type PromoMethods,
  type PromoUnitEvent,
  type TrackEventName,
} from './index'
import { publicMethods } from './install'
import type { UnitInfo } from './unit-info'

const api = 'https://api.example'
const campaignId = '0190a0a0-0000-7000-8000-000000000001'
const variantId = '0190a0a0-0000-7000-8000-000000000002'
const popup: Decision = {
  campaignId,
  variantId,
  type: 'awareness',
  format: 'popup',
  creative: { headline: 'Winter sale', ctaText: 'Shop now', ctaUrl: 'https://shop.example/sale' },
  config: {},
  clickUrl: `${api}/r/signed`,
  token: 'signed',
}

/** A format chunk the test can import without a network: it draws the headline and nothing else. */
const headlineChunk = `data:text/javascript,${encodeURIComponent(
  'export function mount(host, decision) { host.textContent = decision.creative.headline; return () => {} }',
)}`

/** Every Meta standard name, listed once: the compiler rejects a missing or an unknown one. */
const metaStandard: Record<MetaStandardEvent, true> = {
  AddPaymentInfo: true,
  AddToCart: true,
  AddToWishlist: true,
  CompleteRegistration: true,
  Contact: true,
  CustomizeProduct: true,
  Donate: true,
  FindLocation: true,
  InitiateCheckout: true,
  Lead: true,
  Purchase: true,
  Schedule: true,
  Search: true,
  StartTrial: true,
  SubmitApplication: true,
  Subscribe: true,
  ViewContent: true,
}

let sites = 0
const emptyAnswer = async () => new Response('{}')
/** The current test's fake API. SDKs started by earlier tests get empty answers and never reach the network. */
let answer: (input: string | URL, init?: RequestInit) => Promise<Response> = emptyAnswer

/**
 * A fake Promo API behind `fetch` (serve answers only once `answerServe()` is called, with `holdServe`), and
 * a site key of the test's own: SDKs started by earlier tests still listen to the page.
 */
function setup({ decisions = [] as Decision[], manifestStatus = 200, holdServe = false } = {}) {
  const site = `pk_test_esm_${++sites}`
  let answerServe = () => {}
  const served = holdServe ? new Promise<void>((resolve) => (answerServe = resolve)) : Promise.resolve()
  const fetchMock = vi.fn(async (input: string | URL, init?: RequestInit) => {
    const url = String(input)
    if (url === `${api}/sdk/manifest.json`) {
      return new Response(JSON.stringify({ awareness: headlineChunk }), {
        status: manifestStatus,
      })
    }
    if (url === `${api}/api/v1/serve` && JSON.parse(init?.body as string).site === site) {
      await served
      return new Response(JSON.stringify({ decisions, ttl: 60 }))
    }
    return new Response('{}')
  })
  answer = fetchMock
  const beacon = vi.fn((_url: string, _body: string) => true)
  Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true })
  const calls = (path: string) => fetchMock.mock.calls.filter(([url]) => String(url) === `${api}${path}`)
  const serveCalls = () =>
    calls('/api/v1/serve').filter(([, init]) => JSON.parse(init?.body as string).site === site)
  /** The events this site's SDK has handed to the network, after the page says it is going away. */
  const sent = () => {
    window.dispatchEvent(new Event('pagehide'))
    const bodies = [
      ...beacon.mock.calls.map(([, body]) => body),
      ...calls('/api/v1/events').map(([, init]) => init?.body as string),
    ].map((body) => JSON.parse(body) as { site: string; batch: EventItem[] })
    return bodies.filter((body) => body.site === site).flatMap((body) => body.batch)
  }
  return { site, fetchMock, calls, serveCalls, sent, answerServe }
}

async function until(check: () => boolean, ms = 2000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

beforeAll(() => {
  vi.stubGlobal('fetch', (input: string | URL, init?: RequestInit) => answer(input, init))
})
afterAll(() => {
  vi.unstubAllGlobals()
})
beforeEach(() => {
  localStorage.clear()
})
afterEach(() => {
  answer = emptyAnswer
  document.body.innerHTML = ''
  delete (window as { Promo?: unknown }).Promo
})

describe('init', () => {
  it('returns the whole API, callable by method name, and puts nothing on window', () => {
    const { site } = setup()
    const promo = init({ site, api })
    expect(typeof promo).toBe('function')
    for (const name of publicMethods) expect(typeof promo[name], name).toBe('function')
    expect(Object.keys(promo).sort()).toEqual([...publicMethods].sort())
    expect(window.Promo).toBeUndefined()
  })

  it('takes calls before the first serve has answered, and sends them', async () => {
    const { site, serveCalls, sent, answerServe } = setup({ decisions: [popup], holdServe: true })
    const rendered: PromoUnitEvent[] = []
    const promo = init({ site, api: `${api}/` })
    promo.on('render', (unit) => rendered.push(unit))
    promo.identify('user-7', { plan: 'pro' })
    promo.track('Purchase', { value: 42, currency: 'eur', order: 'A-1' }, { eventId: 'order-A-1' })
    promo('track', 'signup', { plan: 'pro' })
    promo.refresh()
    promo.show(campaignId)
    await until(() => serveCalls().length >= 1)
    answerServe()
    await until(() => rendered.length >= 1)
    const events = sent()
    expect(events.slice(0, 4).map((event) => event.name)).toEqual(['page', 'identify', 'Purchase', 'signup'])
    // The first serve, the refresh and `show` may each draw the popup; each drawing is an impression.
    expect(events.length).toBeGreaterThan(4)
    expect(
      events.slice(4).every((event) => event.name === 'impression' && event.campaignId === campaignId),
    ).toBe(true)
    expect(rendered[0]).toMatchObject({ campaignId, format: 'popup' })
    expect(events[2]).toMatchObject({
      eventId: 'order-A-1',
      value: 42,
      currency: 'EUR',
      props: { order: 'A-1' },
    })
    expect(events[1]!.userId).toBe('user-7')
  })

  it('with consent pending, sends and stores nothing until consent, then runs the held calls in order', async () => {
    const { site, fetchMock, serveCalls, sent } = setup()
    const promo = init({ site, api, consent: 'pending' })
    promo.track('Lead')
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(sent()).toEqual([])
    expect(fetchMock).not.toHaveBeenCalled()
    expect(localStorage.length).toBe(0)
    promo.consent({ analytics: true, personalization: false })
    await until(() => serveCalls().length === 1)
    await until(() => sent().length >= 2)
    expect(sent().map((event) => event.name)).toEqual(['Lead', 'page'])
  })

  it('loads format chunks as named by the manifest the API serves, and tells render listeners', async () => {
    const { site, calls } = setup({ decisions: [popup] })
    const rendered: PromoUnitEvent[] = []
    const promo = init({ site, api })
    promo.on('render', (unit) => rendered.push(unit))
    await until(() => rendered.length === 1)
    expect(rendered[0]).toEqual({ campaignId, variantId, type: 'awareness', format: 'popup' })
    expect(document.querySelector('promo-unit')?.textContent).toBe('Winter sale')
    expect(calls('/sdk/manifest.json')).toHaveLength(1)
  })

  it('reports a manifest that failed to load, and fetches it again at the next need', async () => {
    const { site, calls } = setup({ decisions: [popup], manifestStatus: 503 })
    const errors: unknown[] = []
    const promo = init({ site, api })
    promo.on('error', (error) => errors.push(error))
    await until(() => errors.length === 1)
    expect(String(errors[0])).toContain('503')
    promo.refresh()
    await until(() => calls('/sdk/manifest.json').length === 2)
  })

  it('with global: true, becomes window.Promo and replays what the stub queued', async () => {
    const { site, sent } = setup()
    const queued = [['track', 'early', { from: 'stub' }]]
    window.Promo = Object.assign(() => {}, { q: queued }) as unknown as PromoApi
    const promo = init({ site, api, global: true })
    expect(window.Promo).toBe(promo)
    expect(init({ site, api, global: true })).toBe(promo)
    await until(() => sent().length >= 2)
    expect(sent().map((event) => event.name)).toEqual(['early', 'page'])
  })
})

describe('Promo.on and Promo.off', () => {
  it('hands conversion listeners every Meta standard event tracked, and stops after off', () => {
    const { site } = setup()
    const promo = init({ site, api })
    const conversions: PromoConversionEvent[] = []
    const listener = (conversion: PromoConversionEvent) => conversions.push(conversion)
    promo.on('conversion', listener)
    promo.track('Purchase', { value: 9.5, currency: 'usd', sku: 'hat' })
    promo.track('my_custom_event')
    for (const name of Object.keys(metaStandard)) promo.track(name)
    expect(conversions[0]).toEqual({ name: 'Purchase', value: 9.5, currency: 'USD', props: { sku: 'hat' } })
    expect(conversions.slice(1).map((conversion) => conversion.name)).toEqual(Object.keys(metaStandard))
    promo.off('conversion', listener)
    promo.track('Lead')
    expect(conversions).toHaveLength(1 + Object.keys(metaStandard).length)
  })

  it('hands error listeners what went wrong instead of throwing into the page', () => {
    const { site } = setup()
    const promo = init({ site, api })
    const errors: unknown[] = []
    promo.on('error', (error) => errors.push(error))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(() => (promo as unknown as (name: string) => void)('nope')).not.toThrow()
    warn.mockRestore()
    expect(String(errors[0])).toContain('no method named nope')
  })
})

describe('types', () => {
  it('track takes Meta standard names with autocompletion and any other name', () => {
    expectTypeOf<'Purchase'>().toExtend<TrackEventName>()
    expectTypeOf<'my_custom_event'>().toExtend<TrackEventName>()
    expectTypeOf<PromoApi['track']>().parameter(0).toEqualTypeOf<TrackEventName>()
    expectTypeOf<PromoApi['track']>().parameter(2).toEqualTypeOf<{ eventId?: string } | undefined>()
    // @ts-expect-error props hold plain values only; anything else would be dropped
    expectTypeOf<PromoApi['track']>().toBeCallableWith('Purchase', { items: [1, 2] })
  })

  it('gives each listener the payload its event carries', () => {
    const promo = {} as PromoApi
    const typed = () => {
      promo.on('viewable', (unit) => expectTypeOf(unit).toEqualTypeOf<PromoUnitEvent>())
      promo.on('conversion', (conversion) => expectTypeOf(conversion.name).toEqualTypeOf<MetaStandardEvent>())
      promo.on('error', (error) => expectTypeOf(error).toBeUnknown())
      // @ts-expect-error a viewable listener gets a unit, not a conversion
      promo.on('viewable', (conversion: PromoConversionEvent) => conversion)
      // @ts-expect-error no such event
      promo.on('hover', () => {})
      promo('consent', { analytics: true, personalization: false } satisfies ConsentChoice)
      // @ts-expect-error the stub form checks its arguments too
      promo('identify', 42)
    }
    expect(typed).toBeTypeOf('function')
    expectTypeOf<PromoEvents['render']>().toEqualTypeOf<UnitInfo>()
  })

  it('matches what the SDK implements and installs, and types window.Promo', () => {
    expectTypeOf<(typeof publicMethods)[number]>().toEqualTypeOf<keyof PromoMethods>()
    expectTypeOf<ReturnType<typeof createClient>>().toExtend<PromoMethods>()
    expectTypeOf(window.Promo).toEqualTypeOf<PromoApi>()
  })

  it('publishes declarations that compile and stand on their own', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'promo-types-'))
    try {
      const tsc = join('node_modules', 'typescript', 'bin', 'tsc')
      execFileSync(process.execPath, [tsc, '-p', 'sdk/tsconfig.types.json', '--outDir', outDir])
      const entry = readFileSync(join(outDir, 'sdk', 'index.d.ts'), 'utf8')
      const types = readFileSync(join(outDir, 'sdk', 'types.d.ts'), 'utf8')
      expect(entry.match(/from '[^']+'/g)).toEqual(["from './types.js'", "from './types.js'"])
      expect(entry).toContain('export declare function init(options: PromoOptions): PromoApi')
      expect(types).not.toMatch(/\bimport\b|from '/)
      expect(types).toContain('interface Window')
    } finally {
      rmSync(outDir, { recursive: true, force: true })
    }
  }, 60_000)
})
