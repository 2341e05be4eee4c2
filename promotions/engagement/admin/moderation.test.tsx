// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Site } from '../../../admin/api'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { testSite } from '../../../admin/testing/site'
import type { EngagementComment } from './api'
import { CommentsPage } from './moderation'

const site = testSite({
  id: 's1',
  name: 'Shop',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  createdAt: '2025-01-01T00:00:00Z',
})
const other: Site = { ...site, id: 's2', name: 'Blog' }

/** Text that would be markup if anything rendered it as HTML. */
const markup = '<img src=x onerror=alert(1)><b>bold</b>'

function comment(overrides: Partial<EngagementComment> = {}): EngagementComment {
  return {
    id: 'm1',
    siteId: 's1',
    campaignId: 'c1',
    campaignName: 'Colour poll',
    variantId: 'v1',
    text: 'Love the blue one',
    name: 'Ada',
    status: 'pending',
    createdAt: '2025-03-01T10:00:00.000Z',
    anonymousId: 'anon-1',
    ...overrides,
  }
}

interface Call {
  method: string
  url: string
}

/** A moderation API over a list of comments, recording each call. */
function server(comments: EngagementComment[], { missing = '' } = {}) {
  const calls: Call[] = []
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET'
    calls.push({ method, url })
    const parsed = new URL(url, 'http://admin.test')
    if (parsed.pathname === '/api/v1/campaigns')
      return json(200, {
        data: [
          { id: 'c1', name: 'Colour poll' },
          { id: 'c2', name: 'Launch' },
        ],
        nextCursor: null,
      })
    if (method === 'GET' && parsed.pathname === '/api/v1/engagements/comments') {
      const status = parsed.searchParams.get('status')
      const campaignId = parsed.searchParams.get('campaignId')
      const data = comments.filter(
        (c) =>
          c.siteId === parsed.searchParams.get('siteId') &&
          c.status === status &&
          (!campaignId || c.campaignId === campaignId),
      )
      return json(200, { data, nextCursor: null })
    }
    const action = /^\/api\/v1\/engagements\/comments\/([^/]+)(?:\/(approve|reject))?$/.exec(parsed.pathname)
    const found = comments.find((c) => c.id === decodeURIComponent(action?.[1] ?? ''))
    if (!action || !found || found.id === missing)
      return json(404, { error: { code: 'not_found', message: 'Comment not found' } })
    if (method === 'DELETE') return new Response(null, { status: 204 })
    found.status = action[2] === 'approve' ? 'published' : 'rejected'
    return json(200, found)
  })
  vi.stubGlobal('fetch', fetch)
  return calls
}

const button = (container: HTMLElement, card: Element | undefined, text: string) => {
  const found = [...(card ?? container).querySelectorAll('button')].find((b) => b.textContent === text)
  if (!found) throw new Error(`no button “${text}”`)
  return found
}
const cards = (container: HTMLElement) => [...container.querySelectorAll('article.comment')]

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

describe('comment moderation', () => {
  it('lists the site’s held comments, showing markup in a comment as the text it is', async () => {
    const calls = server([
      comment({ id: 'm1', text: markup, name: '<script>alert(1)</script>' }),
      comment({ id: 'm2', status: 'published' }),
      comment({ id: 'm3', siteId: 's2' }),
    ])
    const view = renderInto(<CommentsPage sites={[site, other]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    expect(calls.find((c) => c.url.startsWith('/api/v1/engagements/comments'))?.url).toBe(
      '/api/v1/engagements/comments?siteId=s1&status=pending&limit=50',
    )
    expect(cards(view.container)).toHaveLength(1)
    const card = cards(view.container)[0]
    expect(card?.querySelector('.comment-text')?.textContent).toBe(markup)
    expect(card?.querySelector('.comment-name')?.textContent).toBe('<script>alert(1)</script>')
    expect(view.container.querySelector('img, b, script')).toBeNull()
    expect(card?.textContent).toContain('Colour poll')
  })

  it('approves a held comment: it is published and leaves the queue', async () => {
    const calls = server([comment({ id: 'm1' }), comment({ id: 'm2', text: 'Second' })])
    const view = renderInto(<CommentsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    act(() => button(view.container, cards(view.container)[0], 'Approve').click())
    await settle()
    expect(calls.at(-1)).toEqual({ method: 'POST', url: '/api/v1/engagements/comments/m1/approve' })
    expect(cards(view.container).map((c) => c.querySelector('.comment-text')?.textContent)).toEqual([
      'Second',
    ])
    expect(view.container.querySelector('[role="status"]')?.textContent).toBe('Comment published.')
  })

  it('rejects a published comment, and can approve it again from the rejected list', async () => {
    const calls = server([comment({ id: 'm1', status: 'published' })])
    const view = renderInto(<CommentsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    const status = view.container.querySelector<HTMLSelectElement>('#comment-status')
    act(() => {
      if (!status) throw new Error('no status filter')
      status.value = 'published'
      status.dispatchEvent(new Event('change', { bubbles: true }))
    })
    await settle()
    const card = cards(view.container)[0]
    expect(() => button(view.container, card, 'Approve')).toThrow()
    act(() => button(view.container, card, 'Reject').click())
    await settle()
    expect(calls.at(-1)).toEqual({ method: 'POST', url: '/api/v1/engagements/comments/m1/reject' })
    expect(cards(view.container)).toHaveLength(0)

    act(() => {
      if (!status) throw new Error('no status filter')
      status.value = 'rejected'
      status.dispatchEvent(new Event('change', { bubbles: true }))
    })
    await settle()
    expect(cards(view.container)).toHaveLength(1)
    act(() => button(view.container, cards(view.container)[0], 'Approve').click())
    await settle()
    expect(calls.at(-1)).toEqual({ method: 'POST', url: '/api/v1/engagements/comments/m1/approve' })
    expect(cards(view.container)).toHaveLength(0)
  })

  it('deletes a comment after confirming, and keeps it when the confirmation is declined', async () => {
    const calls = server([comment({ id: 'm1' })])
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const view = renderInto(<CommentsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    act(() => button(view.container, cards(view.container)[0], 'Delete').click())
    await settle()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)
    expect(cards(view.container)).toHaveLength(1)

    confirm.mockReturnValue(true)
    act(() => button(view.container, cards(view.container)[0], 'Delete').click())
    await settle()
    expect(calls.at(-1)).toEqual({ method: 'DELETE', url: '/api/v1/engagements/comments/m1' })
    expect(cards(view.container)).toHaveLength(0)
    expect(view.container.querySelector('[role="status"]')?.textContent).toBe('Comment deleted.')
  })

  it('filters by campaign, and drops a comment the API no longer has', async () => {
    const calls = server([comment({ id: 'm1' })], { missing: 'm1' })
    const view = renderInto(<CommentsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    const filter = view.container.querySelector<HTMLSelectElement>('#comment-campaign')
    expect([...(filter?.options ?? [])].map((o) => o.textContent)).toEqual([
      'All campaigns',
      'Colour poll',
      'Launch',
    ])
    act(() => {
      if (!filter) throw new Error('no campaign filter')
      filter.value = 'c2'
      filter.dispatchEvent(new Event('change', { bubbles: true }))
    })
    await settle()
    expect(calls.at(-1)?.url).toBe(
      '/api/v1/engagements/comments?siteId=s1&status=pending&campaignId=c2&limit=50',
    )
    expect(cards(view.container)).toHaveLength(0)

    act(() => {
      if (!filter) throw new Error('no campaign filter')
      filter.value = ''
      filter.dispatchEvent(new Event('change', { bubbles: true }))
    })
    await settle()
    act(() => button(view.container, cards(view.container)[0], 'Approve').click())
    await settle()
    expect(cards(view.container)).toHaveLength(0)
    expect(view.container.querySelector('[role="alert"]')?.textContent).toContain('no longer exists')
  })
})
