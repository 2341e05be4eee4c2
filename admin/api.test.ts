// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { leadsApi, leadsCsvUrl } from '../promotions/lead_generation/admin/api'
import { contentApi } from '../promotions/traffic/admin/api'
import { ApiError, analyticsCsvUrl, createApi } from './api'
import { json } from './testing/render'

const session = {
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada' },
  organization: { id: 'o1', name: 'Example' },
  csrfToken: 'csrf-123',
}

function stubFetch(...answers: Response[]) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) => answers.shift() ?? json(500, {}))
  vi.stubGlobal('fetch', fetch)
  return fetch
}

function headersOf(call: unknown[] | undefined): Record<string, string> {
  return ((call?.[1] as RequestInit | undefined)?.headers ?? {}) as Record<string, string>
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('admin API client', () => {
  it('sends the CSRF token from login on every write, and the session cookie on every request', async () => {
    const fetch = stubFetch(
      json(200, session),
      json(201, { id: 'c1' }),
      json(200, { id: 'c1' }),
      new Response(null, { status: 204 }),
      json(200, { id: 'c1', status: 'active' }),
    )
    const api = createApi()
    await api.login('ada@example.com', 'secret')
    await api.createCampaign({
      siteId: 's1',
      name: 'Winter sale',
      type: 'awareness',
      placements: [],
      priority: 0,
      schedule: { timezone: 'UTC' },
      config: { format: 'popup' },
      variants: [{ name: 'A', weight: 1, creative: { headline: 'Hi' } }],
    })
    await api.updateCampaign('c1', { name: 'Renamed' })
    await api.deleteCampaign('c1')
    await api.transition('c1', 'activate')

    const writes = fetch.mock.calls.slice(1)
    expect(writes.map(([url, init]) => `${init?.method} ${url}`)).toEqual([
      'POST /api/v1/campaigns',
      'PATCH /api/v1/campaigns/c1',
      'DELETE /api/v1/campaigns/c1',
      'POST /api/v1/campaigns/c1/activate',
    ])
    for (const call of writes) expect(headersOf(call)['X-CSRF-Token']).toBe('csrf-123')
    for (const [, init] of fetch.mock.calls) expect(init?.credentials).toBe('same-origin')
  })

  it('takes the CSRF token from /auth/me too, and sends none on reads', async () => {
    const fetch = stubFetch(
      json(200, session),
      json(200, { data: [], nextCursor: null }),
      new Response(null, { status: 204 }),
    )
    const api = createApi()
    expect(await api.me()).toEqual({ user: session.user, organization: session.organization })
    await api.listCampaigns({ siteId: 's1', status: 'active', limit: 50 })
    await api.logout()

    expect(fetch.mock.calls[1]?.[0]).toBe('/api/v1/campaigns?siteId=s1&status=active&limit=50')
    expect(headersOf(fetch.mock.calls[1])['X-CSRF-Token']).toBeUndefined()
    expect(headersOf(fetch.mock.calls[2])['X-CSRF-Token']).toBe('csrf-123')
  })

  it('maps an error body to one ApiError with status, code, message and field paths', async () => {
    stubFetch(
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'The campaign is not valid',
          details: [
            { path: 'variants.0.creative.ctaUrl', message: 'must be an absolute http(s) URL' },
            { path: ['schedule', 'end'], message: 'end must be after start' },
          ],
        },
      }),
    )
    const error = await createApi()
      .updateCampaign('c1', { name: 'x' })
      .catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(ApiError)
    const apiError = error as ApiError
    expect([apiError.status, apiError.code, apiError.message]).toEqual([
      400,
      'validation_failed',
      'The campaign is not valid',
    ])
    expect(apiError.fieldProblems).toEqual([
      { path: 'variants.0.creative.ctaUrl', message: 'must be an absolute http(s) URL' },
      { path: 'schedule.end', message: 'end must be after start' },
    ])
  })

  it('maps bodies that are not the error shape, and network failures, to the same type', async () => {
    stubFetch(new Response('<html>Bad gateway</html>', { status: 502 }))
    const api = createApi()
    await expect(api.listSites()).rejects.toMatchObject({ name: 'ApiError', status: 502, code: 'http_502' })

    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch')
      }),
    )
    await expect(api.listSites()).rejects.toMatchObject({ status: 0, code: 'network_error' })
  })

  it('reports an ended session to the app, but treats 401 from login and me as answers', async () => {
    stubFetch(
      json(401, { error: { code: 'unauthorized', message: 'Not logged in' } }),
      json(401, { error: { code: 'invalid_credentials', message: 'Bad login' } }),
      json(401, { error: { code: 'unauthorized', message: 'Session expired' } }),
    )
    const api = createApi()
    const ended = vi.fn()
    api.onUnauthorized(ended)

    expect(await api.me()).toBeNull()
    await expect(api.login('ada@example.com', 'wrong')).rejects.toMatchObject({ status: 401 })
    expect(ended).not.toHaveBeenCalled()
    await expect(api.getCampaign('c1')).rejects.toMatchObject({ status: 401 })
    expect(ended).toHaveBeenCalledTimes(1)
  })

  it('links the CSV export to the same analytics query, so a plain download carries the session cookie', async () => {
    const query = {
      from: '2025-03-01T00:00:00.000Z',
      to: '2025-03-31T00:00:00.000Z',
      interval: 'day',
      model: 'time_decay',
      groupBy: 'country',
    } as const
    const fetch = stubFetch(json(200, {}))
    await createApi().analytics('c/1', query)

    const csv = analyticsCsvUrl('c/1', query)
    expect(csv).toBe(`${fetch.mock.calls[0]?.[0]}&format=csv`)
    expect(csv).toBe(
      '/api/v1/campaigns/c%2F1/analytics?from=2025-03-01T00%3A00%3A00.000Z&to=2025-03-31T00%3A00%3A00.000Z' +
        '&interval=day&model=time_decay&groupBy=country&format=csv',
    )
  })

  it('links the leads export to the list’s filters, leaving out the paging', async () => {
    const filters = { siteId: 's1', grade: 'A', from: '2025-03-01T00:00:00.000Z', q: 'ada@' } as const
    const fetch = stubFetch(json(200, { data: [], nextCursor: null }))
    await leadsApi(createApi()).listLeads({ ...filters, limit: 50, cursor: undefined })

    expect(fetch.mock.calls[0]?.[0]).toBe(
      '/api/v1/leads?siteId=s1&grade=A&from=2025-03-01T00%3A00%3A00.000Z&q=ada%40&limit=50',
    )
    expect(leadsCsvUrl(filters)).toBe(
      '/api/v1/leads/export.csv?siteId=s1&grade=A&from=2025-03-01T00%3A00%3A00.000Z&q=ada%40',
    )
  })

  it('sends a CSV import as text/csv, as it is, with the CSRF token', async () => {
    const fetch = stubFetch(json(200, session), json(200, { created: 1, updated: 0, rejected: [] }))
    const api = createApi()
    await api.login('ada@example.com', 'secret')
    const csv = 'url,title\n"https://shop.example/a","A, with a comma"\n'
    expect(await contentApi(api).importContent('s1', csv)).toEqual({ created: 1, updated: 0, rejected: [] })

    const [url, init] = fetch.mock.calls[1] ?? []
    expect(`${init?.method} ${url}`).toBe('POST /api/v1/content/import?siteId=s1')
    expect(init?.body).toBe(csv)
    expect(headersOf(fetch.mock.calls[1])).toMatchObject({
      'Content-Type': 'text/csv',
      'X-CSRF-Token': 'csrf-123',
    })
  })
})
