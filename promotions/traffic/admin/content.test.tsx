// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { testSite } from '../../../admin/testing/site'
import type { ContentItem } from '../answers'
import { ContentPage } from './content'

const site = testSite({
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Shop',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  createdAt: '2025-01-01T00:00:00Z',
})

/** Text that would be markup if anything rendered it as HTML. */
const markup = '<img src=x onerror=alert(1)>'

const item: ContentItem = {
  id: 'i1',
  siteId: site.id,
  url: 'https://shop.example/blog/boots',
  title: markup,
  imageUrl: null,
  summary: 'How to choose',
  tags: ['boots', 'winter'],
  category: 'guides',
  publishedAt: '2025-01-15T00:00:00.000Z',
  source: 'csv',
  review: 'approved',
  impressions: 1200,
  clicks: 36,
  createdAt: '2025-01-16T00:00:00.000Z',
  updatedAt: '2025-01-16T00:00:00.000Z',
}

function stubApi(importAnswer?: Response, listed: ContentItem[] = [item]) {
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const verdict = /\/content\/(\w+)\/(approve|reject)$/.exec(url)
    if (verdict) {
      const judged = listed.find((one) => one.id === verdict[1])!
      return json(200, { ...judged, review: verdict[2] === 'approve' ? 'approved' : 'rejected' })
    }
    if (init?.method === 'PUT') return json(200, { ...item, ...JSON.parse(String(init.body)), id: 'i1' })
    if (init?.method === 'POST')
      return (importAnswer ?? json(200, { created: 0, updated: 0, rejected: [] })).clone()
    if (init?.method === 'DELETE') return new Response(null, { status: 204 })
    return json(200, { data: url.includes('tag=') ? [] : listed, nextCursor: null })
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}

function type(container: HTMLElement, id: string, value: string) {
  const input = container.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`)
  if (!input) throw new Error(`no #${id}`)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

async function submit(form: Element | null | undefined) {
  act(() => {
    form?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  })
  await settle()
}

const button = (container: Element, text: string) =>
  [...container.querySelectorAll('button')].find((b) => b.textContent?.startsWith(text))

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

describe('content catalog', () => {
  it('lists items as text and searches by words and tag', async () => {
    const fetch = stubApi()
    const view = renderInto(<ContentPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    expect(fetch.mock.calls[0]?.[0]).toBe(`/api/v1/content?siteId=${site.id}&limit=50`)
    const row = view.container.querySelector('tbody tr')!
    expect(row.querySelector('.item-title')?.textContent).toBe(markup)
    expect(row.querySelector('.item-url')?.textContent).toBe(item.url)
    expect([...row.querySelectorAll('.tag')].map((tag) => tag.textContent)).toEqual(['boots', 'winter'])
    expect(row.textContent).toContain('CSV import')
    expect(view.container.querySelector('img')).toBeNull()

    type(view.container, 'content-q', ' boots ')
    type(view.container, 'content-tag', 'Winter')
    await submit(view.container.querySelector('form[aria-label="Search the catalog"]'))
    expect(fetch.mock.calls.at(-1)?.[0]).toBe(`/api/v1/content?siteId=${site.id}&q=boots&tag=Winter&limit=50`)
    expect(view.container.textContent).toContain('No items match')
  })

  it('edits an item by its URL with PUT, showing the API’s problems at their fields', async () => {
    const fetch = stubApi()
    const view = renderInto(<ContentPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    act(() => {
      button(view.container, 'Edit')?.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    })
    expect(view.container.querySelector('#item-form-title')?.textContent).toBe('Edit item')
    expect(view.container.querySelector<HTMLInputElement>('#field-url')?.readOnly).toBe(true)
    type(view.container, 'field-title', 'Boots, chosen well')
    type(view.container, 'field-tags', 'boots, winter , ,snow')
    type(view.container, 'field-summary', '')
    await submit(view.container.querySelector('form[aria-labelledby="item-form-title"]'))

    const put = fetch.mock.calls.find(([, init]) => init?.method === 'PUT')
    expect(put?.[0]).toBe('/api/v1/content')
    expect(JSON.parse(String(put?.[1]?.body))).toEqual({
      siteId: site.id,
      url: item.url,
      title: 'Boots, chosen well',
      imageUrl: null,
      summary: null,
      tags: ['boots', 'winter', 'snow'],
      category: 'guides',
      publishedAt: item.publishedAt,
    })
    expect(view.container.querySelector('tbody .item-title')?.textContent).toBe('Boots, chosen well')
    expect(view.container.querySelector('#item-form-title')?.textContent).toBe('Add an item')

    fetch.mockImplementationOnce(async () =>
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'Invalid item',
          details: [{ path: 'tags.1', message: 'must be plain text, not HTML' }],
        },
      }),
    )
    type(view.container, 'field-url', 'https://shop.example/new')
    type(view.container, 'field-title', 'New')
    type(view.container, 'field-tags', 'ok, <b>')
    await submit(view.container.querySelector('form[aria-labelledby="item-form-title"]'))
    expect(view.container.querySelector('#field-tags-error')?.textContent).toBe(
      'must be plain text, not HTML',
    )
  })

  it('imports pasted CSV as text/csv for the site and lists each refused line with its problems', async () => {
    const fetch = stubApi(
      json(200, {
        created: 2,
        updated: 1,
        rejected: [
          { line: 3, errors: [{ path: 'url', message: 'must be an absolute http(s) URL' }] },
          {
            line: 5,
            errors: [
              { path: 'title', message: 'required' },
              { path: 'published_at', message: 'Invalid input' },
            ],
          },
        ],
      }),
    )
    const view = renderInto(<ContentPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    const csv = 'url,title\nhttps://shop.example/a,A\nnot a url,B\n'
    type(view.container, 'import-text', csv)
    await submit(view.container.querySelector('form[aria-labelledby="import-title"]'))

    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST')
    expect(post?.[0]).toBe(`/api/v1/content/import?siteId=${site.id}`)
    expect(post?.[1]?.body).toBe(csv)
    const headers = post?.[1]?.headers as Record<string, string>
    expect(headers['Content-Type']).toBe('text/csv')
    expect('X-CSRF-Token' in headers).toBe(true)

    const result = view.container.querySelector('[aria-labelledby="import-title"] [role="status"]')
    expect(result?.querySelector('p')?.textContent).toBe('2 created, 1 updated, 2 lines refused:')
    expect([...(result?.querySelectorAll('li') ?? [])].map((li) => li.textContent)).toEqual([
      'Line 3: url: must be an absolute http(s) URL',
      'Line 5: title: required; published_at: Invalid input',
    ])
    // Stored rows show in the list: it is read again.
    expect(fetch.mock.calls.filter(([, init]) => init?.method === 'GET')).toHaveLength(2)
  })

  it('shows a refused header with every problem in it', async () => {
    stubApi(
      json(400, {
        error: {
          code: 'validation_failed',
          message:
            'header: unknown column "link" (columns: url, title, image, summary, tags, category, published_at)',
          details: [
            { path: 'header', message: 'unknown column "link"' },
            { path: 'header', message: 'column "url" is required' },
          ],
        },
      }),
    )
    const view = renderInto(<ContentPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    type(view.container, 'import-text', 'link,title\nhttps://shop.example/a,A\n')
    await submit(view.container.querySelector('form[aria-labelledby="import-title"]'))

    const alert = view.container.querySelector('[aria-labelledby="import-title"] [role="alert"]')
    expect([...(alert?.querySelectorAll('li') ?? [])].map((li) => li.textContent)).toEqual([
      'header: unknown column "link"',
      'header: column "url" is required',
    ])
  })

  it('deletes an item only after asking', async () => {
    const fetch = stubApi()
    const confirm = vi.fn(() => true)
    vi.stubGlobal('confirm', confirm)
    const view = renderInto(<ContentPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    act(() => {
      button(view.container, 'Delete')?.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    })
    await settle()
    expect(confirm).toHaveBeenCalledWith(`Delete “${markup}” from the catalog? Rails stop recommending it.`)
    expect(fetch.mock.calls.find(([, init]) => init?.method === 'DELETE')?.[0]).toBe('/api/v1/content/i1')
    expect(view.container.querySelector('tbody')).toBeNull()
  })

  it('shows which learned pages wait for approval, filters by it, and approves or rejects one', async () => {
    const learned: ContentItem = {
      ...item,
      id: 'p1',
      url: 'https://shop.example/orders/blocked',
      title: 'URGENT: your order is blocked',
      source: 'page',
      review: 'pending',
    }
    const other: ContentItem = { ...learned, id: 'p2', url: 'https://shop.example/blog/new', title: 'New' }
    const fetch = stubApi(undefined, [item, learned, other])
    const view = renderInto(<ContentPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    const rows = [...view.container.querySelectorAll('tbody tr')]
    expect(rows.map((row) => row.querySelector('.badge')?.textContent)).toEqual([
      'Recommended',
      'Waiting for approval',
      'Waiting for approval',
    ])
    // An item the admin gave needs no verdict; a waiting page gets both.
    expect(button(rows[0]!, 'Approve')).toBeUndefined()
    expect(button(rows[0]!, 'Reject')).toBeUndefined()

    await act(async () => button(rows[1]!, 'Reject')!.click())
    await settle()
    expect(fetch).toHaveBeenCalledWith(
      '/api/v1/content/p1/reject',
      expect.objectContaining({ method: 'POST' }),
    )
    await act(async () => button(rows[2]!, 'Approve')!.click())
    await settle()
    expect(fetch).toHaveBeenCalledWith(
      '/api/v1/content/p2/approve',
      expect.objectContaining({ method: 'POST' }),
    )
    const after = [...view.container.querySelectorAll('tbody tr')]
    expect(after.map((row) => row.querySelector('.badge')?.textContent)).toEqual([
      'Recommended',
      'Rejected',
      'Recommended',
    ])
    // A rejected page can still be approved; an approved one rejected.
    expect(button(after[1]!, 'Approve')).toBeDefined()
    expect(button(after[2]!, 'Reject')).toBeDefined()

    const select = view.container.querySelector<HTMLSelectElement>('#content-review')!
    act(() => {
      select.value = 'pending'
      select.dispatchEvent(new Event('change', { bubbles: true }))
    })
    await settle()
    expect(fetch.mock.calls.at(-1)?.[0]).toBe(`/api/v1/content?siteId=${site.id}&review=pending&limit=50`)
  })
})
