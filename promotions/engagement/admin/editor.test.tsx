// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Campaign } from '../../../admin/api'
import { CampaignEditorPage } from '../../../admin/pages/campaign-editor'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { testSite } from '../../../admin/testing/site'
import { engagementConfig } from '../config'
import { defaultEngagementConfig, withDefaults } from './editor'

const site = testSite({
  id: 's1',
  name: 'Shop',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  createdAt: '2025-01-01T00:00:00Z',
})

const config = {
  engagementTypes: ['like', 'react', 'vote', 'share'],
  contentId: 'post-42',
  contentType: 'article',
  reactions: ['like', 'love'],
  share: { networks: ['x', 'copy'], text: 'Read this', hashtags: ['spring'] },
  poll: {
    question: 'Which colour?',
    options: [
      { id: 'red', label: 'Red' },
      { id: 'blue', label: 'Blue' },
    ],
    allowMultiple: false,
    showResults: 'after_vote',
  },
  comments: { maxLength: 500, showRecent: 5, moderation: 'post' },
  showCounts: true,
}

const campaign: Campaign = {
  id: 'c1',
  siteId: 's1',
  name: 'Colour poll',
  type: 'engagement',
  status: 'paused',
  objective: null,
  priority: 0,
  weight: 1,
  placements: ['blog-inline'],
  schedule: { timezone: 'Europe/Paris' },
  targeting: {},
  frequency: { countOn: 'viewable' },
  experiment: { holdoutPercent: 0 },
  pacing: null,
  cost: null,
  config,
  variants: [{ id: 'v1', name: 'A', weight: 1, creative: { headline: 'Spring colours' } }],
  createdBy: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-02T00:00:00Z',
}

const el = <T extends Element = HTMLInputElement>(container: HTMLElement, selector: string): T => {
  const found = container.querySelector<T>(selector)
  if (!found) throw new Error(`nothing at ${selector}`)
  return found
}

function type(container: HTMLElement, id: string, value: string) {
  const input = el<HTMLInputElement | HTMLTextAreaElement>(container, `#${id}`)
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

function submit(container: HTMLElement) {
  act(() => {
    container.querySelector('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  })
}

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

describe('engagement editor', () => {
  it('starts from a config the schema takes as it is', () => {
    const parsed = engagementConfig.safeParse(defaultEngagementConfig())
    expect(parsed.success).toBe(true)
    expect(parsed.data).toEqual(defaultEngagementConfig())
  })

  it('fills the defaults the schema fills, for the preview, without the schema', () => {
    const configs = [
      {},
      { engagementTypes: ['comment'], comments: { moderation: 'pre' } },
      {
        engagementTypes: ['vote'],
        poll: {
          question: 'Q?',
          options: [
            { id: 'a', label: 'A' },
            { id: 'b', label: 'B' },
          ],
        },
      },
      { share: { text: 'Read', networks: ['x'] }, showCounts: false, contentId: 'post-1' },
    ]
    for (const config of configs) expect(withDefaults(config)).toEqual(engagementConfig.parse(config))
  })

  it('shows a saved config in its fields, and sends back every change as the config the API takes', async () => {
    const patches: Record<string, unknown>[] = []
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'PATCH') {
        const body = JSON.parse(String(init.body))
        patches.push(body)
        return json(200, { ...campaign, config: body.config })
      }
      return url === '/api/v1/campaigns/c1' ? json(200, campaign) : json(404, {})
    })
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    const c = view.container

    expect(el(c, '#field-config-engagementTypes-vote').checked).toBe(true)
    expect(el(c, '#field-config-engagementTypes-comment').checked).toBe(false)
    expect(el(c, '#field-config-contentId').value).toBe('post-42')
    expect(el<HTMLSelectElement>(c, '#field-config-contentType').value).toBe('article')
    expect(el(c, '#field-config-reactions-love').checked).toBe(true)
    expect(el(c, '#field-config-share-networks-facebook').checked).toBe(false)
    expect(el(c, '#field-config-share-hashtags').value).toBe('spring')
    expect(el(c, '#field-config-poll-question').value).toBe('Which colour?')
    expect(el(c, '#field-config-poll-options-1-label').value).toBe('Blue')
    // The placements stay: an engagement unit fills a slot.
    expect(el(c, '#field-placements').value).toBe('blog-inline')
    // The creative is the content's title and context: no button, image or colours to set.
    expect(el(c, '#field-variants-0-creative-headline').value).toBe('Spring colours')
    expect(c.querySelector('#field-variants-0-creative-body')).not.toBeNull()
    for (const unused of ['ctaText', 'ctaUrl', 'imageUrl', 'imageAlt', 'backgroundColor', 'textColor'])
      expect(c.querySelector(`#field-variants-0-creative-${unused}`)).toBeNull()

    tick(c, 'field-config-reactions-sad', true)
    tick(c, 'field-config-share-networks-x', false)
    tick(c, 'field-config-share-networks-email', true)
    type(c, 'field-config-share-hashtags', '#spring, news ,')
    type(c, 'field-config-poll-options-1-label', 'Sky blue')
    click(c, 'Add an answer')
    type(c, 'field-config-poll-options-2-label', 'Green')
    tick(c, 'field-config-poll-allowMultiple', true)
    choose(c, 'field-config-poll-showResults', 'always')
    type(c, 'field-config-poll-closesAt', '2030-06-01T12:00')
    tick(c, 'field-config-engagementTypes-comment', true)
    type(c, 'field-config-comments-maxLength', '280')
    type(c, 'field-config-comments-showRecent', '0')
    choose(c, 'field-config-comments-moderation', 'pre')
    tick(c, 'field-config-showCounts', false)
    type(c, 'field-config-contentUrl', 'https://blog.example/colours')
    submit(c)
    await settle()

    expect(patches).toHaveLength(1)
    const sent = patches[0]?.config
    expect(sent).toEqual({
      engagementTypes: ['like', 'react', 'share', 'comment', 'vote'],
      contentId: 'post-42',
      contentType: 'article',
      contentUrl: 'https://blog.example/colours',
      reactions: ['like', 'love', 'sad'],
      share: { networks: ['email', 'copy'], text: 'Read this', hashtags: ['spring', 'news'] },
      poll: {
        question: 'Which colour?',
        options: [
          { id: 'red', label: 'Red' },
          { id: 'blue', label: 'Sky blue' },
          { id: 'option-1', label: 'Green' },
        ],
        allowMultiple: true,
        showResults: 'always',
        closesAt: new Date('2030-06-01T12:00').toISOString(),
      },
      comments: { maxLength: 280, showRecent: 0, moderation: 'pre' },
      showCounts: false,
    })
    // What the editor sends is what the type's schema takes, unchanged.
    expect(engagementConfig.parse(sent)).toEqual(sent)
    expect(patches[0]?.placements).toEqual(['blog-inline'])
    // The saved campaign comes back into the same fields.
    expect(el(c, '#field-config-poll-options-2-label').value).toBe('Green')
    expect(el<HTMLSelectElement>(c, '#field-config-comments-moderation').value).toBe('pre')
  })

  it('shows the API’s errors at the config fields they are about', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'PATCH')
          return json(400, {
            error: {
              code: 'validation_failed',
              message: 'Invalid campaign',
              details: [
                { path: 'config.poll.options.1.label', message: 'Too small: expected at least 1 character' },
                { path: 'config.share.hashtags.0', message: 'a hashtag without #' },
                { path: 'config.comments.maxLength', message: 'Too big: expected number to be <=2000' },
              ],
            },
          })
        return url === '/api/v1/campaigns/c1' ? json(200, campaign) : json(404, {})
      }),
    )
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    const c = view.container
    tick(c, 'field-config-engagementTypes-comment', true)
    type(c, 'field-config-poll-options-1-label', '')
    type(c, 'field-config-comments-maxLength', '5000')
    submit(c)
    await settle()

    const errorOf = (id: string) => c.querySelector(`#${id}-error`)?.textContent
    expect(el(c, '#field-config-poll-options-1-label').getAttribute('aria-invalid')).toBe('true')
    expect(errorOf('field-config-poll-options-1-label')).toBe('Too small: expected at least 1 character')
    expect(errorOf('field-config-share-hashtags')).toBe('a hashtag without #')
    expect(errorOf('field-config-comments-maxLength')).toBe('Too big: expected number to be <=2000')
    const summary = c.querySelector('.error-summary')?.textContent ?? ''
    expect(summary).toContain('Poll options: Too small')
    expect(summary).toContain('Hashtags: a hashtag without #')
    expect(summary).toContain('Longest comment: Too big')
  })

  it('offers no RSVP, and keeps a value it does not offer when the list is changed', async () => {
    const patches: Record<string, unknown>[] = []
    const saved = { ...campaign, config: { ...config, engagementTypes: ['like', 'rsvp'], poll: undefined } }
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'PATCH') patches.push(JSON.parse(String(init.body)))
        return url === '/api/v1/campaigns/c1' ? json(200, saved) : json(404, {})
      }),
    )
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    expect(view.container.querySelector('#field-config-engagementTypes-rsvp')).toBeNull()
    tick(view.container, 'field-config-engagementTypes-share', true)
    submit(view.container)
    await settle()
    const sent = patches[0]?.config as Record<string, unknown> | undefined
    expect(sent?.engagementTypes).toEqual(['like', 'share', 'rsvp'])
  })

  it('starts a poll when voting is turned on, and drops it when voting is turned off', async () => {
    const created: Record<string, unknown>[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init?: RequestInit) => {
        if (init?.method === 'POST') created.push(JSON.parse(String(init.body)))
        return json(404, {})
      }),
    )
    history.replaceState(null, '', '/admin/campaigns/new?type=engagement')
    const view = renderInto(<CampaignEditorPage site={site} sites={[site]} />)
    unmount = view.unmount
    history.replaceState(null, '', '/')
    await settle()
    const c = view.container
    expect(c.querySelector('#field-config-poll-question')).toBeNull()
    tick(c, 'field-config-engagementTypes-vote', true)
    expect(el(c, '#field-config-poll-question').value).toBe('')
    expect(c.querySelectorAll('[id^="field-config-poll-options-"][id$="-label"]')).toHaveLength(2)
    tick(c, 'field-config-engagementTypes-vote', false)
    type(c, 'field-name', 'Likes')
    submit(c)
    await settle()
    const sent = created[0]?.config as Record<string, unknown> | undefined
    expect(sent).not.toHaveProperty('poll')
    expect(sent?.engagementTypes).toEqual(['like', 'share'])
  })
})
