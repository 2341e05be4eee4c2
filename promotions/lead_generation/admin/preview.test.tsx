// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { renderInto } from '../../../admin/testing/render'
import type { Decision } from '../../../schema/serve'
import { leadGenerationConfig } from '../config'
import { leadGeneration } from '../server/index'
import { LeadGenerationPreview, previewConfig } from './preview'
import { leadGenerationTemplates } from './templates'

/** What the API hands the browser for a saved config: the schema's output through the type's publicConfig. */
function served(config: Record<string, unknown>) {
  const saved = leadGenerationConfig.parse(config)
  return leadGeneration.publicConfig?.(saved)
}

function decision(config: Record<string, unknown>, slot?: string): Decision {
  return {
    ...(slot ? { slot } : {}),
    campaignId: 'c1',
    variantId: 'v1',
    type: 'lead_generation',
    format: slot ? 'inline' : String(config.display ?? 'inline'),
    creative: { headline: 'Join the list' },
    config,
    token: 'preview',
  }
}

let view: ReturnType<typeof renderInto> | undefined

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  view?.unmount()
  view = undefined
  vi.useRealTimers()
})

describe('lead form preview', () => {
  it.each(leadGenerationTemplates.map((template) => [template.id, template.config]))(
    'hands the widget what the API would serve for the “%s” template, without the captcha',
    (_id, config) => {
      expect(previewConfig(config)).toEqual({ ...served(config), captcha: false })
    },
  )

  it('fills a form typed out of step order as the API numbers it', () => {
    const config = {
      fields: [
        { name: 'company', type: 'text', label: 'Company', step: 4 },
        { name: 'email', type: 'email', label: 'Email', required: true, step: 2 },
        { name: 'ok', type: 'consent', label: 'I agree', checked: true },
      ],
      scoring: { rules: [{ field: 'company', when: 'filled', points: 5 }] },
    }
    expect(previewConfig(config)).toEqual({ ...served(config), captcha: false })
    expect(previewConfig({ fields: 'not yet' }).fields).toEqual([
      expect.objectContaining({ name: 'email', type: 'email', step: 0 }),
    ])
  })

  it('draws the lead form widget itself in the slot, once its chunk is loaded', async () => {
    const template = leadGenerationTemplates.find((option) => option.id === 'webinar-rsvp')
    if (!template) throw new Error('no webinar template')
    view = renderInto(<LeadGenerationPreview decision={decision(template.config, 'webinar-signup')} />)
    // The widget comes in its own chunk: the preview says so until it is there.
    expect(view.container.querySelector('[role="status"]')?.textContent).toBe('Loading the form…')
    await act(async () => {
      await import('../widget/index')
      await vi.advanceTimersByTimeAsync(0)
    })
    act(() => {
      vi.advanceTimersByTime(200)
    })
    const root = view.container.querySelector('.preview-slot .preview-host')?.shadowRoot
    expect(root).toBeTruthy()
    const labels = [...(root?.querySelectorAll('label') ?? [])].map((label) => label.textContent?.trim())
    expect(labels).toEqual(expect.arrayContaining(['First name *', 'Work email *', 'Company', 'Role']))
    expect(root?.textContent).toContain('Save my seat')
  })
})
