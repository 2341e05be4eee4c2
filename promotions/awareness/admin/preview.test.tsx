// @vitest-environment happy-dom
import { render } from 'preact'
import { act } from 'preact/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { renderInto } from '../../../admin/testing/render'
import type { Decision } from '../../../schema/serve'
import { mount } from '../widget/index'
import { AwarenessPreview as Preview } from './preview'

// The real widget, watched: the preview must hand it the decision with `preview: true`.
vi.mock('../widget/index', async (importOriginal) => {
  const original = await importOriginal<typeof import('../widget/index')>()
  return { mount: vi.fn(original.mount) }
})

function decision(overrides: Partial<Decision> = {}): Decision {
  return {
    slot: 'home-hero',
    campaignId: 'c1',
    variantId: 'v1',
    type: 'awareness',
    format: 'hero',
    creative: { headline: 'Winter sale', ctaText: 'Shop now', ctaUrl: 'https://shop.example/sale' },
    config: { format: 'hero', dismissible: true },
    token: 'preview',
    ...overrides,
  }
}

/** The drawn unit: the shadow root of the single host currently in the preview. */
function unit(container: HTMLElement): ShadowRoot | null {
  const hosts = container.querySelectorAll('.preview-host')
  expect(hosts.length).toBeLessThanOrEqual(1)
  return hosts[0]?.shadowRoot ?? null
}

function advance(ms: number) {
  act(() => {
    vi.advanceTimersByTime(ms)
  })
}

let view: ReturnType<typeof renderInto> | undefined

beforeEach(() => {
  vi.useFakeTimers()
  vi.mocked(mount).mockClear()
})

afterEach(() => {
  view?.unmount()
  view = undefined
  vi.useRealTimers()
})

describe('live preview', () => {
  it('draws the SDK widget in preview mode, in the slot for hero and inline formats', () => {
    view = renderInto(<Preview decision={decision()} />)
    advance(200)

    expect(mount).toHaveBeenCalledTimes(1)
    expect(vi.mocked(mount).mock.calls[0]?.[2]).toMatchObject({ preview: true })
    expect(view.container.querySelector('.preview-slot .preview-host')).not.toBeNull()
    expect(unit(view.container)?.textContent).toContain('Winter sale')
  })

  it('puts page-level formats under the transformed stage, not the admin window', () => {
    view = renderInto(<Preview decision={decision({ slot: undefined, format: 'popup' })} />)
    advance(200)

    const host = view.container.querySelector('.preview-host')
    expect(host?.closest('.preview-slot')).toBeNull()
    expect(host?.closest('.preview-stage')).not.toBeNull()
    expect(unit(view.container)?.querySelector('[role="dialog"]')).not.toBeNull()
  })

  it('re-mounts once typing pauses, replacing the previous unit', () => {
    const container = document.createElement('div')
    document.body.append(container)
    view = { container, unmount: () => act(() => render(null, container)) }
    act(() => render(<Preview decision={decision()} />, container))
    advance(200)

    for (const headline of ['W', 'Wi', 'Win']) {
      act(() => render(<Preview decision={decision({ creative: { headline } })} />, container))
      advance(50)
    }
    expect(mount).toHaveBeenCalledTimes(1)
    expect(unit(container)?.textContent).toContain('Winter sale')

    advance(200)
    expect(mount).toHaveBeenCalledTimes(2)
    expect(unit(container)?.textContent).toContain('Win')
    expect(unit(container)?.textContent).not.toContain('Winter sale')
  })

  it('shows creative text as text and drops links that are not http(s)', () => {
    const markup = '<img src=x onerror=alert(1)>'
    view = renderInto(
      <Preview
        decision={decision({ creative: { headline: markup, ctaText: 'Go', ctaUrl: 'javascript:alert(1)' } })}
      />,
    )
    advance(200)

    const shadow = unit(view.container)
    expect(shadow?.textContent).toContain(markup)
    expect(shadow?.querySelector('img')).toBeNull()
    expect(shadow?.querySelector('a[href^="javascript"]')).toBeNull()
  })

  it('removes the unit when the editor goes away', () => {
    view = renderInto(<Preview decision={decision()} />)
    advance(200)
    const container = view.container
    view.unmount()
    view = undefined
    expect(container.querySelector('.preview-host')).toBeNull()
  })
})
