// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { InstallCheck, SecretKey, Site } from '../api'
import { fieldId } from '../field'
import { json, renderInto, settle } from '../testing/render'
import { testSite } from '../testing/site'
import { installPollMs, SitePage, timeAgo } from './site'
import { SitesPage } from './sites'

const markup = '<img src=x onerror=alert(1)>'
const site = testSite({ id: 's1', name: 'Shop', allowedOrigins: ['https://shop.example'] })
const activeKey: SecretKey = {
  id: 'k1',
  prefix: 'sk_live_AbCd…',
  name: 'Checkout server',
  createdAt: '2026-01-01T00:00:00Z',
  revokedAt: null,
}

type Handler = (body: unknown) => Response
interface Call {
  method: string
  url: string
  body: unknown
}

/** A fetch that answers by `METHOD /path` and records every call with its parsed body. */
function server(routes: Record<string, Handler>) {
  const calls: Call[] = []
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET'
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined
    calls.push({ method, url, body })
    const handler = routes[`${method} ${url}`]
    return handler ? handler(body) : json(404, { error: { code: 'not_found', message: 'Not found' } })
  })
  vi.stubGlobal('fetch', fetch)
  return calls
}

const siteRoutes = (
  overrides: Record<string, Handler> = {},
  install: InstallCheck = { lastEvent: null },
): Record<string, Handler> => ({
  'GET /api/v1/sites/s1': () => json(200, site),
  'GET /api/v1/sites/s1/install': () => json(200, install),
  'GET /api/v1/sites/s1/secret-keys': () => json(200, { data: [activeKey] }),
  ...overrides,
})

function type(container: HTMLElement, id: string, value: string) {
  const input = container.querySelector<HTMLInputElement>(`#${id}`)
  if (!input) throw new Error(`no input #${id}`)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

function button(container: HTMLElement, text: string): HTMLButtonElement {
  const found = [...container.querySelectorAll('button')].find((b) => b.textContent?.trim().startsWith(text))
  if (!found) throw new Error(`no button “${text}”`)
  return found
}

async function click(container: HTMLElement, text: string) {
  act(() => button(container, text).click())
  await settle()
}

async function submit(form: Element | null) {
  act(() => {
    form?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  })
  await settle()
}

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

async function open(routes: Record<string, Handler>, onSiteChange = (_site: Site) => {}) {
  const calls = server(routes)
  const view = renderInto(<SitePage id="s1" onSiteChange={onSiteChange} />)
  unmount = view.unmount
  await settle()
  return { calls, container: view.container }
}

describe('a site’s page', () => {
  it('shows the API’s origin problem at the row the marketer typed it in, blank rows aside', async () => {
    const calls = server(
      siteRoutes({
        'PATCH /api/v1/sites/s1': () =>
          json(400, {
            error: {
              code: 'validation_failed',
              message: 'allowedOrigins.1: must be an origin like https://shop.example (no path)',
              details: [
                {
                  path: 'allowedOrigins.1',
                  message: 'must be an origin like https://shop.example (no path)',
                },
              ],
            },
          }),
      }),
    )
    const saved = vi.fn()
    const view = renderInto(<SitePage id="s1" onSiteChange={saved} />)
    unmount = view.unmount
    await settle()
    const { container } = view

    await click(container, 'Add origin')
    await click(container, 'Add origin')
    type(container, fieldId('allowedOrigins.2'), 'https://shop.example/checkout')
    await submit(container.querySelector('form.site-settings'))

    const patch = calls.find((call) => call.method === 'PATCH')
    expect(patch?.body).toMatchObject({
      allowedOrigins: ['https://shop.example', 'https://shop.example/checkout'],
      attribution: { clickWindowDays: 7, viewWindowDays: 1, positionWeights: { first: 0.4 } },
      retention: { eventsDays: 396 },
    })
    // The API's index 1 counts kept entries: the row on screen is the third (the second is blank).
    const error = container.querySelector(`#${fieldId('allowedOrigins.2')}-error`)
    expect(error?.textContent).toBe('must be an origin like https://shop.example (no path)')
    const input = container.querySelector(`#${fieldId('allowedOrigins.2')}`)
    expect(input?.getAttribute('aria-invalid')).toBe('true')
    expect(input?.getAttribute('aria-describedby')).toContain(`${fieldId('allowedOrigins.2')}-error`)
    expect(container.querySelector(`#${fieldId('allowedOrigins.0')}-error`)).toBeNull()
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('one field needs a fix')
    expect(saved).not.toHaveBeenCalled()
  })

  it('saves the settings and hands the saved site back, names as text', async () => {
    const renamed = {
      ...site,
      name: markup,
      allowedOrigins: ['https://shop.example', 'https://m.shop.example'],
    }
    const saved = vi.fn()
    const { calls, container } = await open(
      siteRoutes({ 'PATCH /api/v1/sites/s1': () => json(200, renamed) }),
      saved,
    )
    type(container, fieldId('name'), markup)
    await click(container, 'Add origin')
    type(container, fieldId('allowedOrigins.1'), 'https://m.shop.example')
    type(container, fieldId('attribution.positionWeights.first'), '0.5')
    type(container, fieldId('attribution.positionWeights.middle'), '0.1')
    type(container, fieldId('globalHoldoutPercent'), '10')
    await submit(container.querySelector('form.site-settings'))

    const patch = calls.find((call) => call.method === 'PATCH')?.body as Record<string, any>
    expect(patch.name).toBe(markup)
    expect(patch.globalHoldoutPercent).toBe(10)
    expect(patch.attribution.positionWeights).toEqual({ first: 0.5, middle: 0.1, last: 0.4 })
    expect(saved).toHaveBeenCalledWith(renamed)
    expect(container.querySelector('h1')?.textContent).toBe(markup)
    expect(container.querySelector('img')).toBeNull()
    expect(container.textContent).toContain('Settings saved.')
  })

  it('rotates the publishable key only after a confirm step that says which pages break', async () => {
    const rotated = { ...site, publishableKey: 'pk_live_NEWKEY0123456789' }
    const onSiteChange = vi.fn()
    const { calls, container } = await open(
      siteRoutes({ 'POST /api/v1/sites/s1/publishable-key/rotate': () => json(200, rotated) }),
      onSiteChange,
    )
    await click(container, 'Rotate key…')
    const confirm = container.querySelector('[aria-labelledby="rotate-confirm-title"]')
    expect(confirm?.textContent).toContain('Every page that still has the old key in its tag stops showing')
    expect(document.activeElement?.textContent).toBe('Rotate now')
    await click(container, 'Cancel')
    expect(calls.some((call) => call.url.endsWith('/rotate'))).toBe(false)
    expect(container.querySelector('[aria-labelledby="rotate-confirm-title"]')).toBeNull()

    await click(container, 'Rotate key…')
    await click(container, 'Rotate now')
    expect(calls.filter((call) => call.url.endsWith('/rotate')).map((call) => call.method)).toEqual(['POST'])
    expect(onSiteChange).toHaveBeenCalledWith(rotated)
    // Both the key card and the install snippet now carry the new key.
    const codes = [...container.querySelectorAll('code')].map((code) => code.textContent)
    expect(codes).toContain('pk_live_NEWKEY0123456789')
    expect(codes.some((code) => code?.includes('data-site="pk_live_NEWKEY0123456789"'))).toBe(true)
    expect(codes.some((code) => code?.includes(site.publishableKey))).toBe(false)
  })

  it('creates a named secret key, shows it once with a copy button, then never again', async () => {
    const secret = 'sk_live_THISISTHEONLYTIME0123456789abcd'
    const { calls, container } = await open(
      siteRoutes({
        'POST /api/v1/sites/s1/secret-keys': (body) =>
          json(201, {
            id: 'k2',
            prefix: 'sk_live_THIS…',
            name: (body as { name?: string }).name ?? null,
            createdAt: '2026-02-01T00:00:00Z',
            key: secret,
          }),
      }),
    )
    const writeText = vi.fn(async (_text: string) => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })

    type(container, fieldId('keyName'), '  Nightly export ')
    await submit(container.querySelector('form[aria-label="New secret key"]'))
    expect(calls.find((call) => call.method === 'POST')?.body).toEqual({ name: 'Nightly export' })

    const notice = container.querySelector('.secret-notice')
    expect(notice?.textContent).toContain('you will not see it again')
    expect(notice?.textContent).toContain(secret)
    expect(document.activeElement?.id).toBe('new-key-title')
    await click(container, 'Copy secret key')
    expect(writeText).toHaveBeenCalledWith(secret)
    expect(container.textContent).toContain('Copied to the clipboard.')
    const rows = [...container.querySelectorAll('tbody tr')].map((row) => row.textContent)
    expect(rows[0]).toContain('Nightly export')
    expect(rows[0]).toContain('sk_live_THIS…')

    await click(container, 'I have stored it')
    expect(container.querySelector('.secret-notice')).toBeNull()
    expect(container.textContent).not.toContain(secret)
  })

  it('shows the API’s name problem at the new key’s name, not at the site’s', async () => {
    const { container } = await open(
      siteRoutes({
        'POST /api/v1/sites/s1/secret-keys': () =>
          json(400, {
            error: {
              code: 'validation_failed',
              message: 'name: Too big',
              details: [{ path: 'name', message: 'Too big: expected string to have <=200 characters' }],
            },
          }),
      }),
    )
    type(container, fieldId('keyName'), 'x')
    await submit(container.querySelector('form[aria-label="New secret key"]'))
    expect(container.querySelector(`#${fieldId('keyName')}-error`)?.textContent).toContain('Too big')
    expect(container.querySelector(`#${fieldId('name')}-error`)).toBeNull()
  })

  it('revokes a key after confirming, and lists it as revoked', async () => {
    const { calls, container } = await open(
      siteRoutes({ 'DELETE /api/v1/sites/s1/secret-keys/k1': () => new Response(null, { status: 204 }) }),
    )
    expect(container.querySelector('tbody tr')?.textContent).toContain('Active')
    await click(container, 'Revoke')
    expect(container.querySelector('#revoke-confirm-title')?.textContent).toBe('Revoke “Checkout server”?')
    expect(calls.some((call) => call.method === 'DELETE')).toBe(false)
    await click(container, 'Revoke key')
    expect(calls.filter((call) => call.method === 'DELETE').map((call) => call.url)).toEqual([
      '/api/v1/sites/s1/secret-keys/k1',
    ])
    const row = container.querySelector('tbody tr')?.textContent
    expect(row).toContain('Revoked')
    expect(container.querySelector('tbody tr button')).toBeNull()
    expect(container.querySelector('#revoke-confirm-title')).toBeNull()
  })

  it('waits for the first event, then says the tag is installed, asking again every few seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    let install: InstallCheck = { lastEvent: null }
    const { calls, container } = await open(
      siteRoutes({ 'GET /api/v1/sites/s1/install': () => json(200, install) }),
    )
    const status = () => container.querySelector('[aria-labelledby="install-title"] [role="status"]')
    expect(status()?.textContent).toContain('Waiting for the first event…')

    install = {
      lastEvent: {
        name: 'page_view',
        at: new Date(Date.now() - 12_000).toISOString(),
        url: 'https://shop.example/winter?utm_source=newsletter',
      },
    }
    act(() => {
      vi.advanceTimersByTime(installPollMs)
    })
    await settle()
    expect(status()?.textContent).toMatch(
      /^Installed: last event 1[2-3] s ago from https:\/\/shop\.example\/winter\?utm_source=newsletter/,
    )
    expect(calls.filter((call) => call.url.endsWith('/install'))).toHaveLength(2)

    unmount()
    unmount = () => {}
    act(() => {
      vi.advanceTimersByTime(installPollMs * 3)
    })
    expect(calls.filter((call) => call.url.endsWith('/install'))).toHaveLength(2)
  })

  it('says so when the site is not the organization’s', async () => {
    const { container } = await open({})
    expect(container.querySelector('h1')?.textContent).toBe('Site not found')
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('no such site')
  })
})

describe('time ago', () => {
  it('reads in seconds, minutes, hours and days', () => {
    const now = Date.parse('2026-12-07T12:00:00Z')
    expect(timeAgo('2026-12-07T11:59:58Z', now)).toBe('just now')
    expect(timeAgo('2026-12-07T11:59:48Z', now)).toBe('12 s ago')
    expect(timeAgo('2026-12-07T11:55:00Z', now)).toBe('5 min ago')
    expect(timeAgo('2026-12-07T09:00:00Z', now)).toBe('3 h ago')
    expect(timeAgo('2026-12-06T12:00:00Z', now)).toBe('1 day ago')
    expect(timeAgo('2026-12-08T12:00:00Z', now)).toBe('just now')
  })
})

describe('the sites list', () => {
  it('lists the sites as links, names as text, and creates one with its first key shown once', async () => {
    const other = testSite({ id: 's2', name: markup })
    const calls = server({
      'POST /api/v1/sites': (body) =>
        json(201, {
          ...testSite({ id: 's3', name: (body as { name: string }).name }),
          secretKey: 'sk_live_FIRSTKEY0123456789abcdefgh',
        }),
    })
    const onSitesChange = vi.fn()
    const view = renderInto(<SitesPage sites={[site, other]} onSitesChange={onSitesChange} />)
    unmount = view.unmount
    const { container } = view
    const links = [...container.querySelectorAll('tbody a')]
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/admin/sites/s1', '/admin/sites/s2'])
    expect(links[1]?.textContent).toBe(markup)
    expect(container.querySelector('img')).toBeNull()

    type(container, fieldId('name'), 'Blog')
    await submit(container.querySelector('form'))
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/sites', body: { name: 'Blog' } })
    const added = onSitesChange.mock.calls[0]?.[0] as Site[]
    expect(added.map((s) => s.name)).toEqual(['Shop', markup, 'Blog'])
    expect('secretKey' in added[2]!).toBe(false)
    expect(container.querySelector('.secret-notice')?.textContent).toContain(
      'sk_live_FIRSTKEY0123456789abcdefgh',
    )
    expect(container.querySelector('a[href="/admin/sites/s3"]')).not.toBeNull()
  })
})
