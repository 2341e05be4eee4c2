import { describe, expect, it, vi } from 'vitest'
import { ClickSigner } from '../../../api/core/clicks'
import type { Choice, ServableCampaign } from '../../../api/core/decide'
import type { Db } from '../../../api/ports/database'
import { type RemarketingConfig, remarketingConfig } from '../config'
import { convertedSince, fillOf, secondMessageDue } from './fill'
import { RemarketingFiller } from './filler'
import type { VisitorHistory } from './history'

const dayMs = 86_400_000
const now = Date.parse('2026-11-29T12:00:00Z')
const config = (more: Record<string, unknown> = {}): RemarketingConfig =>
  remarketingConfig.parse({ audience: { kind: 'cart_abandoners' }, dynamicContent: true, ...more })
const history = (more: Partial<VisitorHistory> = {}): VisitorHistory => ({
  firstShownAt: null,
  lastConversionAt: null,
  lastPurchaseAt: null,
  lastTouchAt: now - dayMs,
  products: [
    {
      productId: 'A',
      title: 'A',
      url: 'https://a.example/a',
      imageUrl: null,
      price: 5,
      currency: 'EUR',
      at: 2,
    },
    {
      productId: 'B',
      title: 'B',
      url: 'https://a.example/b',
      imageUrl: null,
      price: null,
      currency: null,
      at: 1,
    },
  ],
  ...more,
})

describe('who has converted', () => {
  it('a conversion after the first impression ends the reminder for every audience', () => {
    const shown = history({ firstShownAt: now - 2 * dayMs, lastConversionAt: now - dayMs })
    expect(convertedSince(config(), shown)).toBe(true)
    expect(convertedSince(config({ audience: { kind: 'past_buyers' } }), shown)).toBe(true)
    expect(
      convertedSince(config(), history({ firstShownAt: now - dayMs, lastConversionAt: now - 2 * dayMs })),
    ).toBe(false)
  })

  it('a purchase after the last view or cart ends it for the audiences defined by not buying only', () => {
    const bought = history({ lastConversionAt: now, lastPurchaseAt: now, lastTouchAt: now - dayMs })
    expect(convertedSince(config(), bought)).toBe(true)
    expect(convertedSince(config({ audience: { kind: 'viewers' } }), bought)).toBe(true)
    expect(convertedSince(config({ audience: { kind: 'past_buyers' } }), bought)).toBe(false)
    expect(convertedSince(config({ audience: { kind: 'lapsed' } }), bought)).toBe(false)
    // Carted again after buying: an abandoner once more.
    expect(convertedSince(config(), { ...bought, lastTouchAt: now + 1 })).toBe(false)
  })
})

describe('the sequence', () => {
  const sequence = { afterDays: 2, headline: 'Still there?' }
  it('is due afterDays after the first impression, never before one', () => {
    expect(secondMessageDue(config({ sequence }), history({ firstShownAt: now - 2 * dayMs }), now)).toBe(true)
    expect(secondMessageDue(config({ sequence }), history({ firstShownAt: now - 2 * dayMs + 1 }), now)).toBe(
      false,
    )
    expect(secondMessageDue(config({ sequence }), history(), now)).toBe(false)
    expect(secondMessageDue(config(), history({ firstShownAt: 0 }), now)).toBe(false)
  })

  it('puts message 2 in the fill without its days', () => {
    const fill = fillOf(config({ sequence }), history({ firstShownAt: now - 3 * dayMs }), now)
    expect(fill).toMatchObject({ step: 2, message: { headline: 'Still there?' } })
    expect(fill?.message).not.toHaveProperty('afterDays')
  })
})

describe('the fill', () => {
  it('caps the products at maxProducts and leaves out what is unknown', () => {
    expect(fillOf(config({ maxProducts: 1 }), history(), now)?.products).toEqual([
      { id: 'A', title: 'A', url: 'https://a.example/a', price: 5, currency: 'EUR' },
    ])
    expect(fillOf(config(), history(), now)?.products?.[1]).toEqual({
      id: 'B',
      title: 'B',
      url: 'https://a.example/b',
    })
  })

  it('is nothing for a dynamic campaign without products, a static one without them is served', () => {
    expect(fillOf(config(), history({ products: [] }), now)).toBeUndefined()
    expect(fillOf(config({ dynamicContent: false }), history({ products: [] }), now)).toEqual({ step: 1 })
  })

  it('offers the incentive with its shared code, or a unique code to reveal, never the pool itself', () => {
    const shared = config({
      incentive: { type: 'percentage', value: 10, currency: 'EUR', promoCode: 'BACK10' },
    })
    expect(fillOf(shared, history(), now)?.incentive).toEqual({
      type: 'percentage',
      value: 10,
      currency: 'EUR',
      code: 'BACK10',
    })
    const unique = config({
      incentive: { type: 'fixed_amount', value: 5, currency: 'EUR', uniqueCodes: true },
    })
    expect(fillOf(unique, history(), now)?.incentive).toEqual({
      type: 'fixed_amount',
      value: 5,
      currency: 'EUR',
      unique: true,
    })
    expect(fillOf(config({ incentive: { type: 'free_shipping' } }), history(), now)?.incentive).toEqual({
      type: 'free_shipping',
      value: 0,
      currency: 'USD',
    })
  })
})

describe('the filler', () => {
  const campaign = (id: string, type = 'remarketing', more: Record<string, unknown> = {}) =>
    ({ id, type, config: { audience: { kind: 'cart_abandoners' }, ...more } }) as unknown as ServableCampaign
  const choice = (c: ServableCampaign): Choice => ({ campaign: c, variant: { id: `${c.id}-v` } as never })
  const row = {
    first_shown: null,
    last_conversion: null,
    last_purchase: null,
    last_touch: null,
    product_id: null,
  }

  it('reads the database once per remarketing decision, and not at all for other types or no visitor', async () => {
    const execute = vi.fn(async () => [row])
    const filler = new RemarketingFiller({ execute } as unknown as Db, new ClickSigner('secret'))
    const choices = [
      // Dynamic, and the visitor has no product: dropped.
      choice(campaign('r1', 'remarketing', { dynamicContent: true })),
      choice(campaign('s1', 'sales')),
      choice(campaign('r2', 'remarketing', { incentive: { type: 'free_shipping' } })),
    ]
    const filled = await filler.fill('site', choices, { anonymousId: 'v1' }, now)
    expect(execute).toHaveBeenCalledTimes(2)
    expect(filled.choices.map((c) => c.campaign.id)).toEqual(['s1', 'r2'])
    expect(filled.fields.get(choices[2]!)?.('https://p.example/r/', '?a=v1')).toBe(
      ',"remarketing":{"step":1,"incentive":{"type":"free_shipping","value":0,"currency":"USD"}}',
    )
    const none = await filler.fill('site', choices, { anonymousId: 'anonymous' }, now)
    expect(execute).toHaveBeenCalledTimes(2)
    expect(none.choices.map((c) => c.campaign.id)).toEqual(['s1'])
  })
})
