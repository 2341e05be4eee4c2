import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOf } from '../../../api/ports/database'
import { testDatabase } from '../../../api/testing/database'
import { client, readError, readJson } from '../../../api/testing/harness'
import { pageOf } from '../../../schema/api'
import * as answers from '../answers'
import { salesHarness } from '../testing/server'

let h: Awaited<ReturnType<typeof salesHarness>>
beforeAll(async () => {
  h = await salesHarness(await testDatabase())
}, 60_000)
afterAll(() => h.close())

const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
const asA = () => client(h.app, { secretKey: h.a.secretKey })
const asB = () => client(h.app, { secretKey: h.b.secretKey })
const count = async (siteId = h.a.siteId) =>
  Number(
    rowsOf<{ n: number | string }>(
      await h.app.services.db.execute(sql`select count(*) as n from products where site_id = ${siteId}`),
    )[0]!.n,
  )
const put = (body: unknown, as = asA()) => as.send('PUT', '/api/v1/products', body as Record<string, unknown>)
const csv = (text: string, as = asA()) => as.send('POST', '/api/v1/products/import', text, 'text/csv')
const pageView = (
  props: Record<string, unknown>,
  url = 'https://a.example/p/lamp',
  site = h.a.publishableKey,
  name = 'product',
) =>
  h.app.request('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser },
    body: JSON.stringify({
      site,
      batch: [
        {
          id: crypto.randomUUID(),
          name,
          timestamp: new Date(h.now.value).toISOString(),
          anonymousId: 'reader',
          url,
          props,
        },
      ],
    }),
  })
const byProductId = async (productId: string) => {
  const list = await readJson(await asA().get(`/api/v1/products?q=${productId}`), pageOf(answers.product))
  return list.data.find((p) => p.productId === productId)
}

describe('the product catalog API', () => {
  it('creates, updates, lists by cursor and search, reads and deletes products', async () => {
    const created = await put({
      id: 'TEA-1',
      title: 'Green tea',
      url: 'https://a.example/p/tea',
      price: 4.5,
      currency: 'EUR',
    })
    expect(created.status).toBe(201)
    const tea = await readJson(created, answers.product)
    expect(tea).toMatchObject({ productId: 'TEA-1', price: 4.5, source: 'admin' })
    const updated = await put({
      id: 'TEA-1',
      title: 'Green tea 100 g',
      url: 'https://a.example/p/tea',
      availability: 'in_stock',
    })
    expect(updated.status).toBe(200)
    expect(await readJson(updated, answers.product)).toMatchObject({
      id: tea.id,
      title: 'Green tea 100 g',
      price: null,
    })
    const many = await put({
      products: [1, 2, 3].map((n) => ({
        id: `CUP-${n}`,
        title: `Cup ${n}`,
        url: `https://a.example/p/cup-${n}`,
        category: 'cups',
      })),
    })
    expect(await readJson(many, answers.productUpsertMany)).toMatchObject({ created: 3, updated: 0 })
    const first = await readJson(
      await asA().get('/api/v1/products?limit=2&category=CUPS'),
      pageOf(answers.product),
    )
    expect(first.data).toHaveLength(2)
    const rest = await readJson(
      await asA().get(`/api/v1/products?limit=2&category=cups&cursor=${first.nextCursor}`),
      pageOf(answers.product),
    )
    expect([...first.data, ...rest.data].map((p) => p.productId).sort()).toEqual(['CUP-1', 'CUP-2', 'CUP-3'])
    expect(rest.nextCursor).toBeNull()
    expect((await readJson(await asA().get(`/api/v1/products/${tea.id}`), answers.product)).title).toBe(
      'Green tea 100 g',
    )
    expect((await asA().delete(`/api/v1/products/${tea.id}`)).status).toBe(204)
    expect((await asA().get(`/api/v1/products/${tea.id}`)).status).toBe(404)
  })

  it('keeps another site’s products out of reach (404) and its own list', async () => {
    const mine = await readJson(
      await put({ id: 'OWN-1', title: 'Mine', url: 'https://a.example/p/own' }),
      answers.product,
    )
    expect((await asB().get(`/api/v1/products/${mine.id}`)).status).toBe(404)
    expect((await asB().delete(`/api/v1/products/${mine.id}`)).status).toBe(404)
    expect(
      (await put({ siteId: h.a.siteId, id: 'X', title: 'X', url: 'https://b.example/x' }, asB())).status,
    ).toBe(404)
    expect((await csv('id,title,url\nX,X,https://b.example/x', asB())).status).toBe(200)
    const listed = await readJson(await asB().get('/api/v1/products'), pageOf(answers.product))
    expect(listed.data.map((p) => p.productId)).toEqual(['X'])
    expect(
      (
        await asB().send(
          'POST',
          `/api/v1/products/import?siteId=${h.a.siteId}`,
          'id,title,url\nY,Y,https://a.example/y',
          'text/csv',
        )
      ).status,
    ).toBe(404)
    expect((await asA().get(`/api/v1/products?siteId=${h.b.siteId}`)).status).toBe(404)
    expect(await byProductId('Y')).toBeUndefined()
  })

  it('refuses bad input at its field with nothing written', async () => {
    const before = await count()
    const cases: [unknown, string][] = [
      [{ id: 'A', title: 'A', url: 'https://a.example/a', price: '10' }, 'price'],
      [{ id: 'A', title: 'A', url: 'https://a.example/a', price: -1 }, 'price'],
      [{ id: 'A', title: '<b>A</b>', url: 'https://a.example/a' }, 'title'],
      [{ id: 'x'.repeat(101), title: 'A', url: 'https://a.example/a' }, 'id'],
      [{ id: 'A', title: 'A'.repeat(201), url: 'https://a.example/a' }, 'title'],
      [{ id: 'A', title: 'A', url: 'javascript:alert(1)' }, 'url'],
      [{ id: 'A', title: 'A', url: 'https://a.example/a', currency: 'euro' }, 'currency'],
      [{ id: 'A', title: 'A', url: 'https://a.example/a', availability: 'plenty' }, 'availability'],
      [{ id: 'A', title: 'A', url: 'https://a.example/a', extra: 1 }, 'extra'],
      [{ id: 7, title: 'A', url: 'https://a.example/a' }, 'id'],
      [
        {
          products: [
            { id: 'A', title: 'A', url: 'https://a.example/a' },
            { id: 'A', title: 'B', url: 'https://a.example/b' },
          ],
        },
        'products.1.id',
      ],
      [
        {
          products: [
            { id: 'A', title: 'A', url: 'https://a.example/a' },
            { id: 'B', title: 'B', url: 'nope' },
          ],
        },
        'products.1.url',
      ],
      [{ products: [] }, 'products'],
    ]
    for (const [body, path] of cases) {
      const res = await put(body)
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400)
      const error = await readError(res)
      expect((error.details as { path: string }[])[0]!.path, JSON.stringify(body).slice(0, 80)).toBe(path)
    }
    expect((await asA().get('/api/v1/products?limit=0')).status).toBe(400)
    expect((await asA().get('/api/v1/products?cursor=bogus')).status).toBe(400)
    expect((await asA().get('/api/v1/products/not-a-uuid')).status).toBe(404)
    expect(await count()).toBe(before)
  })
})

describe('CSV', () => {
  it('imports the valid lines and answers the others by line and column', async () => {
    const before = await count()
    const file = [
      'id,title,url,price,availability,category,image',
      'SOCK-1,Socks,https://a.example/p/socks,9.90,in_stock,socks,',
      'SOCK-2,Socks 2,https://a.example/p/socks-2,"9,90",in_stock,socks,',
      'SOCK-3,<i>Socks</i>,ftp://a.example/x,-2,lots,,',
      'SOCK-1,Again,https://a.example/p/again,,,,',
      '"SOCK-4","Socks, striped",https://a.example/p/socks-4,12,,socks,https://a.example/s4.jpg',
    ].join('\r\n')
    const res = await csv(file)
    expect(res.status).toBe(200)
    const body = await readJson(res, answers.productImport)
    expect(body).toMatchObject({ created: 2, updated: 0 })
    expect(body.rejected.map((r) => [r.line, r.errors.map((e) => e.path).sort()])).toEqual([
      [3, ['price']],
      [4, ['availability', 'price', 'title', 'url']],
      [5, ['id']],
    ])
    expect(await count()).toBe(before + 2)
    expect(await byProductId('SOCK-4')).toMatchObject({ title: 'Socks, striped', source: 'csv', price: 12 })
    // The header is checked first: nothing is written.
    const bad = await csv('sku,title\nA,B')
    expect(bad.status).toBe(400)
    expect((await readError(bad)).details).toEqual(
      expect.arrayContaining([{ path: 'header', message: 'unknown column "sku"' }]),
    )
    expect((await asA().send('POST', '/api/v1/products/import', '{}', 'application/json')).status).toBe(415)
    expect(await count()).toBe(before + 2)
  })

  it('exports formula-safe CSV in the import’s columns', async () => {
    await put({ id: '=HYPERLINK("x")', title: '+cmd', url: 'https://a.example/p/f', category: '@risk' })
    const res = await asA().get('/api/v1/products?format=csv&q=HYPERLINK')
    expect(res.headers.get('content-type')).toContain('text/csv')
    const text = await res.text()
    expect(text.split('\r\n')[0]).toBe('id,title,url,image,price,currency,availability,category')
    expect(text).toContain(`"'=HYPERLINK(""x"")",'+cmd,https://a.example/p/f,,,,,'@risk`)
  })
})

describe('learned from product pages', () => {
  it('learns a product from a page event’s props, and never overwrites what an admin entered', async () => {
    const res = await pageView({
      product_id: 'LAMP-1',
      product_title: 'Desk lamp',
      product_price: '39.90',
      product_currency: 'eur',
      product_availability: 'https://schema.org/InStock',
      product_image: 'https://a.example/lamp.jpg',
      product_category: 'lighting',
    })
    expect(res.status).toBe(200)
    expect(await byProductId('LAMP-1')).toMatchObject({
      title: 'Desk lamp',
      url: 'https://a.example/p/lamp',
      price: 39.9,
      currency: 'EUR',
      availability: 'in_stock',
      imageUrl: 'https://a.example/lamp.jpg',
      category: 'lighting',
      source: 'page',
    })
    // The page changes its price: a learned product follows it (a `page` event with the props counts too).
    await pageView(
      { product_id: 'LAMP-1', og_title: 'Desk lamp', product_price: 35 },
      undefined,
      undefined,
      'page',
    )
    expect((await byProductId('LAMP-1'))?.price).toBe(35)
    // An admin sets the title and price; the page's values no longer change them, only fill what is empty.
    await put({ id: 'LAMP-1', title: 'Desk lamp (admin)', url: 'https://a.example/p/lamp', price: 30 })
    await pageView({
      product_id: 'LAMP-1',
      product_title: 'Cheap lamp',
      product_price: 1,
      product_availability: 'OutOfStock',
    })
    expect(await byProductId('LAMP-1')).toMatchObject({
      title: 'Desk lamp (admin)',
      price: 30,
      availability: 'out_of_stock',
      source: 'admin',
    })
  })

  it('learns nothing from markup, another host, or a page without an id or title', async () => {
    const before = await count()
    await pageView({ product_id: 'EVIL-1', product_title: '<script>x</script>' })
    await pageView({
      product_id: 'EVIL-2',
      product_title: 'Elsewhere',
      product_url: 'https://evil.example/p',
    })
    await pageView({ product_title: 'No id' })
    await pageView({ product_id: 'NO-TITLE' })
    await pageView(
      { product_id: 'B-ONLY', product_title: 'Other site' },
      'https://b.example/p',
      h.b.publishableKey,
    )
    expect(await count()).toBe(before)
  })
})
