// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { renderInto, settle } from '../../../admin/testing/render'
import type { Decision } from '../../../schema/serve'
import { EngagementPreview } from './preview'

const markup = '<img src=x onerror=alert(1)>'

function decision(
  config: Record<string, unknown>,
  creative: Decision['creative'] = { headline: 'Spring' },
): Decision {
  return {
    slot: 'blog-inline',
    campaignId: 'c1',
    variantId: 'v1',
    type: 'engagement',
    format: 'inline',
    creative,
    config,
    token: 'preview',
  }
}

/** The drawn unit: the shadow root of the host in the preview's slot. */
const unit = (container: HTMLElement) => container.querySelector('.preview-slot .preview-host')?.shadowRoot

let view: ReturnType<typeof renderInto> | undefined
const fetch = vi.fn()

beforeEach(() => {
  fetch.mockReset()
  vi.stubGlobal('fetch', fetch)
})

afterEach(() => {
  view?.unmount()
  view = undefined
  vi.unstubAllGlobals()
})

describe('engagement preview', () => {
  it('mounts the engagement widget in the slot, from the edited config with its defaults, sending nothing', async () => {
    view = renderInto(
      <EngagementPreview
        decision={decision(
          {
            engagementTypes: ['like', 'react', 'vote'],
            reactions: ['love', 'wow'],
            poll: {
              question: 'Which colour?',
              options: [
                { id: 'r', label: 'Red' },
                { id: 'b', label: 'Blue' },
              ],
            },
          },
          { headline: markup },
        )}
      />,
    )
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200))
    })
    await settle()
    const shadow = unit(view.container)
    expect(shadow?.textContent).toContain(markup)
    expect(shadow?.querySelector('img')).toBeNull()
    // The poll comes with the widget's forms chunk, a moment later.
    await vi.waitFor(async () => {
      await settle(1)
      expect(unit(view?.container ?? document.body)?.textContent).toContain('Which colour?')
    })
    expect(shadow?.textContent).toContain('Blue')
    const like = [...(shadow?.querySelectorAll('button') ?? [])].find((b) =>
      /like/i.test(b.textContent ?? ''),
    )
    expect(like).toBeDefined()
    act(() => like?.click())
    await settle()
    expect(fetch).not.toHaveBeenCalled()
    expect(view.container.querySelector('[role="alert"]')).toBeNull()
  })
})
