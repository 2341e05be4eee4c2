/**
 * Delivery in Chromium against the real server and database, through a proxy that breaks the events endpoint
 * on purpose: every event tracked arrives exactly once, also when the page navigates away at once, and a page
 * waiting for consent neither stores nor sends anything until it is given.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keys, launchChromium, startServer } from '../examples/browser-harness'
import { events } from '../schema/db'

let server: Awaited<ReturnType<typeof startServer>>
let browser: Awaited<ReturnType<typeof launchChromium>>
let proxy: Server
let proxyOrigin: string

type Fault = '500' | '503' | 'drop' | '429' | 'hang'
/** Faults for the next POSTs to /api/v1/events, in order; the SDK aborts a request after 10 s. */
let faults: Fault[] = []
/** While set, every POST to /api/v1/events answers 503. */
let down = false
const held: ServerResponse[] = []

const page = (consent: string) => `<!doctype html><html><head><title>delivery</title>
<script src="/sdk/promo.js" data-site="${keys.publishable}" data-api="${proxyOrigin}"${consent}></script>
</head><body><a href="/other">other</a></body></html>`

/** Forwards to the real server as if the page were one of its own origins, so CORS lets it in. */
function forward(req: IncomingMessage, res: ServerResponse) {
  const headers = { ...req.headers, host: new URL(server.origin).host }
  if (headers.origin) headers.origin = server.origin
  const upstream = request(`${server.origin}${req.url}`, { method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers)
    answer.pipe(res)
  })
  upstream.on('error', () => res.destroy())
  req.pipe(upstream)
}

function handle(req: IncomingMessage, res: ServerResponse) {
  const html = (body: string) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(body)
  if (req.url === '/page') return html(page(''))
  if (req.url === '/pending') return html(page(' data-consent="pending"'))
  if (req.url === '/other') return html('<!doctype html><title>other</title><p>elsewhere</p>')
  const events = req.method === 'POST' && req.url === '/api/v1/events'
  const fault = events && down ? '503' : events ? faults.shift() : undefined
  if (fault === '500' || fault === '503') return res.writeHead(Number(fault)).end('{}')
  if (fault === '429') return res.writeHead(429, { 'Retry-After': '1' }).end('{}')
  if (fault === 'drop') return req.socket.destroy()
  if (fault === 'hang') return held.push(res)
  forward(req, res)
}

beforeAll(async () => {
  server = await startServer()
  browser = await launchChromium()
  proxy = createServer(handle)
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  proxyOrigin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const res of held) res.destroy()
  proxy?.closeAllConnections()
  await new Promise((resolve) => proxy?.close(resolve))
  await browser?.cleanup()
  await server?.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function rows(name: string, want: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await server.database.db.select({ id: events.id }).from(events).where(eq(events.name, name))
    if (found.length >= want || Date.now() > deadline) return found
    await sleep(200)
  }
}

const ready = `typeof window.Promo?.track === 'function'`

describe('delivery', () => {
  it('delivers 1,000 events exactly once through a 500, a 503, a dropped connection, a 429 and a timeout', async () => {
    faults = ['500', '503', 'drop', '429', 'hang']
    const tab = await browser.newPage()
    const posts: string[] = []
    tab.on('request', (r) => {
      if (r.url().endsWith('/api/v1/events')) posts.push(r.postData() ?? '')
    })
    await tab.goto(`${proxyOrigin}/page`)
    await tab.waitForFunction(ready)
    await tab.evaluate(() => {
      for (let i = 0; i < 1000; i++) window.Promo.track('delivery_load', { i })
    })
    const found = await rows('delivery_load', 1000, 80_000)
    await sleep(1000)
    const final = await rows('delivery_load', 1000, 0)
    expect(faults).toEqual([])
    expect(found.length).toBe(1000)
    expect(final.length).toBe(1000)
    // Retries resent the same ids: more events were posted than stored, yet no id is new.
    const sent = posts.flatMap((body) => (JSON.parse(body).batch as { id: string; name: string }[]) ?? [])
    const loadIds = new Set(sent.filter((e) => e.name === 'delivery_load').map((e) => e.id))
    expect(loadIds.size).toBe(1000)
    expect(sent.filter((e) => e.name === 'delivery_load').length).toBeGreaterThan(1000)
    expect(
      await tab.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('promo_q.'))),
    ).toEqual([])
    await tab.close()
  }, 90_000)

  it('delivers the 20 events tracked just before navigating away', async () => {
    faults = []
    const tab = await browser.newPage()
    await tab.goto(`${proxyOrigin}/page`)
    await tab.waitForFunction(ready)
    await tab.evaluate(() => {
      for (let i = 0; i < 20; i++) window.Promo.track('delivery_unload', { i })
      location.href = '/other'
    })
    await tab.waitForURL('**/other')
    expect((await rows('delivery_unload', 20, 15_000)).length).toBe(20)
    await tab.close()
  })

  it('after a reload, sends the events saved but not acknowledged, with the same ids', async () => {
    down = true
    const tab = await browser.newPage()
    // A browser that refuses beacons: the unload hands nothing over, so the saved queue is all there is.
    await tab.addInitScript(() => {
      navigator.sendBeacon = () => false
    })
    await tab.goto(`${proxyOrigin}/page`)
    await tab.waitForFunction(ready)
    await tab.evaluate(() => {
      for (let i = 0; i < 5; i++) window.Promo.track('delivery_reload', { i })
    })
    const savedIds = () =>
      tab.evaluate(() =>
        Object.keys(localStorage)
          .filter((key) => key.startsWith('promo_q.'))
          .flatMap((key) => JSON.parse(localStorage.getItem(key)!).q as { id: string; name: string }[])
          .filter((e) => e.name === 'delivery_reload')
          .map((e) => e.id),
      )
    const ids = await savedIds()
    expect(ids).toHaveLength(5)
    await sleep(4000)
    expect((await rows('delivery_reload', 1, 0)).length).toBe(0)
    down = false
    await tab.reload()
    const found = await rows('delivery_reload', 5, 15_000)
    expect(found.map((e) => e.id).sort()).toEqual([...ids].sort())
    await tab.close()
  })

  it('stores and sends nothing while consent is pending, then replays the calls once it is given', async () => {
    faults = []
    const tab = await browser.newPage()
    await tab.addInitScript(() => {
      const writes: string[] = []
      Object.assign(window, { storageWrites: writes })
      const setItem = Storage.prototype.setItem
      Storage.prototype.setItem = function (key: string, value: string) {
        writes.push(`setItem ${key}`)
        return setItem.call(this, key, value)
      }
      const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!
      Object.defineProperty(Document.prototype, 'cookie', {
        get() {
          return cookie.get!.call(this)
        },
        set(value: string) {
          writes.push(`cookie ${value}`)
          cookie.set!.call(this, value)
        },
      })
    })
    const requests: string[] = []
    tab.on('request', (r) => {
      if (r.url().includes('/api/')) requests.push(r.url())
    })
    await tab.goto(`${proxyOrigin}/pending`)
    await tab.waitForFunction(ready)
    await tab.evaluate(() => {
      for (let i = 0; i < 3; i++) window.Promo.track('delivery_consent', { i })
      window.Promo.identify('user-42', { plan: 'pro' })
    })
    await sleep(4000)
    const writes = () => tab.evaluate(() => (window as unknown as { storageWrites: string[] }).storageWrites)
    expect(requests).toEqual([])
    expect(await writes()).toEqual([])
    expect((await rows('delivery_consent', 1, 0)).length).toBe(0)

    await tab.evaluate(() => window.Promo.consent({ analytics: true, personalization: true }))
    expect((await rows('delivery_consent', 3, 15_000)).length).toBe(3)
    const identified = await server.database.db.select().from(events).where(eq(events.name, 'identify'))
    expect(identified.map((e) => [e.userId, e.props])).toEqual([['user-42', { plan: 'pro' }]])
    expect(requests.some((url) => url.endsWith('/api/v1/events'))).toBe(true)
    expect((await writes()).length).toBeGreaterThan(0)
    await tab.close()
  })
})
