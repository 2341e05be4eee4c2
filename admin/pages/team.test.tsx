// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Role, Session, Team } from '../api'
import { json, renderInto, settle } from '../testing/render'
import { AcceptPage } from './accept'
import { assignable, TeamPage } from './team'

const markup = '<img src=x onerror=alert(1)>'

const sessionAs = (role: Role): Session => ({
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada', role },
  organization: { id: 'o1', name: 'Example' },
})

const team: Team = {
  members: [
    { id: 'u1', email: 'ada@example.com', name: 'Ada', role: 'owner', createdAt: '2025-01-01T00:00:00Z' },
    { id: 'u2', email: 'bob@example.com', name: markup, role: 'editor', createdAt: '2025-01-02T00:00:00Z' },
  ],
  invitations: [
    {
      id: 'i1',
      email: 'cy@example.com',
      role: 'viewer',
      expiresAt: '2025-01-09T00:00:00Z',
      createdAt: '2025-01-02T00:00:00Z',
    },
  ],
}

function type(container: HTMLElement, selector: string, value: string) {
  const input = container.querySelector<HTMLInputElement | HTMLSelectElement>(selector)
  if (!input) throw new Error(`no ${selector}`)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }))
  })
}

async function submit(container: HTMLElement) {
  act(() => {
    container.querySelector('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  })
  await settle()
}

let unmount = () => {}
afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

describe('team page', () => {
  it('lists members and invitations as text, and lets an owner change a role, remove and invite', async () => {
    const calls: [string, string, unknown][] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        const method = init?.method ?? 'GET'
        calls.push([method, url, init?.body ? JSON.parse(String(init.body)) : undefined])
        if (method === 'GET') return json(200, team)
        if (url === '/api/v1/team/invitations') {
          const body = JSON.parse(String(init?.body))
          if (!body.email) {
            return json(400, {
              error: {
                code: 'validation_failed',
                message: 'bad',
                details: [{ path: 'email', message: 'required' }],
              },
            })
          }
          return json(201, {
            id: 'i2',
            email: body.email,
            role: body.role,
            expiresAt: '2025-01-09T00:00:00Z',
            createdAt: '2025-01-02T00:00:00Z',
            acceptUrl: 'https://promo.example/admin/accept?token=abc',
            mail: { id: 'm1', status: 'outbox' },
          })
        }
        if (method === 'PATCH') return json(200, { ...team.members[1], role: 'viewer' })
        return new Response(null, { status: 204 })
      }),
    )
    vi.stubGlobal('confirm', () => true)
    const view = renderInto(<TeamPage session={sessionAs('owner')} />)
    unmount = view.unmount
    await settle()
    const c = view.container
    expect(c.querySelector('img')).toBeNull()
    expect(c.textContent).toContain(markup)
    expect(c.textContent).toContain('cy@example.com')
    // No role picker for oneself; one, labelled, for the editor.
    const pickers = c.querySelectorAll('[aria-label^="Role of"]')
    expect(pickers).toHaveLength(1)
    expect(pickers[0]!.getAttribute('aria-label')).toBe(`Role of ${markup}`)

    type(c, '[aria-label^="Role of"]', 'viewer')
    await settle()
    expect(calls).toContainEqual(['PATCH', '/api/v1/team/members/u2', { role: 'viewer' }])
    expect(c.querySelector('[role="status"]')?.textContent).toContain('is now Viewer')

    const remove = [...c.querySelectorAll('button')].find((b) => b.textContent?.startsWith('Remove'))!
    act(() => remove.click())
    await settle()
    expect(calls).toContainEqual(['DELETE', '/api/v1/team/members/u2', undefined])

    await submit(c)
    expect(c.querySelector('#field-email-error')?.textContent).toContain('required')
    type(c, '#field-email', 'dee@example.com')
    type(c, '#field-role', 'admin')
    await submit(c)
    expect(calls).toContainEqual([
      'POST',
      '/api/v1/team/invitations',
      { email: 'dee@example.com', role: 'admin' },
    ])
    const link = c.querySelector<HTMLInputElement>('#invite-link')
    expect(link?.value).toBe('https://promo.example/admin/accept?token=abc')
    expect(c.querySelector('label[for="invite-link"]')).not.toBeNull()
  })

  it('shows a viewer the team without any control to change it', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(200, team)),
    )
    const view = renderInto(<TeamPage session={sessionAs('viewer')} />)
    unmount = view.unmount
    await settle()
    expect(view.container.querySelector('select')).toBeNull()
    expect(view.container.querySelector('form')).toBeNull()
    expect([...view.container.querySelectorAll('button')]).toHaveLength(0)
  })

  it('offers an admin every role but owner', () => {
    expect(assignable('admin')).toEqual(['admin', 'editor', 'viewer'])
    expect(assignable('owner')).toContain('owner')
    expect(assignable('editor')).toEqual([])
  })
})

describe('accept page', () => {
  it('reads the invitation, then joins with a name and password', async () => {
    const sent: unknown[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        sent.push([url, JSON.parse(String(init?.body))])
        if (url === '/api/v1/auth/invitation') {
          return json(200, { email: 'dee@example.com', role: 'editor', organization: markup })
        }
        return json(201, {
          user: { id: 'u3', email: 'dee@example.com', name: 'Dee', role: 'editor' },
          organization: { id: 'o1', name: 'Example' },
          csrfToken: 'x',
        })
      }),
    )
    const onAccepted = vi.fn()
    const view = renderInto(<AcceptPage token="tok" onAccepted={onAccepted} />)
    unmount = view.unmount
    await settle()
    const c = view.container
    expect(c.querySelector('h1')?.textContent).toBe(`Join ${markup}`)
    expect(c.querySelector('img')).toBeNull()
    type(c, '#field-name', 'Dee')
    type(c, '#field-password', 'a long password')
    type(c, '#field-repeat', 'another one')
    await submit(c)
    expect(c.querySelector('#field-repeat-error')?.textContent).toContain('does not match')
    expect(onAccepted).not.toHaveBeenCalled()
    type(c, '#field-repeat', 'a long password')
    await submit(c)
    expect(sent).toContainEqual([
      '/api/v1/auth/accept',
      { token: 'tok', name: 'Dee', password: 'a long password' },
    ])
    expect(onAccepted).toHaveBeenCalledWith({
      user: { id: 'u3', email: 'dee@example.com', name: 'Dee', role: 'editor' },
      organization: { id: 'o1', name: 'Example' },
    })
  })

  it('says so when the link is used or expired', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(410, { error: { code: 'link_expired', message: 'This invitation has expired' } }),
      ),
    )
    const view = renderInto(<AcceptPage token="old" onAccepted={() => {}} />)
    unmount = view.unmount
    await settle()
    expect(view.container.querySelector('[role="alert"]')?.textContent).toContain('expired')
    expect(view.container.querySelector('#field-password')).toBeNull()
  })
})
