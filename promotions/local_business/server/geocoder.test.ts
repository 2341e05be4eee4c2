import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NominatimGeocoder } from '../../../api/adapters/nominatim-geocoder'
import { createHarness, type Harness, readJson } from '../../../api/testing/harness'
import { locatorAnswer } from '../answers'
import { browser, startLocator } from '../testing/server'

/** A Nominatim-compatible service on 127.0.0.1: knows the Bastille, is down for anything with "down" in it. */
let service: Server
const asked: URLSearchParams[] = []
let h: Harness
let campaignId: string

beforeAll(async () => {
  service = createServer((req, res) => {
    const params = new URL(req.url ?? '', 'http://127.0.0.1').searchParams
    asked.push(params)
    const q = params.get('q') ?? ''
    if (q.includes('down')) {
      res.writeHead(502)
      res.end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(q === 'Place de la Bastille' ? '[{"lat":"48.8532","lon":"2.3692"}]' : '[]')
  })
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve))
  const geocoder = new NominatimGeocoder({
    baseUrl: `http://127.0.0.1:${(service.address() as AddressInfo).port}`,
    userAgent: 'Promo tests (ops@example.com)',
  })
  h = await createHarness({ geocoder, geoHeaders: { country: 'x-country' } })
  ;({ campaignId } = await startLocator(h.app, h.a))
  h.now.value = Date.parse('2026-12-02T08:30:00Z')
})
afterAll(async () => {
  await h.close()
  service.closeAllConnections()
  await new Promise((resolve) => service.close(resolve))
})

const locate = async (q: string, headers: Record<string, string> = {}) => {
  const res = await h.app.request(
    `/api/v1/locator?site=${h.a.publishableKey}&campaignId=${campaignId}&q=${encodeURIComponent(q)}`,
    { headers: { 'user-agent': browser, ...headers } },
  )
  expect(res.status, await res.clone().text()).toBe(200)
  return readJson(res, locatorAnswer)
}

describe('the locator with a configured geocoder', () => {
  it("places a street the site's stores do not name, and sends the service the query and country only", async () => {
    asked.length = 0
    const answer = await locate('Place de la Bastille', { 'x-country': 'FR' })
    expect(answer).toMatchObject({ from: 'query', located: true })
    expect(answer.stores.map((s) => s.ref)).toEqual(['paris-04', 'paris-11', 'paris-15'])
    expect(asked.map((p) => [...p])).toEqual([
      [
        ['format', 'jsonv2'],
        ['q', 'Place de la Bastille'],
        ['limit', '1'],
        ['countrycodes', 'fr'],
      ],
    ])
  })

  it('falls back to the offline answer when the service finds nothing or fails', async () => {
    expect((await locate('Lyon')).stores.map((s) => s.ref)).toEqual(['lyon-02'])
    expect((await locate('75011 down')).stores.map((s) => s.ref)).toEqual([
      'paris-11',
      'paris-04',
      'paris-15',
    ])
    expect(await locate('Nowhere at all')).toMatchObject({ located: false, stores: [] })
  })
})
