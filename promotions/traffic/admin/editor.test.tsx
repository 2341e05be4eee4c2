// @vitest-environment happy-dom
import { useState } from 'preact/hooks'
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Config } from '../../../admin/promotion-type'
import { renderInto, settle } from '../../../admin/testing/render'
import type { Decision } from '../../../schema/serve'
import { trafficConfig } from '../config'
import { TrafficFields, withDefaults } from './editor'
import { trafficAdmin } from './index'
import { pinnedItems, TrafficPreview } from './preview'

const el = <T extends Element = HTMLInputElement>(container: HTMLElement, selector: string): T => {
  const found = container.querySelector<T>(selector)
  if (!found) throw new Error(`nothing at ${selector}`)
  return found
}
function type(container: HTMLElement, id: string, value: string) {
  const input = el<HTMLInputElement>(container, `#${id}`)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}
function choose(container: HTMLElement, id: string, value: string) {
  const select = el<HTMLSelectElement>(container, `#${id}`)
  act(() => {
    select.value = value
    select.dispatchEvent(new Event('change', { bubbles: true }))
  })
}
function tick(container: HTMLElement, id: string, checked: boolean) {
  const box = el(container, `#${id}`)
  act(() => {
    box.checked = checked
    box.dispatchEvent(new Event('change', { bubbles: true }))
  })
}
function click(container: HTMLElement, text: string) {
  const button = [...container.querySelectorAll('button')].find((b) => b.textContent === text)
  if (!button) throw new Error(`no button “${text}”`)
  act(() => button.click())
}

let unmount = () => {}
afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

function mountEditor(start: Config, errors: ReadonlyMap<string, string> = new Map()) {
  let current = start
  function Host() {
    const [config, setConfig] = useState(start)
    current = config
    return (
      <TrafficFields
        config={config}
        errors={errors}
        onChange={(next) => {
          current = next
          setConfig(next)
        }}
      />
    )
  }
  const view = renderInto(<Host />)
  unmount = view.unmount
  return { container: view.container, config: () => current }
}

describe('traffic editor', () => {
  it('starts from a config the schema takes, and fills the defaults the schema fills', () => {
    expect(trafficConfig.safeParse(trafficAdmin.defaultConfig()).success).toBe(true)
    const configs: Config[] = [
      {},
      { layout: 'carousel', maxCards: 6, scoring: { ctrWeight: 2 } },
      {
        cards: [{ title: 'Guide', url: 'https://shop.example/guide', topics: ['winter'] }],
        appendUtm: false,
      },
    ]
    for (const config of configs) expect(withDefaults(config)).toEqual(trafficConfig.parse(config))
  })

  it('builds a carousel with a pinned card and its ranking, which the API takes', () => {
    const { container: c, config } = mountEditor(trafficAdmin.defaultConfig())
    choose(c, 'field-config-layout', 'carousel')
    type(c, 'field-config-maxCards', '4')
    type(c, 'field-config-heading', 'Read next')
    choose(c, 'field-config-optimizationGoal', 'engaged_sessions')
    tick(c, 'field-config-placements-sidebar', true)
    tick(c, 'field-config-appendUtm', false)
    click(c, 'Pin a card')
    type(c, 'field-config-cards-0-title', 'Winter guide')
    type(c, 'field-config-cards-0-url', 'https://shop.example/winter')
    type(c, 'field-config-cards-0-badge', 'New')
    type(c, 'field-config-cards-0-topics', 'winter, coats ,')
    type(c, 'field-config-scoring-seenPenalty', '0.2')

    const built = config()
    const parsed = trafficConfig.safeParse(built)
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
    expect(built).toMatchObject({
      layout: 'carousel',
      maxCards: 4,
      heading: 'Read next',
      optimizationGoal: 'engaged_sessions',
      placements: ['inline', 'sidebar'],
      appendUtm: false,
      cards: [
        {
          title: 'Winter guide',
          url: 'https://shop.example/winter',
          badge: 'New',
          topics: ['winter', 'coats'],
        },
      ],
      scoring: { seenPenalty: 0.2 },
    })
  })

  it('shows the API’s errors at the card field they name', () => {
    const { container: c } = mountEditor(
      { cards: [{ title: 'x', url: 'javascript:alert(1)' }] },
      new Map([['config.cards.0.url', 'must be an http(s) URL']]),
    )
    const url = el(c, '#field-config-cards-0-url')
    expect(url.getAttribute('aria-invalid')).toBe('true')
    expect(c.textContent).toContain('must be an http(s) URL')
  })
})

describe('traffic preview', () => {
  const decision = (config: Config): Decision => ({
    slot: 'article-inline',
    campaignId: 'c1',
    variantId: 'v1',
    type: 'traffic' as Decision['type'],
    format: 'inline',
    creative: { headline: 'Read next' },
    config,
    token: 'preview',
  })

  it('draws the rail widget with the pinned cards as serve gives them, text as text', async () => {
    vi.stubGlobal('fetch', vi.fn())
    const config = {
      heading: 'Read next',
      cards: [
        { title: '<b>Winter</b> guide', url: 'https://shop.example/winter', description: 'Stay warm' },
        { title: 'No link' },
      ],
    }
    expect(pinnedItems(config)).toEqual([
      {
        url: 'https://shop.example/winter',
        title: '<b>Winter</b> guide',
        summary: 'Stay warm',
        clickUrl: 'https://shop.example/winter',
      },
    ])
    const view = renderInto(<TrafficPreview decision={decision(config)} />)
    unmount = view.unmount
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200))
    })
    await vi.waitFor(async () => {
      await settle(1)
      const shadow = view.container.querySelector('.preview-slot .preview-host')?.shadowRoot
      expect(shadow?.textContent).toContain('<b>Winter</b> guide')
    })
    const shadow = view.container.querySelector('.preview-slot .preview-host')?.shadowRoot
    expect(shadow?.querySelector('b')).toBeNull()
    expect(shadow?.textContent).toContain('Read next')
  })

  it('says where a catalog rail’s cards come from when none are pinned', () => {
    const view = renderInto(<TrafficPreview decision={decision({})} />)
    unmount = view.unmount
    expect(view.container.textContent).toContain('pages from the content catalog')
  })
})
