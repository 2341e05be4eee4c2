import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, createHarness, type Harness, login, readError, readJson } from '../../../api/testing/harness'
import * as api from '../../../schema/api'
import { contentItems } from '../../../schema/db'
import * as content from '../answers'

let h: Harness
const contentPage = api.pageOf(content.contentItem)
const admin = () => client(h.app, { secretKey: h.a.secretKey })
const put = (body: Record<string, unknown>) => admin().send('PUT', '/api/v1/content', body)
const importCsv = (csv: string, contentType = 'text/csv') =>
  admin().post('/api/v1/content/import', csv, contentType)

beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

describe('PUT /api/v1/content', () => {
  it('creates an item under its normalised URL (no fragment, no utm_*), tags folded', async () => {
    const res = await put({
      url: 'https://a.example/guide?id=7&utm_source=news&utm_medium=mail#top',
      title: '  Trail   running guide ',
      imageUrl: 'https://a.example/guide.jpg',
      summary: 'Everything\nabout trails',
      tags: ['Running', 'trail', 'running'],
      category: 'Sport',
      publishedAt: '2026-11-20T08:00:00Z',
    })
    expect(res.status).toBe(201)
    const item = await readJson(res, content.contentItem)
    expect(item).toMatchObject({
      siteId: h.a.siteId,
      url: 'https://a.example/guide?id=7',
      title: 'Trail running guide',
      summary: 'Everything about trails',
      tags: ['running', 'trail'],
      category: 'Sport',
      publishedAt: '2026-11-20T08:00:00.000Z',
      source: 'admin',
      impressions: 0,
      clicks: 0,
    })
  })

  it('updates the same page linked another way, replacing its fields and keeping its counters', async () => {
    await h.database.db
      .update(contentItems)
      .set({ impressions: 40, clicks: 2 })
      .where(eq(contentItems.url, 'https://a.example/guide?id=7'))
    const res = await put({
      url: 'https://a.example/guide?utm_campaign=x&id=7',
      title: 'Trail guide, 2nd ed.',
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      url: 'https://a.example/guide?id=7',
      title: 'Trail guide, 2nd ed.',
      imageUrl: null,
      tags: [],
      impressions: 40,
      clicks: 2,
    })
  })

  it('upserts many at once and answers how many were new', async () => {
    const res = await put({
      items: [
        { url: 'https://a.example/guide?id=7', title: 'Trail guide' },
        { url: 'https://a.example/shoes', title: 'Shoes', tags: ['running'], category: 'gear' },
      ],
    })
    expect(res.status).toBe(200)
    const body = await readJson(res, content.contentUpsertMany)
    expect(body).toMatchObject({ created: 1, updated: 1 })
    expect(body.data.map((i) => i.url)).toEqual(['https://a.example/guide?id=7', 'https://a.example/shoes'])
  })

  it('stores nothing when any item is wrong, and names the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { items: [{ url: 'https://a.example/ok', title: 'Fine' }, { url: 'https://a.example/x' }] },
        'items.1.title',
      ],
      [{ url: 'javascript:alert(1)', title: 'x' }, 'url'],
      [{ url: 'https://a.example/x', title: '<b>bold</b>' }, 'title'],
      [{ url: 'https://a.example/x', title: 'x', imageUrl: 'data:image/png;base64,AAA' }, 'imageUrl'],
      [{ url: 'https://a.example/x', title: 'x', summary: 's'.repeat(501) }, 'summary'],
      [
        { url: 'https://a.example/x', title: 'x', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
        'tags',
      ],
      [{ url: 'https://a.example/x', title: 'x', extra: 1 }, 'extra'],
      [
        {
          items: [
            { url: 'https://a.example/dup#a', title: 'a' },
            { url: 'https://a.example/dup?utm_source=b', title: 'b' },
          ],
        },
        'items.1.url',
      ],
      [
        { items: Array.from({ length: 501 }, (_, i) => ({ url: `https://a.example/${i}`, title: 't' })) },
        'items',
      ],
    ]
    for (const [body, path] of cases) {
      const res = await put(body)
      expect([path, res.status]).toEqual([path, 400])
      expect((await readError(res)).paths).toContain(path)
    }
    const stored = await h.database.db
      .select({ url: contentItems.url })
      .from(contentItems)
      .where(eq(contentItems.siteId, h.a.siteId))
    expect(stored.map((row) => row.url).sort()).toEqual([
      'https://a.example/guide?id=7',
      'https://a.example/shoes',
    ])
  })

  it('needs the CSRF token for a signed-in admin', async () => {
    const session = await login(h.app, h.a)
    const without = client(h.app, { cookie: session.cookie })
    expect(
      (await without.send('PUT', '/api/v1/content', { url: 'https://a.example/c', title: 'c' })).status,
    ).toBe(403)
    const withToken = client(h.app, session)
    expect(
      (await withToken.send('PUT', '/api/v1/content', { url: 'https://a.example/c', title: 'c' })).status,
    ).toBe(201)
  })
})

describe('GET /api/v1/content', () => {
  beforeAll(async () => {
    await put({
      items: Array.from({ length: 5 }, (_, i) => ({
        url: `https://a.example/list/${i}`,
        title: `Listed 100% item_${i}`,
        tags: i % 2 ? ['odd'] : ['even'],
        category: i < 2 ? 'News' : 'Sport',
      })),
    })
  })

  it('filters by search, tag and category, and pages by cursor', async () => {
    const get = async (query: string) => readJson(await admin().get(`/api/v1/content?${query}`), contentPage)
    expect((await get('q=listed&limit=100')).data).toHaveLength(5)
    // % and _ are literal characters in a search, never patterns
    expect((await get(`q=${encodeURIComponent('100% item_3')}`)).data.map((i: any) => i.url)).toEqual([
      'https://a.example/list/3',
    ])
    expect((await get('q=100x')).data).toEqual([])
    expect((await get('tag=ODD&q=listed')).data.map((i: any) => i.url).sort()).toEqual([
      'https://a.example/list/1',
      'https://a.example/list/3',
    ])
    expect((await get('category=news&q=listed')).data).toHaveLength(2)

    const first = await get('q=listed&limit=2')
    expect(first.data).toHaveLength(2)
    const second = await get(`q=listed&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`)
    const third = await get(`q=listed&limit=2&cursor=${encodeURIComponent(second.nextCursor!)}`)
    expect(third.nextCursor).toBeNull()
    const seen = [...first.data, ...second.data, ...third.data].map((i: any) => i.url)
    expect(new Set(seen).size).toBe(5)
    expect((await admin().get('/api/v1/content?cursor=nope')).status).toBe(400)
  })

  it('reads and deletes one item; a deleted or unknown id is 404', async () => {
    const item = (await readJson(await admin().get('/api/v1/content?q=list/4'), contentPage)).data[0]!
    expect((await admin().get(`/api/v1/content/${item.id}`)).status).toBe(200)
    expect((await admin().delete(`/api/v1/content/${item.id}`)).status).toBe(204)
    expect((await admin().get(`/api/v1/content/${item.id}`)).status).toBe(404)
    expect((await admin().delete(`/api/v1/content/${item.id}`)).status).toBe(404)
    expect((await admin().get('/api/v1/content/not-a-uuid')).status).toBe(404)
  })
})

describe('POST /api/v1/content/import', () => {
  it('stores the valid rows and reports each invalid one by its line and column', async () => {
    const csv = [
      'URL,Title,image,summary,tags,category,published_at',
      'https://a.example/csv/1,First,https://a.example/1.jpg,"A summary, with a comma",Running; Trail ;,Sport,2026-11-01',
      'javascript:alert(1),Bad URL,,,,,',
      'https://a.example/csv/3,,,,,,',
      'https://a.example/csv/4,"Line one',
      'line two",,,,,2026-11-02T10:00:00+01:00',
      'https://a.example/csv/5,<script>x</script>,,,,,',
      'https://a.example/csv/1#again,Duplicate,,,,,',
      '',
      'https://a.example/csv/8,Eight,ftp://a.example/8.jpg,,,,yesterday',
      'https://a.example/csv/9,Nine,,,,,,extra',
    ].join('\r\n')
    const res = await importCsv(csv)
    expect(res.status).toBe(200)
    const body = await readJson(res, content.importResult)
    expect(body.created).toBe(2)
    expect(body.updated).toBe(0)
    const byLine = Object.fromEntries(
      body.rejected.map((r: any) => [r.line, r.errors.map((e: any) => e.path)]),
    )
    expect(byLine).toEqual({
      3: ['url'],
      4: ['title'],
      7: ['title'],
      8: ['url'],
      10: ['image', 'published_at'],
      11: ['row'],
    })
    const first = (await readJson(await admin().get('/api/v1/content?q=csv/1'), contentPage)).data[0]
    expect(first).toMatchObject({
      title: 'First',
      summary: 'A summary, with a comma',
      tags: ['running', 'trail'],
      publishedAt: '2026-11-01T00:00:00.000Z',
      source: 'csv',
    })
    const multiline = (await readJson(await admin().get('/api/v1/content?q=csv/4'), contentPage)).data[0]
    expect(multiline).toMatchObject({ title: 'Line one line two', publishedAt: '2026-11-02T09:00:00.000Z' })
  })

  it('writes nothing of a file whose header is wrong, and says which column', async () => {
    const res = await importCsv('url,title,colour\r\nhttps://a.example/z,Z,red\r\n')
    expect(res.status).toBe(400)
    expect((await readError(res)).details).toEqual([{ path: 'header', message: 'unknown column "colour"' }])
    expect((await importCsv('title\r\nZ\r\n')).status).toBe(400)
    expect((await importCsv('')).status).toBe(400)
    const none = (await readJson(await admin().get('/api/v1/content?q=a.example/z'), contentPage)).data
    expect(none).toEqual([])
  })

  it('reports an unclosed quote at its line, keeping the rows before it', async () => {
    const res = await importCsv('url,title\nhttps://a.example/q/1,One\nhttps://a.example/q/2,"Two\n')
    const body = await readJson(res, content.importResult)
    expect(body.created).toBe(1)
    expect(body.rejected).toMatchObject([{ line: 3, errors: [{ path: 'row' }] }])
  })

  it('refuses other content types and bodies over the admin limit', async () => {
    expect((await importCsv('url,title\n', 'application/json')).status).toBe(415)
    const big = `url,title\n${'https://a.example/big,Big\n'.repeat(25_000)}`
    expect((await importCsv(big)).status).toBe(413)
  })

  it('imports again as updates, keeping the same ids', async () => {
    const before = (await readJson(await admin().get('/api/v1/content?q=csv/1'), contentPage)).data[0]!
    const res = await importCsv('url,title\nhttps://a.example/csv/1,First again\n')
    expect(await res.json()).toMatchObject({ created: 0, updated: 1, rejected: [] })
    const after = (await readJson(await admin().get('/api/v1/content?q=csv/1'), contentPage)).data[0]
    expect(after).toMatchObject({ id: before.id, title: 'First again', tags: [] })
  })

  it('exports as CSV with the import columns, formula-like cells defused', async () => {
    await put({
      url: 'https://a.example/formula',
      title: '=HYPERLINK("https://evil.example","x")',
      tags: ['+a'],
    })
    const res = await admin().get('/api/v1/content?format=csv&q=formula')
    expect(res.headers.get('content-type')).toContain('text/csv')
    const text = await res.text()
    const [header, row] = text.trim().split('\r\n')
    expect(header).toBe('url,title,image,summary,tags,category,published_at')
    expect(row).toBe(`https://a.example/formula,"'=HYPERLINK(""https://evil.example"",""x"")",,,'+a,,`)
  })
})
