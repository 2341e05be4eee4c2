import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AssetFetcher } from '../services/deps'
import { nodeAssets } from './assets'

/** Text that compresses, like a real bundle: long enough to be worth it. */
const bundle = `export function unit(){return ${JSON.stringify('banner '.repeat(400))}}\n`
const loader = `(()=>{${'var a=1;'.repeat(300)}})()\n`

describe('static files on Node', () => {
  let dir = ''
  let assets: AssetFetcher
  const get = (path: string, headers: Record<string, string> = {}) => assets(path, new Headers(headers))

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'promo-assets-'))
    await mkdir(join(dir, 'dist/sdk/chunks'), { recursive: true })
    await mkdir(join(dir, 'dist/admin/chunks'), { recursive: true })
    await mkdir(join(dir, 'examples'), { recursive: true })
    await writeFile(join(dir, 'dist/sdk/promo.js'), loader)
    await writeFile(join(dir, 'dist/sdk/manifest.json'), '{"awareness":"chunks/awareness-abcdef1234.js"}')
    await writeFile(join(dir, 'dist/sdk/chunks/awareness-abcdef1234.js'), bundle)
    await writeFile(
      join(dir, 'dist/admin/index.html'),
      `<!doctype html><title>Promo</title>${' '.repeat(600)}`,
    )
    await writeFile(join(dir, 'dist/admin/app-7KQ3ZJ2M.js'), bundle)
    await writeFile(join(dir, 'dist/admin/favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    await writeFile(
      join(dir, 'examples/index.html'),
      `<script src="/sdk/promo.js" data-site="%PROMO_PUBLISHABLE_KEY%"></script>${'<p>demo</p>'.repeat(80)}`,
    )
    assets = nodeAssets({
      distDir: join(dir, 'dist'),
      examplesDir: join(dir, 'examples'),
      publishableKey: 'pk_demo',
    })
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('sends brotli when the browser takes it, gzip when it takes only that, and the bytes themselves otherwise', async () => {
    const br = (await get('/sdk/chunks/awareness-abcdef1234.js', {
      'accept-encoding': 'gzip, deflate, br, zstd',
    }))!
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toBe('Accept-Encoding')
    const brBytes = Buffer.from(await br.arrayBuffer())
    expect(Number(br.headers.get('content-length'))).toBe(brBytes.length)
    expect(brotliDecompressSync(brBytes).toString()).toBe(bundle)
    expect(brBytes.length).toBeLessThan(bundle.length / 10)

    const gz = (await get('/sdk/chunks/awareness-abcdef1234.js', { 'accept-encoding': 'gzip' }))!
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(bundle)

    const refused = (await get('/sdk/chunks/awareness-abcdef1234.js', { 'accept-encoding': 'br;q=0, gzip' }))!
    expect(refused.headers.get('content-encoding')).toBe('gzip')

    const plain = (await get('/sdk/chunks/awareness-abcdef1234.js'))!
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(plain.headers.get('vary')).toBe('Accept-Encoding')
    expect(await plain.text()).toBe(bundle)
  })

  it('caches content-hashed files for good and has the rest revalidated by ETag', async () => {
    const cacheOf = async (path: string) => (await get(path))!.headers.get('cache-control')
    expect(await cacheOf('/sdk/chunks/awareness-abcdef1234.js')).toBe('public, max-age=31536000, immutable')
    expect(await cacheOf('/admin/app-7KQ3ZJ2M.js')).toBe('public, max-age=31536000, immutable')
    expect(await cacheOf('/sdk/promo.js')).toBe('public, max-age=300, stale-while-revalidate=3600')
    expect(await cacheOf('/admin/')).toBe('no-cache')
    expect(await cacheOf('/admin/campaigns/123')).toBe('no-cache')
    expect(await cacheOf('/admin/favicon.svg')).toBe('no-cache')
  })

  it('answers 304 with no body to an ETag it sent, in whichever encoding the ETag came', async () => {
    const first = (await get('/sdk/promo.js', { 'accept-encoding': 'br' }))!
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^"[\w-]+-br"$/)
    const again = (await get('/sdk/promo.js', { 'accept-encoding': 'gzip', 'if-none-match': etag }))!
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect(again.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=3600')
    const plainTag = (await get('/sdk/promo.js'))!.headers.get('etag')!
    expect((await get('/sdk/promo.js', { 'if-none-match': `W/${plainTag}` }))!.status).toBe(304)
    expect((await get('/sdk/promo.js', { 'if-none-match': '"something-else"' }))!.status).toBe(200)
  })

  it('sends a rebuilt file, never the copy it compressed before', async () => {
    const path = join(dir, 'dist/sdk/manifest.json')
    const before = (await get('/sdk/manifest.json', { 'accept-encoding': 'br' }))!
    const oldTag = before.headers.get('etag')
    await writeFile(path, `{"awareness":"chunks/awareness-0000000000.js","pad":"${'x'.repeat(700)}"}`)
    await utimes(path, new Date(), new Date(Date.now() + 5_000))
    const after = (await get('/sdk/manifest.json', { 'accept-encoding': 'br', 'if-none-match': oldTag! }))!
    expect(after.status).toBe(200)
    expect(brotliDecompressSync(Buffer.from(await after.arrayBuffer())).toString()).toContain('0000000000')
  })

  it("compresses the demo page with the site's key written in", async () => {
    const page = (await get('/demo/', { 'accept-encoding': 'gzip' }))!
    expect(page.headers.get('content-encoding')).toBe('gzip')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = gunzipSync(Buffer.from(await page.arrayBuffer())).toString()
    expect(html).toContain('data-site="pk_demo"')
    expect(html).not.toContain('%PROMO_PUBLISHABLE_KEY%')
  })

  it('leaves small files and paths outside the mounts alone', async () => {
    const icon = (await get('/admin/favicon.svg', { 'accept-encoding': 'br' }))!
    expect(icon.headers.get('content-encoding')).toBeNull()
    expect(icon.headers.get('vary')).toBeNull()
    expect(await get('/sdk/../../etc/passwd')).toBeNull()
    expect(await get('/sdk/%2e%2e/%2e%2e/etc/passwd')).toBeNull()
    expect(await get('/elsewhere.js')).toBeNull()
  })
})
