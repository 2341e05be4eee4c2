import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { KnownPlace } from '../ports/geocoder'
import { NominatimGeocoder, parseNominatim } from './nominatim-geocoder'

const known: KnownPlace[] = [
  { lat: 45.76, lng: 4.83, postalCode: '69002', city: 'Lyon', country: 'FR' },
  { lat: 48.86, lng: 2.38, postalCode: '75011', city: 'Paris', country: 'FR' },
]

type Handler = (req: IncomingMessage, res: ServerResponse) => void
let handler: Handler
const seen: { url: string; headers: IncomingMessage['headers'] }[] = []
let server: Server
let baseUrl: string

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers })
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(() => {
  seen.length = 0
})

const json =
  (body: string): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(body)
  }
const geocoder = (timeoutMs = 2000) =>
  new NominatimGeocoder({ baseUrl, userAgent: 'Promo tests (ops@example.com)', timeoutMs })

describe('NominatimGeocoder against a local server', () => {
  it('reads the first result and sends only the query and the country, with the user agent', async () => {
    handler = json('[{"place_id":1,"lat":"43.2965","lon":"5.3698","display_name":"Marseille"}]')
    expect(await geocoder().locate('Marseille 13001', { country: 'FR', known })).toEqual({
      lat: 43.2965,
      lng: 5.3698,
    })
    expect(seen).toHaveLength(1)
    const url = new URL(seen[0]?.url ?? '', baseUrl)
    expect(url.pathname).toBe('/search')
    expect([...url.searchParams]).toEqual([
      ['format', 'jsonv2'],
      ['q', 'Marseille 13001'],
      ['limit', '1'],
      ['countrycodes', 'fr'],
    ])
    expect(seen[0]?.headers['user-agent']).toBe('Promo tests (ops@example.com)')
    expect(seen[0]?.headers.cookie).toBeUndefined()
    expect(seen[0]?.headers.referer).toBeUndefined()
  })

  it('leaves the country out when the visitor has none, and answers repeats from memory', async () => {
    handler = json('[{"lat":"51.5","lon":"-0.12"}]')
    const g = geocoder()
    expect(await g.locate('London', { known })).toEqual({ lat: 51.5, lng: -0.12 })
    expect(await g.locate(' london ', { known })).toEqual({ lat: 51.5, lng: -0.12 })
    expect(seen).toHaveLength(1)
    expect(new URL(seen[0]?.url ?? '', baseUrl).searchParams.has('countrycodes')).toBe(false)
  })

  it('falls back to the offline answer after the timeout', async () => {
    handler = (_req, res) => {
      setTimeout(() => json('[{"lat":"1","lon":"1"}]')(_req, res), 1000)
    }
    const started = Date.now()
    expect(await geocoder(100).locate('69001', { country: 'FR', known })).toEqual({ lat: 45.76, lng: 4.83 })
    expect(Date.now() - started).toBeLessThan(900)
  })

  it('falls back on bad JSON, an error status, an empty list or coordinates out of range', async () => {
    for (const reply of [
      json('{not json'),
      json('[]'),
      json('[{"lat":"123","lon":"4"}]'),
      json('{"lat":"45","lon":"4"}'),
      (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(503)
        res.end('busy')
      },
    ]) {
      handler = reply
      expect(await geocoder().locate('Paris', { country: 'FR', known })).toEqual({ lat: 48.86, lng: 2.38 })
      expect(await geocoder().locate('Nowhere', { country: 'FR', known })).toBeNull()
    }
  })

  it('falls back when the service cannot be reached', async () => {
    const closed = new NominatimGeocoder({ baseUrl: 'http://127.0.0.1:1', userAgent: 'Promo tests' })
    expect(await closed.locate('lyon', { known })).toEqual({ lat: 45.76, lng: 4.83 })
  })
})

describe('parseNominatim', () => {
  it('takes numbers or numeric strings in range only', () => {
    expect(parseNominatim([{ lat: 10, lon: -20 }])).toEqual({ lat: 10, lng: -20 })
    expect(parseNominatim([{ lat: 'x', lon: '1' }])).toBeNull()
    expect(parseNominatim([{ lat: '1', lon: '181' }])).toBeNull()
    expect(parseNominatim([null])).toBeNull()
    expect(parseNominatim('[]')).toBeNull()
  })
})

describe('configuration', () => {
  it('asks for a user agent with a contact whenever a geocoder URL is set', async () => {
    const { nodeEnv } = await import('../runtime/node-env')
    const url = 'https://nominatim.example.org'
    const paths = (variables: Record<string, string>) =>
      nodeEnv.safeParse(variables).error?.issues.map((issue) => issue.path.join('.')) ?? []
    expect(paths({ PROMO_GEOCODER_URL: url })).toEqual(['PROMO_GEOCODER_USER_AGENT'])
    expect(paths({ PROMO_GEOCODER_URL: url, PROMO_GEOCODER_USER_AGENT: 'Promo' })).toEqual([
      'PROMO_GEOCODER_USER_AGENT',
    ])
    expect(paths({ PROMO_GEOCODER_URL: url, PROMO_GEOCODER_USER_AGENT: 'Promo (ops@example.com)' })).toEqual(
      [],
    )
    expect(paths({})).toEqual([])
  })
  it('asks the same on Workers', async () => {
    const { workerEnv } = await import('../runtime/worker-env')
    const base = {
      DATABASE_URL: 'postgres://db.example/promo',
      PROMO_SIGNING_SECRET: 'x'.repeat(32),
      PROMO_PUBLIC_URL: 'https://promo.example.com',
      PROMO_GEOCODER_URL: 'https://nominatim.example.org',
    }
    const paths = (variables: Record<string, string>) =>
      workerEnv.safeParse(variables).error?.issues.map((issue) => issue.path.join('.')) ?? []
    expect(paths(base)).toEqual(['PROMO_GEOCODER_USER_AGENT'])
    expect(paths({ ...base, PROMO_GEOCODER_USER_AGENT: 'Promo (https://shop.example/contact)' })).toEqual([])
  })
})
