// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FormatContext } from '../../../sdk/kit/context'
import type { OfferEventDecision } from '../decision'
import { mount } from './index'
import { formatTime, partsOf } from './time'
import { eventTime, offsetOf, otherZone } from './zones'

const hostile = '<img src=x onerror=alert(1)>'
const start = Date.parse('2026-11-29T12:00:00Z')

function decision(
  config: Record<string, unknown>,
  extra: Partial<OfferEventDecision> = {},
): OfferEventDecision {
  return {
    campaignId: '0190a0a0-0000-7000-8000-000000000001',
    variantId: '0190a0a0-0000-7000-8000-000000000002',
    type: 'offer_event',
    format: 'sticky_top',
    creative: { headline: 'Flash sale', ctaText: 'Shop', ctaUrl: 'https://shop.example/sale' },
    config: { kind: 'flash_sale', format: 'sticky_top', dismissible: true, ...config },
    clickUrl: 'https://promo.example/r/t',
    visitorToken: 'proof-1',
    ...extra,
  }
}

const event = {
  startsAt: '2026-12-20T18:00:00+01:00',
  endsAt: '2026-12-20T20:00:00+01:00',
  isVirtual: false,
  venue: { name: 'Hall 4', city: 'Lyon' },
  capacity: 10,
  rsvp: true,
  waitlist: true,
}

const sent: Record<string, unknown>[] = []
let answer: () => Response
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

// The event card is a chunk of its own: loaded once here, as a page would have it cached.
beforeAll(() => import('./event-card'))
beforeEach(() => {
  sent.length = 0
  answer = () => json(201, { rsvpId: 'r-1', status: 'confirmed' })
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      expect(url).toBe('https://api.promo.test/api/v1/rsvps')
      sent.push(JSON.parse(String(init.body)))
      return answer()
    }),
  )
})

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

const withId = () => ({ api: 'https://api.promo.test', site: 'pk_test', anonymousId: 'anon-7' })

function draw(unit: OfferEventDecision, ctx: Partial<FormatContext> = {}) {
  const host = document.createElement('promo-unit')
  document.body.appendChild(host)
  const context = {
    onClick: vi.fn(),
    onClose: vi.fn(),
    submitted: vi.fn(),
    report: vi.fn(),
    sender: withId,
    ...ctx,
  }
  const unmount = mount(host, unit, context)
  cleanups.push(() => {
    unmount()
    host.remove()
  })
  const root = host.shadowRoot!
  const $ = <E extends Element = HTMLElement>(selector: string) => root.querySelector<E>(selector)
  return { root, context, $ }
}

/** Lets Preact apply state updates, a chunk import resolve and a fetch answer arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30))

describe('time', () => {
  it('splits what is left into days, hours, minutes and seconds, never below zero', () => {
    expect(partsOf(((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000 + 999)).toEqual([2, 3, 4, 5])
    expect(partsOf(-5_000)).toEqual([0, 0, 0, 0])
  })

  it("shows an event's time in its own offset, labelled, whatever the visitor's zone", () => {
    expect(offsetOf('2026-12-20T18:00:00+01:00')).toBe(60)
    expect(offsetOf('2026-03-29T01:30:00-04:30')).toBe(-270)
    expect(offsetOf('2026-12-20T17:00:00Z')).toBe(0)
    // The tests run in UTC (TZ is not set otherwise): 18:00 in Lyon is not the visitor's 17:00.
    expect(eventTime('2026-12-20T18:00:00+01:00', formatTime)).toMatch(/(18:00|6:00 PM).*\(UTC\+01:00\)$/)
    expect(eventTime('2026-03-29T03:30:00+02:00', formatTime)).toMatch(/(03:30|3:30 AM).*\(UTC\+02:00\)$/)
    expect(otherZone('2026-12-20T18:00:00+01:00')).toBe(new Date().getTimezoneOffset() === 0)
    expect(otherZone('2026-12-20T17:00:00Z')).toBe(
      new Date(Date.parse('2026-12-20T17:00:00Z')).getTimezoneOffset() !== 0,
    )
  })
})

describe('the countdown bar', () => {
  it('ticks every second, speaks only at minute boundaries, and shows the end in the visitor zone', async () => {
    vi.useFakeTimers({ now: start })
    const { $, root } = draw(decision({ countdown: { endsAt: '2026-11-29T12:02:03Z' } }))
    await vi.advanceTimersByTimeAsync(0)
    expect($('.digits')!.textContent).toBe('00:02:03')
    expect($('.digits')!.getAttribute('aria-hidden')).toBe('true')
    const live = $('[aria-live="polite"]')!
    expect(live.textContent).toBe('Ends in 3 minutes')
    expect($('.until')!.textContent).toMatch(/^Ends .*(12:02|12:02 PM)/)
    const spoken: string[] = []
    new MutationObserver(() => spoken.push(live.textContent!)).observe(live, {
      subtree: true,
      characterData: true,
      childList: true,
    })
    await vi.advanceTimersByTimeAsync(1000)
    expect($('.digits')!.textContent).toBe('00:02:02')
    await vi.advanceTimersByTimeAsync(60_000)
    expect($('.digits')!.textContent).toBe('00:01:02')
    // 61 ticks, and the live line changed once: from 3 minutes to 2 at the boundary.
    expect(live.textContent).toBe('Ends in 2 minutes')
    expect(spoken.length).toBeLessThanOrEqual(2)
    expect(root.textContent).not.toContain('<')
  })

  it('at zero shows endedText instead of the clock, and drops the code and the link', async () => {
    vi.useFakeTimers({ now: start })
    const { $ } = draw(
      decision({
        countdown: { endsAt: '2026-11-29T12:00:02Z', endedText: 'The sale has ended' },
        offer: { discountPercent: 30, promoCode: 'FLASH30' },
      }),
    )
    await vi.advanceTimersByTimeAsync(0)
    expect($('code')!.textContent).toBe('FLASH30')
    await vi.advanceTimersByTimeAsync(2_000)
    expect($('.clock')).toBeNull()
    expect($('.ended')!.textContent).toBe('The sale has ended')
    expect($('code')).toBeNull()
    expect($('.cta')).toBeNull()
  })

  it('without endedText the unit hides at zero', async () => {
    vi.useFakeTimers({ now: start })
    const { root } = draw(decision({ countdown: { endsAt: '2026-11-29T12:00:01Z' } }))
    await vi.advanceTimersByTimeAsync(0)
    expect(root.querySelector('.unit')).not.toBeNull()
    await vi.advanceTimersByTimeAsync(1_500)
    expect(root.querySelector('.unit')).toBeNull()
  })

  it("counts an evergreen clock to the server's deadline, and shows none without a kept visitor id", async () => {
    vi.useFakeTimers({ now: start })
    const unit = decision({ countdown: { evergreenHours: 24 } }, { deadline: '2026-11-30T10:00:00.000Z' })
    expect(draw(unit).$('.digits')!.textContent).toBe('22:00:00')
    const anonymous = draw(unit, { sender: () => ({ api: 'https://api.promo.test', site: 'pk_test' }) })
    expect(anonymous.$('.clock')).toBeNull()
    expect(anonymous.$('.headline')!.textContent).toBe('Flash sale')
    // The admin preview ticks from now.
    expect(draw(unit, { preview: true, sender: undefined }).$('.digits')!.textContent).toBe('1d 00:00:00')
  })

  it('shows what remains of a flash sale, and text stays text', async () => {
    const { $ } = draw(
      decision(
        { countdown: { endsAt: '2027-01-01T00:00:00Z' }, offer: { promoCode: 'FLASH', terms: hostile } },
        {
          remaining: 7,
          creative: { headline: hostile },
        },
      ),
    )
    await settle()
    expect($('.left')!.textContent).toContain('Only 7 left')
    expect($('.headline')!.textContent).toBe(hostile)
    expect($('.terms')!.textContent).toBe(hostile)
    expect($('img')).toBeNull()
  })
})

describe('the event card and its RSVP', () => {
  const card = (extra: Partial<OfferEventDecision> = {}, config: Record<string, unknown> = {}) =>
    draw(
      decision(
        { kind: 'event', event: { ...event, ...config } },
        { format: 'hero', slot: 'home', seatsLeft: 4, ...extra },
      ),
    )

  it('shows when (in the event zone), where and the seats left', async () => {
    const { $ } = card()
    await settle()
    expect($('.when time')!.getAttribute('datetime')).toBe(event.startsAt)
    expect($('.when')!.textContent).toMatch(/(18:00|6:00 PM).*UTC\+01:00.*(20:00|8:00 PM)/)
    expect($('.where')!.textContent).toBe('Hall 4, Lyon')
    expect($('.seats')!.textContent).toBe('4 seats left')
    expect($('button[type=submit]')!.textContent).toBe('RSVP')
  })

  it('posts the RSVP with the served proof and says the seat is confirmed', async () => {
    const { $, context } = card()
    await settle()
    $<HTMLInputElement>('input[name=email]')!.value = ' ada@example.com '
    $<HTMLInputElement>('input[name=firstName]')!.value = 'Ada'
    $<HTMLFormElement>('form')!.requestSubmit()
    await settle()
    expect(sent).toEqual([
      {
        site: 'pk_test',
        campaignId: '0190a0a0-0000-7000-8000-000000000001',
        email: 'ada@example.com',
        firstName: 'Ada',
        anonymousId: 'anon-7',
        visitorToken: 'proof-1',
      },
    ])
    expect($('[role=status]')!.textContent).toContain("You're in")
    expect(context.submitted).toHaveBeenCalledOnce()
  })

  it('says the waitlist place, closed and full from the API', async () => {
    const outcomes: [() => Response, RegExp][] = [
      [() => json(201, { rsvpId: 'r', status: 'waitlisted', position: 3 }), /waitlist: #3/],
      [() => json(409, { error: { code: 'rsvp_closed', message: 'closed' } }), /closed/],
      [() => json(409, { error: { code: 'event_full', message: 'full' } }), /full/],
    ]
    for (const [reply, said] of outcomes) {
      answer = reply
      const { $ } = card()
      await settle()
      $<HTMLInputElement>('input[name=email]')!.value = 'bo@example.com'
      $<HTMLFormElement>('form')!.requestSubmit()
      await settle()
      expect($('[role=status]')!.textContent).toMatch(said)
    }
  })

  it("puts errors at their field, focused, and the API's at its field too", async () => {
    const { $ } = card()
    await settle()
    $<HTMLFormElement>('form')!.requestSubmit()
    await settle()
    expect(sent).toEqual([])
    const email = $<HTMLInputElement>('input[name=email]')!
    expect(email.getAttribute('aria-invalid')).toBe('true')
    expect($(`#${email.getAttribute('aria-describedby')}`)!.textContent).toBe('Enter your email address.')
    expect((email.getRootNode() as ShadowRoot).activeElement).toBe(email)
    answer = () =>
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'bad',
          details: [{ path: 'firstName', message: 'must be plain text, not HTML' }],
        },
      })
    email.value = 'ada@example.com'
    $<HTMLInputElement>('input[name=firstName]')!.value = hostile
    $<HTMLFormElement>('form')!.requestSubmit()
    await settle()
    expect($('#firstName-error')!.textContent).toBe('must be plain text, not HTML')
    expect($('input[name=email]')!.getAttribute('aria-invalid')).toBeNull()
    answer = () => json(503, {})
    $<HTMLFormElement>('form')!.requestSubmit()
    await settle()
    expect($('[role=alert]')!.textContent).toMatch(/try again/)
  })

  it('offers the waitlist when full, nothing when full without one, and no form once the event started', async () => {
    const full = card({ seatsLeft: 0 })
    await settle()
    expect(full.$('.seats')!.textContent).toBe('Full: join the waitlist.')
    expect(full.$('button[type=submit]')!.textContent).toBe('Join the waitlist')
    const refused = card({ seatsLeft: 0 }, { waitlist: false })
    await settle()
    expect(refused.$('.seats')!.textContent).toBe('This event is full.')
    expect(refused.$('form')).toBeNull()
    const started = card({}, { startsAt: '2020-01-01T10:00:00+01:00', endsAt: undefined })
    await settle()
    expect(started.$('form')).toBeNull()
    expect(started.$('.done')!.textContent).toMatch(/closed/)
  })

  it('sends nothing from the admin preview', async () => {
    const preview = draw(decision({ kind: 'event', event }, { format: 'hero', slot: 'home' }), {
      preview: true,
      sender: undefined,
    })
    await settle()
    preview.$<HTMLInputElement>('input[name=email]')!.value = 'ada@example.com'
    preview.$<HTMLFormElement>('form')!.requestSubmit()
    await settle()
    expect(sent).toEqual([])
    expect(preview.$('[role=alert]')!.textContent).toMatch(/Preview/)
  })
})
