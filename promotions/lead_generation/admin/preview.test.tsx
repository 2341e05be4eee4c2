// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderInto } from '../../../admin/test-render'
import { leadGenerationAdmin } from '.'

afterEach(() => {
  vi.useRealTimers()
})

describe('lead form preview', () => {
  it('mounts the lead form widget itself, from the editor’s default config', () => {
    vi.useFakeTimers()
    const Preview = leadGenerationAdmin.Preview
    if (!Preview) throw new Error('no preview')
    const view = renderInto(
      <Preview
        decision={{
          slot: 'footer',
          campaignId: 'c1',
          variantId: 'v1',
          type: 'lead_generation',
          format: 'inline',
          creative: { headline: 'Get the guide' },
          config: leadGenerationAdmin.defaultConfig(),
          token: 'preview',
        }}
      />,
    )
    act(() => {
      vi.advanceTimersByTime(200)
    })
    const shadow = view.container.querySelector('.preview-slot .preview-host')?.shadowRoot
    expect(shadow?.textContent).toContain('Get the guide')
    expect(shadow?.querySelector('input[type="email"]')).not.toBeNull()
    expect(view.container.querySelector('[role="alert"]')).toBeNull()
    view.unmount()
  })

  it('says why there is nothing to draw while the config is not valid', () => {
    const Preview = leadGenerationAdmin.Preview
    if (!Preview) throw new Error('no preview')
    const view = renderInto(
      <Preview
        decision={{
          campaignId: 'c1',
          variantId: 'v1',
          type: 'lead_generation',
          format: 'popup',
          creative: { headline: 'Get the guide' },
          config: { display: 'banner' },
          token: 'preview',
        }}
      />,
    )
    expect(view.container.querySelector('[role="status"]')?.textContent).toContain('config.display')
    expect(view.container.querySelector('.preview-host')).toBeNull()
    view.unmount()
  })
})
