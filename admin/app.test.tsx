// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { App, safeNext } from './app'
import { typeScreens } from './promotions'
import { matchRoute } from './router'
import { json, renderInto, settle } from './testing/render'

const session = {
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada', role: 'owner' },
  organization: { id: 'o1', name: 'Example' },
  csrfToken: 'csrf-1',
}
const sites = {
  data: [
    { id: 's1', name: 'Shop', publishableKey: 'pk_live_1', allowedOrigins: [], createdAt: '2025-01-01' },
  ],
  nextCursor: null,
}

function type(container: HTMLElement, selector: string, value: string) {
  const input = container.querySelector<HTMLInputElement>(selector)
  act(() => {
    if (!input) throw new Error(`no ${selector}`)
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  history.replaceState(null, '', '/')
})

describe('admin app', () => {
  it('sends a signed-out visitor to login, then back where they were going, with focus on the new heading', async () => {
    history.replaceState(null, '', '/admin/campaigns/new')
    let password = ''
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (url === '/api/v1/auth/me')
          return json(401, { error: { code: 'unauthorized', message: 'Log in' } })
        if (url === '/api/v1/auth/login') {
          password = JSON.parse(String(init?.body)).password
          return password === 'right'
            ? json(200, session)
            : json(401, { error: { code: 'unauthorized', message: 'Bad login' } })
        }
        if (url === '/api/v1/sites') return json(200, sites)
        return json(404, { error: { code: 'not_found', message: 'Not found' } })
      }),
    )
    const view = renderInto(<App />)
    unmount = view.unmount
    await settle()
    expect(location.pathname + location.search).toBe('/admin/login?next=%2Fadmin%2Fcampaigns%2Fnew')

    const signIn = async (secret: string) => {
      type(view.container, '#login-email', 'ada@example.com')
      type(view.container, '#login-password', secret)
      act(() => {
        view.container
          .querySelector('form')
          ?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
      })
      await settle()
    }
    await signIn('wrong')
    expect(view.container.querySelector('[role="alert"]')?.textContent).toBe(
      'That email and password do not match an account.',
    )

    await signIn('right')
    expect(location.pathname).toBe('/admin/campaigns/new')
    // The screen's code comes in its own chunk (lazy.tsx): it says it is loading until then.
    await vi.waitFor(async () => {
      await settle(1)
      expect(view.container.querySelector('h1')?.textContent).toBe('New awareness campaign')
    })
    const heading = view.container.querySelector('h1')
    await vi.waitFor(() => expect(document.activeElement).toBe(heading))
  })

  it('links to the audiences of the chosen site from the main navigation', async () => {
    history.replaceState(null, '', '/admin/campaigns')
    const fetch = vi.fn(async (url: string) => {
      if (url === '/api/v1/auth/me') return json(200, session)
      if (url === '/api/v1/sites') return json(200, sites)
      if (url.startsWith('/api/v1/campaigns')) return json(200, { data: [], nextCursor: null })
      if (url.startsWith('/api/v1/audiences')) return json(200, { data: [] })
      return json(404, { error: { code: 'not_found', message: 'Not found' } })
    })
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<App />)
    unmount = view.unmount
    await settle()

    const link = view.container.querySelector<HTMLAnchorElement>(
      'nav[aria-label="Main"] a[href="/admin/audiences"]',
    )
    act(() => {
      link?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }))
    })
    await settle()
    expect(location.pathname).toBe('/admin/audiences')
    await vi.waitFor(async () => {
      await settle(1)
      expect(view.container.querySelector('h1')?.textContent).toBe('Audiences')
    })
    expect(link?.getAttribute('aria-current')).toBe('page')
    expect(fetch.mock.calls.map(([url]) => url)).toContain('/api/v1/audiences?siteId=s1')
  })

  it("offers what the signed-in member's role allows: a viewer reads the campaigns, an owner may add one", async () => {
    history.replaceState(null, '', '/admin/campaigns')
    const as = async (role: string) => {
      unmount()
      vi.stubGlobal(
        'fetch',
        vi.fn(async (url: string) => {
          if (url === '/api/v1/auth/me') return json(200, { ...session, user: { ...session.user, role } })
          if (url === '/api/v1/sites') return json(200, sites)
          if (url.startsWith('/api/v1/campaigns')) return json(200, { data: [], nextCursor: null })
          return json(404, { error: { code: 'not_found', message: 'Not found' } })
        }),
      )
      const view = renderInto(<App />)
      unmount = view.unmount
      await vi.waitFor(async () => {
        await settle(1)
        expect(view.container.querySelector('h1')?.textContent).toBe('Campaigns')
      })
      return view.container
    }
    const viewer = await as('viewer')
    expect(viewer.querySelector('a[href="/admin/campaigns/new"]')).toBeNull()
    expect(viewer.querySelector('.read-only-note')?.textContent).toContain('Your role (viewer)')
    const owner = await as('owner')
    expect(owner.querySelector('a[href="/admin/campaigns/new"]')?.textContent).toBe('New campaign')
    expect(owner.querySelector('.read-only-note')).toBeNull()
  })

  it('names every screen in the main navigation, and keeps Leads current on a lead’s page', async () => {
    history.replaceState(null, '', '/admin/leads/l1')
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/api/v1/auth/me') return json(200, session)
        if (url === '/api/v1/sites') return json(200, sites)
        return json(404, { error: { code: 'not_found', message: 'Not found' } })
      }),
    )
    const view = renderInto(<App />)
    unmount = view.unmount
    await settle()

    const links = [...view.container.querySelectorAll('nav[aria-label="Main"] a')]
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['Campaigns', '/admin/campaigns'],
      ['Audiences', '/admin/audiences'],
      ['Experiments', '/admin/experiments'],
      ['Content', '/admin/content'],
      ['Comments', '/admin/comments'],
      ['Leads', '/admin/leads'],
      ['Outbox', '/admin/outbox'],
      ['Integrations', '/admin/integrations'],
      ['Promo codes', '/admin/promo-codes'],
      ['Products', '/admin/products'],
      ['Stores', '/admin/stores'],
      ['Attendees', '/admin/attendees'],
      ['Sites', '/admin/sites'],
      ['Team', '/admin/team'],
      ['Audit log', '/admin/audit'],
    ])
    expect(
      links.filter((link) => link.getAttribute('aria-current') === 'page').map((l) => l.textContent),
    ).toEqual(['Leads'])
    expect(view.container.querySelector('[role="alert"]')?.textContent).toContain('does not exist')
  })

  it('opens an invitation link without a session and signs the new member in', async () => {
    history.replaceState(null, '', '/admin/accept?token=tok')
    let joined = false
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/api/v1/auth/me')
          return joined
            ? json(200, session)
            : json(401, { error: { code: 'unauthorized', message: 'Log in' } })
        if (url === '/api/v1/auth/invitation')
          return json(200, { email: 'ada@example.com', role: 'editor', organization: 'Example' })
        if (url === '/api/v1/auth/accept') {
          joined = true
          return json(201, session)
        }
        if (url === '/api/v1/sites') return json(200, sites)
        return json(200, { data: [], nextCursor: null })
      }),
    )
    const view = renderInto(<App />)
    unmount = view.unmount
    await settle()
    expect(location.pathname).toBe('/admin/accept')
    expect(view.container.querySelector('h1')?.textContent).toBe('Join Example')
    type(view.container, '#field-name', 'Ada')
    type(view.container, '#field-password', 'a long password')
    type(view.container, '#field-repeat', 'a long password')
    act(() => {
      view.container
        .querySelector('form')
        ?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    })
    await settle(10)
    expect(location.pathname).toBe('/admin/campaigns')
    expect(view.container.querySelector('nav[aria-label="Main"]')).not.toBeNull()
  })

  it('follows ?next= only inside the admin', () => {
    expect(safeNext('/admin/campaigns/c1/results')).toBe('/admin/campaigns/c1/results')
    for (const next of [
      null,
      '//evil.example/admin/',
      'https://evil.example/admin/x',
      '/admin/login',
      '/\\evil',
    ]) {
      expect(safeNext(next)).toBe('/admin/campaigns')
    }
  })

  it('maps admin paths to screens', () => {
    expect(matchRoute('/admin')).toEqual({ name: 'campaigns' })
    expect(matchRoute('/admin/campaigns/new')).toEqual({ name: 'new-campaign' })
    expect(matchRoute('/admin/campaigns/c%201')).toEqual({ name: 'campaign', id: 'c 1' })
    expect(matchRoute('/admin/campaigns/c1/results')).toEqual({ name: 'results', id: 'c1' })
    expect(matchRoute('/admin/campaigns/c1/other')).toEqual({ name: 'not-found' })
    expect(matchRoute('/admin/audiences')).toEqual({ name: 'audiences' })
    expect(matchRoute('/admin/audiences/x')).toEqual({ name: 'not-found' })
    expect(matchRoute('/admin/team')).toEqual({ name: 'team' })
    expect(matchRoute('/admin/account')).toEqual({ name: 'account' })
    expect(matchRoute('/admin/audit')).toEqual({ name: 'audit' })
    expect(matchRoute('/admin/accept')).toEqual({ name: 'accept' })
    expect(matchRoute('/admin/team/x')).toEqual({ name: 'not-found' })
    expect(matchRoute('/admin/experiments')).toEqual({ name: 'experiments' })
    expect(matchRoute('/admin/experiments/x')).toEqual({ name: 'not-found' })
    // The types' own screens, from the admin registry.
    const route = (path: string) => matchRoute(path, typeScreens)
    expect(route('/admin/leads')).toEqual({ name: 'screen', path: 'leads' })
    expect(route('/admin/leads/l%201')).toEqual({ name: 'screen', path: 'leads', id: 'l 1' })
    expect(route('/admin/leads/l1/x')).toEqual({ name: 'not-found' })
    expect(route('/admin/outbox')).toEqual({ name: 'screen', path: 'outbox' })
    expect(route('/admin/content')).toEqual({ name: 'screen', path: 'content' })
    expect(route('/admin/comments')).toEqual({ name: 'screen', path: 'comments' })
    expect(route('/admin/integrations')).toEqual({ name: 'screen', path: 'integrations' })
    expect(route('/admin/outbox/x')).toEqual({ name: 'not-found' })
    expect(route('/admin/content/x')).toEqual({ name: 'not-found' })
    // Without the registry's screens, those paths are nobody's.
    expect(matchRoute('/admin/leads')).toEqual({ name: 'not-found' })
  })
})
