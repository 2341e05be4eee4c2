// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AccountSession, AuditEntry, Session } from '../api'
import { json, renderInto, settle } from '../testing/render'
import { AccountPage, describeAgent } from './account'
import { AuditPage, authorOf, changes } from './audit'

const session: Session = {
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada', role: 'editor' },
  organization: { id: 'o1', name: 'Example' },
}

const chrome = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/120.0 Safari/537.36'
const sessions: AccountSession[] = [
  {
    id: 's1',
    createdAt: '2025-01-02T00:00:00Z',
    lastSeenAt: '2025-01-02T01:00:00Z',
    expiresAt: '2025-01-09T00:00:00Z',
    userAgent: chrome,
    current: true,
  },
  {
    id: 's2',
    createdAt: '2025-01-01T00:00:00Z',
    lastSeenAt: null,
    expiresAt: '2025-01-08T00:00:00Z',
    userAgent: '<script>x</script>',
    current: false,
  },
]

function type(container: HTMLElement, selector: string, value: string) {
  const input = container.querySelector<HTMLInputElement>(selector)
  if (!input) throw new Error(`no ${selector}`)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

let unmount = () => {}
afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

describe('account page', () => {
  it('lists my sessions, revokes others, and changes the password with the current one', async () => {
    const calls: [string, string, unknown][] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        const method = init?.method ?? 'GET'
        calls.push([method, url, init?.body ? JSON.parse(String(init.body)) : undefined])
        if (method === 'GET') return json(200, { data: sessions })
        if (url === '/api/v1/account/password') {
          const body = JSON.parse(String(init?.body))
          return body.currentPassword === 'right'
            ? new Response(null, { status: 204 })
            : json(400, {
                error: {
                  code: 'validation_failed',
                  message: 'wrong',
                  details: [{ path: 'currentPassword', message: 'wrong password' }],
                },
              })
        }
        if (url.endsWith('revoke-others')) return json(200, { revoked: 1 })
        return new Response(null, { status: 204 })
      }),
    )
    const view = renderInto(<AccountPage session={session} />)
    unmount = view.unmount
    await settle()
    const c = view.container
    const rows = [...c.querySelectorAll('tbody tr')].map((row) => row.querySelector('th')?.textContent)
    expect(rows).toEqual(['Chrome on macOS (this session)', 'Browser'])
    expect(c.querySelector('script')).toBeNull()

    const signOut = [...c.querySelectorAll('tbody button')]
    expect(signOut).toHaveLength(1)
    act(() => (signOut[0] as HTMLButtonElement).click())
    await settle()
    expect(calls).toContainEqual(['DELETE', '/api/v1/account/sessions/s2', undefined])

    const all = [...c.querySelectorAll('button')].find(
      (b) => b.textContent === 'Sign out all other sessions',
    )!
    act(() => all.click())
    await settle()
    expect(calls).toContainEqual(['POST', '/api/v1/account/sessions/revoke-others', undefined])

    const submit = async () => {
      act(() => {
        c.querySelector('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
      })
      await settle()
    }
    type(c, '#field-currentPassword', 'wrong')
    type(c, '#field-newPassword', 'a new long password')
    type(c, '#field-repeat', 'a new long password')
    await submit()
    expect(c.querySelector('#field-currentPassword-error')?.textContent).toContain('wrong password')
    type(c, '#field-currentPassword', 'right')
    await submit()
    expect(calls).toContainEqual([
      'POST',
      '/api/v1/account/password',
      { currentPassword: 'right', newPassword: 'a new long password' },
    ])
    expect(c.querySelector('[role="status"]')?.textContent).toContain('Password changed')
  })

  it('names browsers in a few words', () => {
    expect(describeAgent(null)).toBe('Unknown browser')
    expect(describeAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) AppleWebKit Safari/604.1')).toBe(
      'Safari on iOS',
    )
  })
})

const entries: AuditEntry[] = [
  {
    id: 'e2',
    siteId: 's1',
    actor: 'user:u2',
    actorEmail: 'bob@example.com',
    method: 'PATCH',
    route: '/api/v1/campaigns/{id}',
    entityId: 'c1',
    status: 200,
    before: { name: 'Winter sale', status: 'draft', config: { format: 'hero' }, updatedAt: '1' },
    after: { name: '<b>Renamed</b>', status: 'draft', config: { format: 'bar' }, updatedAt: '2' },
    createdAt: '2025-01-02T00:00:00Z',
  },
  {
    id: 'e1',
    siteId: 's1',
    actor: 'key:sk_live_abcd',
    actorEmail: null,
    method: 'POST',
    route: '/api/v1/campaigns',
    entityId: 'c1',
    status: 201,
    before: null,
    after: { name: 'Winter sale' },
    createdAt: '2025-01-01T00:00:00Z',
  },
]

describe('audit log page', () => {
  it('lists each change with its author and a readable before/after, and pages on', async () => {
    const fetch = vi.fn(async (url: string) =>
      url.includes('cursor=')
        ? json(200, { data: [entries[1]], nextCursor: null })
        : json(200, { data: [entries[0]], nextCursor: 'next' }),
    )
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<AuditPage />)
    unmount = view.unmount
    await settle()
    const c = view.container
    expect(c.querySelector('tbody th')?.textContent).toBe('bob@example.com')
    expect(c.textContent).toContain('PATCH /campaigns/{id}')
    expect(c.querySelector('summary')?.textContent).toBe('2 fields changed')
    const diff = [...c.querySelectorAll('.audit-diff tbody tr')].map((row) =>
      [...row.children].map((cell) => cell.textContent),
    )
    expect(diff).toEqual([
      ['name', '"Winter sale"', '"<b>Renamed</b>"'],
      ['config.format', '"hero"', '"bar"'],
    ])
    expect(c.querySelector('b')).toBeNull()

    const more = [...c.querySelectorAll('button')].find((b) => b.textContent === 'Show more')!
    act(() => more.click())
    await settle()
    expect(fetch.mock.calls[1]?.[0]).toBe('/api/v1/audit?cursor=next&limit=50')
    const authors = [...c.querySelectorAll('tbody > tr > th')].map((th) => th.textContent)
    expect(authors).toContain('Secret key sk_live_abcd…')
    expect(c.textContent).toContain('New: Winter sale')
  })

  it('diffs nested fields and names authors', () => {
    expect(changes({ a: [1, 2], b: { c: 1 } }, { a: [1, 3], b: { c: 1 } })).toEqual([
      { path: 'a.1', before: '2', after: '3' },
    ])
    expect(changes({ a: [1] }, { a: [1, 2] })).toEqual([{ path: 'a', before: '[1]', after: '[1,2]' }])
    expect(authorOf(entries[0]!)).toBe('bob@example.com')
  })
})
