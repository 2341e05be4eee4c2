import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness, readError, readJson } from '../../../api/testing/harness'
import { locatorAnswer } from '../answers'
import { browser, startLocator } from '../testing/server'

let h: Harness
let campaignId: string

beforeAll(async () => {
  h = await createHarness({ geoHeaders: { country: 'x-country', region: 'x-region', city: 'x-city' } })
  ;({ campaignId } = await startLocator(h.app, h.a))
  // Wednesday 2026-12-02, 09:30 in Paris, 03:30 in New York.
  h.now.value = Date.parse('2026-12-02T08:30:00Z')
})
afterAll(() => h.close())

const locate = (
  query: string,
  headers: Record<string, string> = {},
  key = h.a.publishableKey,
  id = campaignId,
) =>
  h.app.request(`/api/v1/locator?site=${key}&campaignId=${id}&${query}`, {
    headers: { 'user-agent': browser, ...headers },
  })
const found = async (res: Response) => {
  expect(res.status, await res.clone().text()).toBe(200)
  return readJson(res, locatorAnswer)
}

describe('GET /api/v1/locator', () => {
  it('from a typed postcode: the three nearest, nearest first, open now in Paris time, stock of a SKU', async () => {
    const answer = await found(await locate('q=75011&sku=SKU-1'))
    expect(answer).toMatchObject({ from: 'query', located: true, unit: 'km' })
    expect(answer.stores.map((s) => s.ref)).toEqual(['paris-11', 'paris-04', 'paris-15'])
    expect(answer.stores.map((s) => s.distance)).toEqual([0, 1.5, 6.1])
    const [oberkampf, marais, vaugirard] = answer.stores
    expect(oberkampf).toMatchObject({
      open: true,
      closesAt: { date: '2026-12-02', weekday: 3, time: '19:00' },
    })
    expect(marais).toMatchObject({ open: false, opensAt: { date: '2026-12-02', weekday: 3, time: '10:00' } })
    expect(vaugirard).toMatchObject({ open: true, closesAt: { time: '22:00' } })
    expect(answer.stores.map((s) => s.inStock)).toEqual([false, true, null])
    expect(oberkampf).toMatchObject({
      phone: '+33 1 98 76 54 32',
      url: 'https://shop.example/stores/paris-11',
    })
  })

  it('from a typed city, within the radius only; a place it does not know finds nothing', async () => {
    expect((await found(await locate('q=lyon'))).stores.map((s) => s.ref)).toEqual(['lyon-02'])
    expect(await found(await locate('q=Marseille'))).toMatchObject({ located: false, stores: [] })
  })

  it("from the browser's position, in New York time", async () => {
    const answer = await found(await locate('lat=40.73&lng=-73.99'))
    expect(answer.from).toBe('position')
    expect(answer.stores.map((s) => s.ref)).toEqual(['nyc-soho'])
    expect(answer.stores[0]).toMatchObject({ open: false, opensAt: { date: '2026-12-02', time: '10:00' } })
  })

  it("from the request's network area: its city first, then its country, with no distance", async () => {
    const answer = await found(await locate('', { 'x-country': 'FR', 'x-city': 'Lyon' }))
    expect(answer.from).toBe('network')
    expect(answer.stores.map((s) => s.ref)).toEqual(['lyon-02', 'paris-04', 'paris-11'])
    expect(answer.stores.every((s) => s.distance === null)).toBe(true)
    expect((await found(await locate(''))).stores).toEqual([])
  })

  it('answers in miles and only from the stores the campaign names', async () => {
    const { campaignId: miles } = await startLocator(h.app, h.a, {
      distanceUnit: 'mi',
      storeRefs: ['paris-04', 'paris-15'],
    })
    const answer = await found(await locate('q=75011', {}, h.a.publishableKey, miles))
    expect(answer.unit).toBe('mi')
    expect(answer.stores.map((s) => [s.ref, s.distance])).toEqual([
      ['paris-04', 1],
      ['paris-15', 3.8],
    ])
  })

  it.each([
    ['lat=91&lng=2', 'lat'],
    ['lat=48&lng=-181', 'lng'],
    ['lat=48', 'lng'],
    ['lat=abc&lng=2', 'lat'],
    ['q=75011&lat=48&lng=2', 'q'],
    [`q=${'x'.repeat(101)}`, 'q'],
    ['sku=bad%20sku', 'sku'],
  ])('refuses %s at %s', async (query, path) => {
    const res = await locate(query)
    expect(res.status).toBe(400)
    expect((await readError(res)).paths).toContain(path)
  })

  it('takes no browser position for a locator that does not ask for one', async () => {
    const { campaignId: approximate } = await startLocator(h.app, h.a, { geolocation: 'approximate' })
    const res = await locate('lat=48.86&lng=2.37', {}, h.a.publishableKey, approximate)
    expect(res.status).toBe(400)
    expect((await readError(res)).paths).toEqual(['lat'])
  })

  it("another site's key finds no campaign; an unknown key is refused", async () => {
    expect((await locate('q=75011', {}, h.b.publishableKey)).status).toBe(404)
    expect((await locate('q=75011', {}, 'pk_test_nosuchsite0000000000')).status).toBe(401)
  })
})
