// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { testSite } from '../../../admin/testing/site'
import { putProduct } from '../server/product-routes'
import type { Product } from './api'
import { ProductsPage, productBody } from './products'

const site = testSite({ id: 's1', name: 'Shop' })
const markup = '<img src=x onerror=alert(1)>'

const product = (fields: Partial<Product>): Product => ({
  id: 'p1',
  siteId: 's1',
  productId: 'SCARF-1',
  title: 'Wool scarf',
  url: 'https://shop.example/scarf',
  imageUrl: null,
  price: 29.9,
  currency: 'EUR',
  availability: 'in_stock',
  category: 'Winter',
  source: 'admin',
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  ...fields,
})

interface Call {
  method: string
  path: string
  search: string
  body?: unknown
  contentType?: string | undefined
}

/** The catalog API as the screen meets it: pages, search, upsert, delete and CSV import. */
function server({ refuse, nextCursor }: { refuse?: unknown; nextCursor?: string } = {}) {
  const calls: Call[] = []
  const stored: Product[] = [
    product({}),
    product({
      id: 'p2',
      productId: 'HAT-2',
      title: markup,
      price: null,
      currency: null,
      availability: null,
      category: null,
      source: 'page',
    }),
  ]
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const parsed = new URL(url, 'http://admin.test')
      const method = init?.method ?? 'GET'
      const headers = (init?.headers ?? {}) as Record<string, string>
      const contentType = headers['Content-Type']
      const body =
        init?.body && contentType === 'application/json' ? JSON.parse(String(init.body)) : init?.body
      calls.push({ method, path: parsed.pathname, search: parsed.search, body, contentType })
      if (parsed.pathname === '/api/v1/products/import') {
        return json(200, {
          created: 1,
          updated: 0,
          rejected: [{ line: 3, errors: [{ path: 'price', message: 'a number like 19.90' }] }],
        })
      }
      if (parsed.pathname === '/api/v1/products' && method === 'GET') {
        const q = parsed.searchParams.get('q')
        if (parsed.searchParams.get('cursor'))
          return json(200, {
            data: [product({ id: 'p3', productId: 'MUG-3', title: 'Mug' })],
            nextCursor: null,
          })
        const data = q ? stored.filter((p) => p.title.includes(q) || p.productId.includes(q)) : stored
        return json(200, { data, nextCursor: q ? null : (nextCursor ?? null) })
      }
      if (parsed.pathname === '/api/v1/products' && method === 'PUT') {
        if (refuse) return json(400, refuse)
        const known = stored.find((p) => p.productId === body.id)
        const saved = product({
          ...(known ? { id: known.id } : { id: 'p9' }),
          productId: body.id,
          title: body.title,
          url: body.url,
          price: body.price ?? null,
          currency: body.currency ?? null,
          availability: body.availability ?? null,
          category: body.category ?? null,
        })
        if (known) stored.splice(stored.indexOf(known), 1, saved)
        else stored.unshift(saved)
        return json(known ? 200 : 201, saved)
      }
      const one = /^\/api\/v1\/products\/(p\d)$/.exec(parsed.pathname)
      if (one && method === 'DELETE') {
        stored.splice(
          stored.findIndex((p) => p.id === one[1]),
          1,
        )
        return new Response(null, { status: 204 })
      }
      return json(404, { error: { code: 'not_found', message: 'Not found' } })
    }),
  )
  return calls
}

const el = <T extends Element = HTMLInputElement>(c: HTMLElement, selector: string): T => {
  const found = c.querySelector<T>(selector)
  if (!found) throw new Error(`nothing at ${selector}`)
  return found
}
function type(c: HTMLElement, selector: string, value: string) {
  const input = el(c, selector)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}
function submit(form: Element) {
  act(() => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  })
}
function click(c: HTMLElement, text: string) {
  const button = [...c.querySelectorAll<HTMLElement>('button, a')].find((b) =>
    b.textContent?.trim().startsWith(text),
  )
  if (!button) throw new Error(`no button ${text}`)
  act(() => button.click())
}
const rows = (c: HTMLElement) =>
  [...c.querySelectorAll('section[aria-labelledby=products-title] tbody tr')].map((row) =>
    [...row.children].map((cell) => cell.textContent),
  )

let unmount = () => {}
afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

async function open() {
  const view = renderInto(<ProductsPage sites={[site]} site={site} onSiteChange={() => {}} />)
  unmount = view.unmount
  await settle()
  return view.container
}

describe('the products screen', () => {
  it('lists the site’s products with id, price, availability, category and source, as text', async () => {
    const calls = server()
    const c = await open()
    expect(calls[0]).toMatchObject({ path: '/api/v1/products', search: '?siteId=s1&limit=50' })
    const [scarf, hat] = rows(c)
    expect(scarf?.slice(0, 6)).toEqual([
      'Wool scarf',
      'SCARF-1',
      expect.stringContaining('29.90'),
      'In stock',
      'Winter',
      'Entered',
    ])
    expect(hat?.slice(0, 6)).toEqual([markup, 'HAT-2', '—', '—', '—', 'Learned from pages'])
    expect(c.querySelector('tbody img')).toBeNull()
    const exported = el<HTMLAnchorElement>(c, 'a[download]')
    expect(exported.getAttribute('href')).toBe('/api/v1/products?siteId=s1&format=csv')
  })

  it('searches by title or id, and the export follows the search', async () => {
    const calls = server()
    const c = await open()
    type(c, '#products-search', 'scarf')
    submit(el(c, 'form[aria-label="Search the products"]'))
    await settle()
    expect(calls.at(-1)).toMatchObject({ search: '?siteId=s1&q=scarf&limit=50' })
    expect(rows(c).map((row) => row[1])).toEqual(['SCARF-1'])
    expect(el<HTMLAnchorElement>(c, 'a[download]').getAttribute('href')).toBe(
      '/api/v1/products?siteId=s1&q=scarf&format=csv',
    )
  })

  it('pages with the API’s cursor', async () => {
    const calls = server({ nextCursor: 'c2' })
    const c = await open()
    click(c, 'Show more')
    await settle()
    expect(calls.at(-1)?.search).toBe('?siteId=s1&limit=50&cursor=c2')
    expect(rows(c).map((row) => row[1])).toEqual(['SCARF-1', 'HAT-2', 'MUG-3'])
  })

  it('adds a product through the upsert the API checks, then lists it', async () => {
    const calls = server()
    const c = await open()
    click(c, 'Add a product')
    await settle()
    expect(document.activeElement?.id).toBe('field-id')
    type(c, '#field-id', ' MUG-3 ')
    type(c, '#field-title', 'Mug')
    type(c, '#field-url', 'https://shop.example/mug')
    type(c, '#field-price', '12.5')
    type(c, '#field-currency', 'eur')
    submit(el(c, 'form[aria-labelledby=product-form-title]'))
    await settle()
    const put = calls.find((call) => call.method === 'PUT')
    expect(put?.body).toEqual({
      siteId: 's1',
      id: 'MUG-3',
      title: 'Mug',
      url: 'https://shop.example/mug',
      price: 12.5,
      currency: 'EUR',
    })
    // The site id is the test's, not a UUID; the rest is what the API takes.
    expect(putProduct.safeParse({ ...(put?.body as object), siteId: undefined }).success).toBe(true)
    expect(c.textContent).toContain('“Mug” was added.')
    expect(c.querySelector('form[aria-labelledby=product-form-title]')).toBeNull()
    expect(rows(c).map((row) => row[1])).toContain('MUG-3')
  })

  it('edits a product under its id, which cannot change', async () => {
    const calls = server()
    const c = await open()
    click(c, 'Edit')
    await settle()
    expect(el(c, '#field-id').disabled).toBe(true)
    expect(document.activeElement?.id).toBe('field-title')
    expect(el(c, '#field-title').value).toBe('Wool scarf')
    type(c, '#field-price', '')
    type(c, '#field-title', 'Long wool scarf')
    submit(el(c, 'form[aria-labelledby=product-form-title]'))
    await settle()
    const put = calls.find((call) => call.method === 'PUT')
    expect(put?.body).toMatchObject({ id: 'SCARF-1', title: 'Long wool scarf', availability: 'in_stock' })
    expect(put?.body).not.toHaveProperty('price')
    expect(rows(c)[0]?.slice(0, 3)).toEqual(['Long wool scarf', 'SCARF-1', '—'])
  })

  it('shows the API’s refusal at the field it names, and keeps what was typed', async () => {
    server({
      refuse: {
        error: {
          code: 'validation_failed',
          message: 'url: must be an http(s) URL',
          details: [{ path: 'url', message: 'must be an http(s) URL' }],
        },
      },
    })
    const c = await open()
    click(c, 'Add a product')
    type(c, '#field-id', 'X')
    type(c, '#field-title', 'X')
    type(c, '#field-url', 'javascript:alert(1)')
    submit(el(c, 'form[aria-labelledby=product-form-title]'))
    await settle()
    expect(el(c, '#field-url').getAttribute('aria-invalid')).toBe('true')
    expect(c.querySelector('#field-url-error')?.textContent).toBe('must be an http(s) URL')
    expect(el(c, '#field-url').value).toBe('javascript:alert(1)')
    expect(c.querySelector('[role=alert]')?.textContent).toBe('url: must be an http(s) URL')
  })

  it('deletes a product only after the confirm', async () => {
    const calls = server()
    const c = await open()
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true)
    vi.stubGlobal('confirm', confirm)
    click(c, 'Delete')
    await settle()
    expect(calls.some((call) => call.method === 'DELETE')).toBe(false)
    click(c, 'Delete')
    await settle()
    expect(confirm).toHaveBeenCalledTimes(2)
    expect(calls.find((call) => call.method === 'DELETE')?.path).toBe('/api/v1/products/p1')
    expect(rows(c).map((row) => row[1])).toEqual(['HAT-2'])
    expect(c.textContent).toContain('“Wool scarf” was deleted.')
  })

  it('imports a CSV file as text/csv and lists the refused lines', async () => {
    const calls = server()
    const c = await open()
    const csv =
      'id,title,url,price\nMUG-3,Mug,https://shop.example/mug,12\nBAD,Bad,https://shop.example/b,cheap\n'
    const input = el(c, '#products-file')
    Object.defineProperty(input, 'files', { value: [new File([csv], 'products.csv', { type: 'text/csv' })] })
    submit(el(c, 'form[aria-labelledby=import-title]'))
    await settle()
    const post = calls.find((call) => call.path === '/api/v1/products/import')
    expect(post).toMatchObject({ method: 'POST', search: '?siteId=s1', contentType: 'text/csv', body: csv })
    expect(c.textContent).toContain('1 new, 0 updated, 1 lines refused:')
    expect(c.querySelector('.import-errors li')?.textContent).toBe('Line 3: price: a number like 19.90')
  })

  it('asks for a file before importing', async () => {
    const calls = server()
    const c = await open()
    submit(el(c, 'form[aria-labelledby=import-title]'))
    await settle()
    expect(calls.some((call) => call.path === '/api/v1/products/import')).toBe(false)
    expect(c.querySelector('[role=alert]')?.textContent).toBe('Choose a CSV file first.')
  })
})

describe('the product request', () => {
  it('leaves out blank optional fields and sends a price that is not a number as typed, for the API to name', () => {
    const body = productBody(
      {
        id: 'A',
        title: 'T',
        url: 'https://shop.example/a',
        imageUrl: ' ',
        price: 'cheap',
        currency: '',
        availability: '',
        category: '',
      },
      's1',
    )
    expect(body).toEqual({ siteId: 's1', id: 'A', title: 'T', url: 'https://shop.example/a', price: 'cheap' })
    const refused = putProduct.safeParse({ ...body, siteId: undefined })
    expect(refused.error?.issues[0]?.path).toEqual(['price'])
  })
})
