// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Decision } from '../schema/serve'
import type { FormatModule } from './kit/context'
import { createTriggerContext } from './triggers/context'
import { arm } from './triggers/index'
import { createUnits, type UnitHooks } from './units'

const popup: Decision = {
  campaignId: '0190a0a0-0000-7000-8000-000000000003',
  variantId: '0190a0a0-0000-7000-8000-000000000002',
  type: 'awareness',
  format: 'popup',
  creative: { headline: 'Join the newsletter' },
  config: { trigger: { on: 'delay', seconds: 5 } },
}
const hero: Decision = { ...popup, slot: 'home-hero', format: 'hero' }

const format: FormatModule = {
  mount(host) {
    host.attachShadow({ mode: 'open' }).append(document.createElement('div'))
    return () => {}
  },
}

function setup() {
  const triggers = createTriggerContext(() => 1, vi.fn())
  const stops: ReturnType<typeof vi.fn>[] = []
  const hooks = {
    load: vi.fn(async () => format),
    rendered: vi.fn(),
    viewable: vi.fn(),
    told: vi.fn(),
    sender: () => ({ api: 'https://api.test', site: 'pk_test' }),
    closed: vi.fn(),
    report: vi.fn(),
    timed: vi.fn(),
    tracked: vi.fn(),
    observe: () => () => {},
    arm: vi.fn(async (trigger, fire) => {
      const stop = vi.fn(arm(trigger, fire, triggers))
      stops.push(stop)
      return stop
    }),
  } satisfies UnitHooks
  return { units: createUnits(hooks), hooks, stops }
}

const drawn = () => document.querySelectorAll('promo-unit').length
/** Lets the chunk and format promises settle, as fake timers leave them. */
const settle = () => vi.advanceTimersByTimeAsync(0)

beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

describe('units with a trigger', () => {
  it('a page-level unit waits for its trigger; its impression counts when it is drawn', async () => {
    const { units, hooks } = setup()
    const rendering = units.render(popup, undefined)
    await settle()
    expect(drawn()).toBe(0)
    expect(hooks.rendered).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(5000)
    await rendering
    expect(drawn()).toBe(1)
    expect(hooks.rendered).toHaveBeenCalledWith(popup)
  })

  it.each(['popup', 'slide_in'])('a lead form shown as %s waits for its trigger too', async (display) => {
    const { units } = setup()
    const form: Decision = {
      ...popup,
      type: 'lead_generation',
      format: display,
      config: { display, trigger: { on: 'delay', seconds: 3 } },
    }
    const rendering = units.render(form, undefined)
    await settle()
    expect(drawn()).toBe(0)
    await vi.advanceTimersByTimeAsync(3000)
    await rendering
    expect(drawn()).toBe(1)
  })

  it('a load trigger, no trigger and a unit in a slot draw at once, without the trigger chunk', async () => {
    const { units, hooks } = setup()
    const slot = document.body.appendChild(document.createElement('div'))
    await units.render({ ...popup, config: { trigger: { on: 'load' } } }, undefined)
    await units.render({ ...popup, config: {} }, undefined)
    await units.render(hero, slot)
    expect(drawn()).toBe(3)
    expect(hooks.arm).not.toHaveBeenCalled()
  })

  it('a unit cleared before its trigger fires stops waiting and is never drawn', async () => {
    const { units, hooks, stops } = setup()
    const rendering = units.render(popup, undefined)
    await settle()
    units.clear()
    expect(stops[0]).toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(10_000)
    await rendering
    expect(drawn()).toBe(0)
    expect(hooks.rendered).not.toHaveBeenCalled()
  })

  it('a unit cleared while the trigger chunk loads stops as soon as it arrives', async () => {
    const { units, hooks, stops } = setup()
    const rendering = units.render(popup, undefined)
    units.clear()
    await settle()
    await rendering
    expect(hooks.arm).toHaveBeenCalledOnce()
    expect(stops[0]).toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(drawn()).toBe(0)
  })

  it('a trigger chunk that fails to load is reported, and the unit is not drawn', async () => {
    const { units, hooks } = setup()
    hooks.arm.mockRejectedValueOnce(new Error('chunk failed'))
    await units.render(popup, undefined)
    expect(hooks.report).toHaveBeenCalledWith(new Error('chunk failed'))
    expect(drawn()).toBe(0)
  })
})

describe("a format hearing the page's tracked events", () => {
  it('hears each Promo.track with its props while its unit is on the page, and nothing after it goes', async () => {
    const triggers = createTriggerContext(() => 1, vi.fn())
    const heard: unknown[][] = []
    const listening: FormatModule = {
      mount(host, _decision, ctx) {
        host.attachShadow({ mode: 'open' }).append(document.createElement('div'))
        ctx.onTrack?.((name, props) => heard.push([name, props]))
        return () => {}
      },
    }
    const { hooks } = setup()
    const units = createUnits({
      ...hooks,
      load: vi.fn(async () => listening),
      page: { send: vi.fn(), storage: () => localStorage, canStore: () => false, onTrack: triggers.onTrack },
    })
    const slot = document.body.appendChild(document.createElement('div'))
    await units.render(hero, slot)
    const cart = { contents: [{ id: 'sku-1', quantity: 1, item_price: 20 }], value: 20, currency: 'EUR' }
    triggers.tracked('AddToCart', cart)
    units.clear()
    triggers.tracked('Purchase', { value: 20 })
    expect(heard).toEqual([['AddToCart', cart]])
  })
})
