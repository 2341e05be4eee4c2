// @vitest-environment happy-dom
import type { IBrowserSettings } from 'happy-dom'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Decision } from '../../../schema/serve'
import type { FormatContext } from '../../../sdk/kit/context'
import type { LocatorAnswer, NearStore } from '../answers'
import { localBusinessConfig } from '../config'
import { mount } from './index'

const near = (ref: string, name: string, lat: number, lng: number, distance: number): NearStore => ({
  ref,
  name,
  street: '12 rue Oberkampf',
  city: 'Paris',
  postalCode: '75011',
  country: 'FR',
  lat,
  lng,
  phone: null,
  url: null,
  services: [],
  distance,
  open: true,
  closesAt: null,
  opensAt: null,
  inStock: null,
})
const answer: LocatorAnswer = {
  from: 'network',
  located: true,
  unit: 'km',
  stores: [
    near('paris-11', 'Oberkampf', 48.8649, 2.3752, 0),
    near('paris-04', 'Marais', 48.8589, 2.3561, 1.5),
    near('paris-15', 'Vaugirard', 48.8412, 2.2997, 6.1),
  ],
}

const api = 'https://promo.example'
const unit = (config: Record<string, unknown>) =>
  ({
    campaignId: '0190a0a0-0000-7000-8000-000000000001',
    variantId: '0190a0a0-0000-7000-8000-000000000002',
    type: 'local_business',
    format: 'inline',
    creative: { headline: 'Find a store near you' },
    config,
  }) as unknown as Decision

const happyDom = () => (window as unknown as { happyDOM: { settings: IBrowserSettings } }).happyDOM

const cleanups: (() => void)[] = []
/** What the widget fetched, and the pages its frames were to load. */
let requested: string[] = []
let framePages: string[] = []
function draw(config: Record<string, unknown>, ctx: Partial<FormatContext> = {}) {
  requested = []
  framePages = []
  // happy-dom loads a frame's page itself, past the stubbed fetch: its own requests are recorded and answered here.
  happyDom().settings.fetch.interceptor = {
    beforeAsyncRequest: async ({ request, window: frame }) => {
      framePages.push(request.url)
      return new frame.Response('<!doctype html><title>Map</title>', {
        headers: { 'content-type': 'text/html' },
      })
    },
  }
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      requested.push(url)
      return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } })
    }),
  )
  const host = document.createElement('div')
  document.body.appendChild(host)
  const context: FormatContext = {
    onClick: vi.fn(),
    onClose: vi.fn(),
    track: vi.fn(),
    report: vi.fn(),
    sender: () => ({ api, site: 'pk_live_abc' }),
    ...ctx,
  }
  const unmount = mount(host, unit(config), context)
  cleanups.push(() => {
    unmount()
    host.remove()
  })
  return { root: host.shadowRoot!, ctx: context }
}
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  vi.unstubAllGlobals()
  happyDom().settings.fetch.interceptor = null
})

/** Waits for the nearest stores to be listed. */
const listed = (root: ShadowRoot) => vi.waitFor(() => expect(root.querySelectorAll('.store')).toHaveLength(3))

const osm = 'https://www.openstreetmap.org/export/embed.html'

describe('the locator map', () => {
  it('is not drawn when the map is off: no box, no frame, only the API asked', async () => {
    const { root } = draw(localBusinessConfig.parse({}))
    await listed(root)
    expect(root.querySelector('.map')).toBeNull()
    expect(root.querySelector('iframe')).toBeNull()
    expect(root.querySelector('button.pick')).toBeNull()
    expect(root.querySelector('.name')?.tagName).toBe('SPAN')
    expect(requested.every((url) => url.startsWith(`${api}/api/v1/locator?`))).toBe(true)
    expect(framePages).toEqual([])
  })

  it('is not drawn for a campaign saved before maps existed (no map in its config)', async () => {
    const { map: _map, ...config } = localBusinessConfig.parse({})
    const { root, ctx } = draw(config)
    await listed(root)
    expect(root.querySelector('.map')).toBeNull()
    expect(ctx.report).not.toHaveBeenCalled()
  })

  it('keeps its room before the stores arrive, then shows them all on OpenStreetMap, marking the nearest', async () => {
    const { root } = draw(localBusinessConfig.parse({ map: { enabled: true, heightPx: 300 } }))
    const box = root.querySelector<HTMLElement>('.map')!
    expect(box.style.height).toBe('300px')
    expect(box.querySelector('iframe')).toBeNull()
    // The map sits between the search and the list, so the list below it never moves.
    expect(box.previousElementSibling?.className).toBe('find')
    expect(box.nextElementSibling?.className).toBe('stores')
    await listed(root)
    const frame = root.querySelector('.map iframe')!
    expect(frame.getAttribute('src')).toBe(
      `${osm}?bbox=2.29215,48.8362,2.38275,48.8699&layer=mapnik&marker=48.8649,2.3752`,
    )
    expect(frame.getAttribute('title')).toBe('Map of the stores')
    expect(frame.getAttribute('loading')).toBe('lazy')
    expect(frame.getAttribute('referrerpolicy')).toBe('no-referrer')
    expect(frame.getAttribute('sandbox')).toBe('allow-scripts allow-same-origin allow-popups')
    expect(framePages).toEqual([frame.getAttribute('src')])
  })

  it('re-centres on a store picked in the list, in a new frame', async () => {
    const { root } = draw(
      localBusinessConfig.parse({ map: { enabled: true }, texts: { map: 'Carte des magasins' } }),
    )
    await listed(root)
    const first = root.querySelector('.map iframe')!
    const marais = root.querySelectorAll<HTMLButtonElement>('button.pick')[1]!
    expect(marais.textContent).toBe('Marais')
    expect(marais.getAttribute('aria-pressed')).toBe('false')
    marais.click()
    await vi.waitFor(() => expect(marais.getAttribute('aria-pressed')).toBe('true'))
    const frame = root.querySelector('.map iframe')!
    expect(frame).not.toBe(first)
    expect(frame.getAttribute('src')).toBe(
      `${osm}?bbox=2.3108,48.84205,2.4014,48.87575&layer=mapnik&marker=48.8589,2.3561`,
    )
    expect(frame.getAttribute('title')).toBe('Carte des magasins')
    expect(root.querySelectorAll('.map iframe')).toHaveLength(1)
    expect(framePages).toHaveLength(2)
  })

  it('in the admin preview keeps the box and loads nothing', () => {
    const { root } = draw(localBusinessConfig.parse({ map: { enabled: true, heightPx: 200 } }), {
      preview: true,
      sender: undefined,
    })
    expect(root.querySelector<HTMLElement>('.map')!.style.height).toBe('200px')
    expect(root.querySelector('iframe')).toBeNull()
    expect(requested).toEqual([])
    expect(framePages).toEqual([])
  })
})
