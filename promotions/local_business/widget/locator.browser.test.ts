/**
 * The store locator as a site gets it, in Chromium against the real server (PostgreSQL when DATABASE_URL is set):
 * a visitor types a postcode and gets the three nearest stores in order, each saying whether it is open now; the
 * directions and call links are counted; the browser's position is asked for only after the tap on "use my
 * location". The stores are imported through the admin HTTP API as CSV; the shop is a small site on 127.0.0.1
 * (added to the site's allowed origins) that pastes the script tag. Needs `npm run build`.
 *
 * "Open now" is decided on the server's clock: the test stands the server and the page at the same moment, a
 * Wednesday at 09:30 in Paris (the server's clock starts there and runs on; the page's is paused there), so one
 * store is open until 21:00, one opens at 10:00 and one has no hours. The answers at other instants, DST included,
 * are the API tests' and the hours core's (server/locator.test.ts, hours.test.ts).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Locator, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventCounter, keys, launchChromium, startServer, until } from '../../../examples/browser-harness'

let promo: Awaited<ReturnType<typeof startServer>>
let browser: Awaited<ReturnType<typeof launchChromium>>
let host: Server
let shop = ''
let count: ReturnType<typeof eventCounter>

/** The shop's page with one slot: `/stores` the locator's, `/plain` and `/map` the map tests' (no room kept). */
const slots: Record<string, string> = {
  '/stores': 'store-locator" data-promo-sku="SKU-1" style="min-height:520px;max-width:640px',
  '/plain': 'store-plain" style="max-width:640px',
  '/map': 'store-map" style="max-width:640px',
}
const pageHtml = (
  path: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our stores</title>
<script async src="${promo.origin}/sdk/promo.js" data-site="${keys.publishable}"></script></head>
<body style="margin:0;font:16px sans-serif"><h1>Our stores</h1>
<div data-promo-slot="${slots[path]}"></div><p id="after">Opening hours may vary on public holidays.</p></body></html>`

const stores = [
  'ref,name,street,city,postal_code,country,lat,lng,phone,time_zone,hours,inventory',
  'paris-04,Marais,12 rue des Archives,Paris,75004,FR,48.8589,2.3561,+33 1 23 45 67 89,Europe/Paris,Mo-Sa 10:00-19:00,SKU-1:3',
  'paris-11,Oberkampf,12 rue Oberkampf,Paris,75011,FR,48.8649,2.3752,+33 1 98 76 54 32,Europe/Paris,Mo-Su 09:00-21:00,SKU-1:0',
  'paris-15,Vaugirard,200 rue de Vaugirard,Paris,75015,FR,48.8412,2.2997,,Europe/Paris,,',
  'lyon-02,Bellecour,1 place Bellecour,Lyon,69002,FR,45.7578,4.832,,Europe/Paris,Mo-Su 00:00-00:00,',
].join('\n')

async function admin(method: string, path: string, body?: unknown, type = 'application/json'): Promise<any> {
  const res = await fetch(`${promo.origin}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${keys.secret}`, 'content-type': type },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

/** Wednesday 2 December 2026, 09:30 in Paris (UTC+1). */
const moment = Date.parse('2026-12-02T08:30:00Z')

beforeAll(async () => {
  const started = Date.now()
  promo = await startServer({ now: () => moment + (Date.now() - started) })
  count = eventCounter(promo.database.db)
  host = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (slots[path]) res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(pageHtml(path))
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
  shop = `http://127.0.0.1:${(host.address() as AddressInfo).port}`
  const [site] = (await admin('GET', '/sites')).data
  await admin('PATCH', `/sites/${site.id}`, { allowedOrigins: [...site.allowedOrigins, shop] })
  browser = await launchChromium()
  // Directions open the maps site in a new tab: nothing leaves this machine.
  await browser.route(/^https:\/\/www\.google\.com\//, (route) => route.abort())
})

afterAll(async () => {
  await browser?.cleanup()
  host?.closeAllConnections()
  await new Promise((resolve) => host?.close(resolve))
  await promo?.close()
})

describe('the store locator on a real site, in Chromium', () => {
  it('finds the three nearest stores for a postcode, counts directions and calls, and asks for the position only on tap', async () => {
    await admin('POST', '/stores/import', stores, 'text/csv')
    const campaign = await admin('POST', '/campaigns', {
      name: 'Find a store',
      type: 'local_business',
      placements: ['store-locator'],
      config: { geolocation: 'precise', actions: ['directions', 'call', 'inventory'] },
      variants: [{ name: 'A', creative: { headline: 'Find a store near you' } }],
    })
    await admin('POST', `/campaigns/${campaign.id}/activate`)

    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))
    // The page's clock stands still (its timers still run, so the SDK sends its events).
    await page.clock.setFixedTime(new Date(moment))
    // Records every request for the position, and answers with a point in Lyon.
    await page.addInitScript(() => {
      const w = window as unknown as { positionAsked: number }
      w.positionAsked = 0
      navigator.geolocation.getCurrentPosition = (success) => {
        w.positionAsked++
        success({ coords: { latitude: 45.76, longitude: 4.83 } } as GeolocationPosition)
      }
      // A phone call would leave the page for the system's dialler: the click is heard, the call is not placed.
      addEventListener(
        'click',
        (event) => {
          const link = event.composedPath().find((node) => node instanceof HTMLAnchorElement)
          if (link?.href.startsWith('tel:')) event.preventDefault()
        },
        true,
      )
      navigator.geolocation.watchPosition = () => {
        w.positionAsked++
        return 0
      }
    })
    await page.goto(`${shop}/stores`)
    const unit = page.locator('[data-promo-slot="store-locator"] promo-unit')
    await unit.locator('input[type=search]').waitFor()
    await until(
      () => count(campaign.id, 'locator_open'),
      (n) => n === 1,
      'one',
    )

    await unit.locator('input[type=search]').fill('75011')
    await unit.locator('button[type=submit]').click()
    await unit.locator('.store').nth(2).waitFor()
    const rows = await unit.locator('.store').evaluateAll((items) =>
      items.map((item) => ({
        name: item.querySelector('.name')?.textContent,
        when: item.querySelectorAll('.meta')[1]?.textContent,
        stock: item.querySelector('.badge')?.textContent ?? null,
      })),
    )
    expect(rows).toEqual([
      { name: 'Oberkampf', when: 'Open now · closes at 21:00', stock: 'Out of stock' },
      { name: 'Marais', when: 'Closed · opens Wednesday 10:00', stock: 'In stock' },
      { name: 'Vaugirard', when: 'Closed', stock: null },
    ])
    expect(await unit.locator('.dist').allTextContents()).toEqual(['0 km', '1.5 km', '6.1 km'])
    expect(await page.evaluate(() => (window as unknown as { positionAsked: number }).positionAsked)).toBe(0)

    const first = unit.locator('.store').first()
    expect(await first.locator('a', { hasText: 'Call' }).getAttribute('href')).toBe('tel:+33198765432')
    await first.locator('a', { hasText: 'Directions' }).click()
    await first.locator('a', { hasText: 'Call' }).click()
    await until(
      () => count(campaign.id, 'directions'),
      (n) => n === 1,
      'one',
    )
    await until(
      () => count(campaign.id, 'call'),
      (n) => n === 1,
      'one',
    )
    await until(
      () => count(campaign.id, 'Contact'),
      (n) => n === 1,
      'one',
    )
    expect(await count(campaign.id, 'search')).toBe(1)
    expect(await count(campaign.id, 'FindLocation')).toBe(1)

    await unit.locator('button', { hasText: 'Use my location' }).click()
    await until(
      () => unit.locator('.store .name').allTextContents(),
      (names) => names.length === 1 && names[0] === 'Bellecour',
      'the store near the position',
    )
    expect(await page.evaluate(() => (window as unknown as { positionAsked: number }).positionAsked)).toBe(1)
    expect(errors).toEqual([])

    // The campaign's analytics count them, by variant and by store.
    const kpis = await until(
      () => admin('GET', `/campaigns/${campaign.id}/analytics`),
      (answer) =>
        answer.totals.calls === 1 && answer.totals.searches === 2 && answer.totals.findLocations === 2,
      'the KPIs',
    )
    expect(kpis.totals).toMatchObject({ locatorOpens: 1, searches: 2, findLocations: 2, contacts: 1 })
    expect(kpis.totals.byStore).toEqual([
      {
        store: 'paris-11',
        directionsClicks: 1,
        calls: 1,
        storePageVisits: 0,
        inventoryChecks: 0,
        contacts: 1,
        schedules: 0,
      },
    ])
    expect(kpis.byVariant[0]).toMatchObject({ calls: 1, directionsClicks: 1 })
  })
})

/** Imports the stores (again: the import replaces them by ref) and starts a locator in the page's `placement`. */
async function startLocator(placement: string, config: Record<string, unknown>) {
  await admin('POST', '/stores/import', stores, 'text/csv')
  const campaign = await admin('POST', '/campaigns', {
    name: `Locator in ${placement}`,
    type: 'local_business',
    placements: [placement],
    config,
    variants: [{ name: 'A', creative: { headline: 'Find a store near you' } }],
  })
  await admin('POST', `/campaigns/${campaign.id}/activate`)
}

/** Opens one of the shop's pages, recording every request it makes, its frames' included. */
async function open(path: string) {
  const page = await browser.newPage()
  const requests: string[] = []
  const errors: string[] = []
  page.on('request', (request) => requests.push(request.url()))
  page.on('pageerror', (error) => errors.push(String(error)))
  await page.goto(`${shop}${path}`)
  const unit = page.locator('[data-promo-slot] promo-unit')
  await unit.locator('input[type=search]').waitFor()
  return { page, unit, requests, errors }
}

async function search(unit: Locator, query: string) {
  await unit.locator('input[type=search]').fill(query)
  await unit.locator('button[type=submit]').click()
  await unit.locator('.store').nth(2).waitFor()
}

/** Where an element is on the page (not in the viewport, which scrolls): a move here is a layout shift. */
const onPage = (element: Locator) =>
  element.evaluate((node) => {
    const box = node.getBoundingClientRect()
    return { x: box.x + scrollX, y: box.y + scrollY, width: box.width, height: box.height }
  })

const osm = 'https://www.openstreetmap.org/export/embed.html'

describe('the optional map, in Chromium', () => {
  it('is off by default: the card asks nothing of any host but the local servers', async () => {
    await startLocator('store-plain', { geolocation: 'precise' })
    const { page, unit, requests, errors } = await open('/plain')
    await search(unit, '75011')
    expect(await unit.locator('.map').count()).toBe(0)
    expect(await page.locator('iframe').count()).toBe(0)
    expect(requests).toContainEqual(expect.stringMatching(/\/api\/v1\/locator\?.*q=75011/))
    expect(new Set(requests.map((url) => new URL(url).hostname))).toEqual(new Set(['127.0.0.1']))
    expect(errors).toEqual([])
    await page.close()
  })

  it("turned on, shows OpenStreetMap's map of the stores found in a frame that moves nothing, and re-centres on a picked store", async () => {
    // The network is closed: OpenStreetMap's embed is answered here, and each request for it recorded.
    const asked: { url: string; referer: string | undefined }[] = []
    const answer = (route: Route) => {
      asked.push({ url: route.request().url(), referer: route.request().headers().referer })
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>Map</title><body style="margin:0;height:100vh;background:#cde">Map</body>',
      })
    }
    await browser.route(/^https:\/\/www\.openstreetmap\.org\//, answer)
    await startLocator('store-map', { geolocation: 'precise', map: { enabled: true, heightPx: 260 } })
    const { page, unit, requests, errors } = await open('/map')
    const layout = async () => ({
      map: await onPage(unit.locator('.map')),
      list: (await onPage(unit.locator('.stores'))).y,
    })
    const mapPage = () => page.frames().find((frame) => frame.url().startsWith(osm))
    const loaded = (marker: string) =>
      until(
        async () => {
          const frame = mapPage()
          return frame?.url().endsWith(marker) ? frame.evaluate(() => document.body?.textContent) : undefined
        },
        (text) => text === 'Map',
        'the map loaded',
      )

    // Before any store is known the map's room is kept, empty, and nothing is asked of OpenStreetMap.
    const empty = await layout()
    expect(empty.map?.height).toBe(260)
    expect(await unit.locator('.map iframe').count()).toBe(0)

    await search(unit, '75011')
    await loaded('&marker=48.8649,2.3752')
    expect(asked).toEqual([
      {
        url: `${osm}?bbox=2.29215,48.8362,2.38275,48.8699&layer=mapnik&marker=48.8649,2.3752`,
        referer: undefined,
      },
    ])
    const frame = unit.locator('.map iframe')
    expect(await frame.getAttribute('title')).toBe('Map of the stores')
    expect(await frame.getAttribute('sandbox')).toBe('allow-scripts allow-same-origin allow-popups')
    // The frame arrived in the room kept for it: neither the map nor the list under it moved.
    const shown = await layout()
    expect(shown).toEqual(empty)
    const below = await onPage(page.locator('#after'))

    // The list stays the card's main part; picking a store there re-centres the map on it.
    const marais = unit.locator('button.pick', { hasText: 'Marais' })
    await marais.click()
    expect(await marais.getAttribute('aria-pressed')).toBe('true')
    await loaded('&marker=48.8589,2.3561')
    expect(asked[1]).toEqual({
      url: `${osm}?bbox=2.3108,48.84205,2.4014,48.87575&layer=mapnik&marker=48.8589,2.3561`,
      referer: undefined,
    })
    expect(await unit.locator('.map iframe').count()).toBe(1)
    expect(await layout()).toEqual(shown)
    expect(await onPage(page.locator('#after'))).toEqual(below)

    // Besides the map, every request stayed on this machine.
    const elsewhere = requests.filter((url) => new URL(url).hostname !== '127.0.0.1')
    expect(elsewhere).toEqual(asked.map((request) => request.url))
    expect(errors).toEqual([])
    await page.close()
    await browser.unroute(/^https:\/\/www\.openstreetmap\.org\//, answer)
  })
})
