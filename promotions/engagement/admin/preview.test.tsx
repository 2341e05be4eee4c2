// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { renderInto } from '../../../admin/test-render'
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

let view: ReturnType<typeof renderInto> | undefined

afterEach(() => {
  view?.unmount()
  view = undefined
})

describe('engagement preview', () => {
  it('draws each action the config turns on, with its options', () => {
    view = renderInto(
      <EngagementPreview
        decision={decision({
          engagementTypes: ['like', 'react', 'share', 'vote', 'comment'],
          reactions: ['love', 'wow'],
          share: { networks: ['x', 'email'], hashtags: ['spring'] },
          poll: {
            question: 'Which colour?',
            options: [
              { id: 'r', label: 'Red' },
              { id: 'b', label: 'Blue' },
            ],
            allowMultiple: true,
            showResults: 'never',
          },
          comments: { maxLength: 280, showRecent: 3, moderation: 'pre' },
          showCounts: true,
        })}
      />,
    )
    const unit = view.container.querySelector('[data-testid="engagement-preview"]')
    const buttons = [...(unit?.querySelectorAll('button') ?? [])].map((b) => b.textContent)
    expect(buttons).toEqual(['Like 0', '❤️ Love 0', '😮 Wow 0', 'X', 'Email', 'Vote'])
    expect(unit?.querySelector('legend')?.textContent).toBe('Which colour?')
    expect(unit?.querySelectorAll('input[type="checkbox"]')).toHaveLength(2)
    expect(unit?.textContent).toContain('#spring')
    expect(unit?.textContent).toContain('Results are not shown to visitors.')
    expect(unit?.querySelector('textarea')?.getAttribute('maxlength')).toBe('280')
    expect(unit?.textContent).toContain('waits for approval')
    expect(unit?.textContent).toContain('The 3 latest')
  })

  it('leaves out what the config turns off, counts too, and shows text as text', () => {
    view = renderInto(
      <EngagementPreview
        decision={decision(
          { engagementTypes: ['like'], showCounts: false, share: { text: markup } },
          { headline: markup, body: markup },
        )}
      />,
    )
    const unit = view.container.querySelector('[data-testid="engagement-preview"]')
    expect([...(unit?.querySelectorAll('button') ?? [])].map((b) => b.textContent)).toEqual(['Like '])
    expect(unit?.querySelector('fieldset, textarea')).toBeNull()
    expect(unit?.querySelector('.eng-headline')?.textContent).toBe(markup)
    expect(unit?.querySelector('img')).toBeNull()
  })
})
