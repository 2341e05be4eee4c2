// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import * as traffic from '../../promotions/traffic/widget/index'
import type { EventItem } from '../../schema/events'
import type { Decision } from '../../schema/serve'
import { createClient } from '../client'
import * as units from '../units'
import { handoffKey, noteClick } from './handoff'

const campaignId = '0190a0a0-0000-7000-8000-000000000031'
const variantId = '0190a0a0-0000-7000-8000-000000000032'

let sites = 0

/**
 * A started client on this page, as one page load: its API answers `decisions`, chunks come from the source and
 * every unit is fully in view. Clients of earlier tests (earlier "pages") still listen to the window.
 */
async function open(decisions: Decision[] = []) {
  const site = `pk_test_page_${++sites}`
  const fetchMock = vi.fn(
    async (_url: string, _init: RequestInit) => new Response(JSON.stringify({ decisions, ttl: 60 })),
  )
  vi.stubGlobal('fetch', fetchMock)
  const beacon = vi.fn((_url: string, _body: string) => true)
  const post = vi.fn(async (_url: string, _body: string) => ({ status: 200 }))
  const client = createClient({
    site,
    api: 'https://api.example',
    loadFormat: async (name) => ({ traffic, units })[name as 'traffic'] as never,
    transport: { post, beacon },
    observe: (_element, onRatio) => {
      onRatio(1, 10_000)
      return () => {}
    },
  })
  client.start()
  /** This page's events that left, after it says it is going away (as the browser does when it is left). */
  const leave = () => {
    window.dispatchEvent(new Event('pagehide'))
    return sent()
  }
  const sent = () =>
    [...beacon.mock.calls, ...post.mock.calls]
      .map(([, body]) => JSON.parse(body) as { site: string; batch: EventItem[] })
      .filter((body) => body.site === site)
      .flatMap((body) => body.batch)
  return { client, site, leave, sent }
}

const tags = `<meta property="og:title" content="Layering for winter">
<meta property="og:image" content="/img/layers.jpg"><meta property="article:tag" content="winter">
<meta property="article:tag" content="coats"><link rel="canonical" href="/guides/layering">`

// The landing measurement is its own chunk, fetched when a page is a landing: loaded once here, so a test's
// short wait covers the import's resolution and not the first transform of the module on a busy machine.
beforeAll(() => import('./visit'), 30_000)

beforeEach(() => {
  localStorage.clear()
  history.replaceState(null, '', '/guides/layering?utm_source=newsletter')
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.head.innerHTML = ''
  document.body.innerHTML = ''
})

describe('page events', () => {
  it("carry the page's Open Graph tags, with the props the page passes winning", async () => {
    document.head.innerHTML = tags
    const { client, leave } = await open()
    client.page({ og_title: 'Set by the page', section: 'guides' })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const pages = leave().filter((event) => event.name === 'page')
    expect(pages).toHaveLength(2)
    expect(pages[0]!.props).toEqual({
      og_title: 'Layering for winter',
      og_image: `${location.origin}/img/layers.jpg`,
      article_tag: 'winter,coats',
      canonical: `${location.origin}/guides/layering`,
    })
    expect(pages[1]!.props).toMatchObject({ og_title: 'Set by the page', section: 'guides' })
  })

  it('stay the first event of the page, with their own time and URL', async () => {
    const { client, leave } = await open()
    client.track('signup')
    await new Promise((resolve) => setTimeout(resolve, 20))
    const events = leave()
    expect(events.map((event) => event.name)).toEqual(['page', 'signup'])
    expect(events[0]!.url).toBe(location.href)
    expect(events[0]!.props).toBeUndefined()
    expect(events[0]!.timestamp <= events[1]!.timestamp).toBe(true)
  })
})

describe('a landing from a rail card', () => {
  const destination = () => `${location.origin}/guides/boots`
  const rail = (): Decision => ({
    slot: 'article-end',
    campaignId,
    variantId,
    type: 'traffic',
    format: 'inline',
    creative: { headline: 'Reads' },
    config: { layout: 'grid', heading: 'Keep reading', openInNewTab: false },
    items: [
      {
        url: destination(),
        title: 'Boots that last',
        clickUrl: `https://api.example/r/token.mac?a=v&l=article-end&i=1`,
      },
    ],
  })

  it('is measured on the page the card leads to, with the campaign of the click, and bounces when left', async () => {
    document.body.innerHTML = '<div data-promo-slot="article-end"></div>'
    const first = await open([rail()])
    const link = await vi.waitFor(() => {
      const found = document.querySelector('promo-unit')?.shadowRoot?.querySelector('a')
      if (!found) throw new Error('no card yet')
      return found
    })
    // The redirect would take the visitor to the destination; here the test moves the page itself.
    document.addEventListener('click', (event) => event.preventDefault(), { once: true })
    link.click()
    expect(JSON.parse(localStorage.getItem(handoffKey)!)).toMatchObject([{ c: campaignId, v: variantId }])
    // The card is in view: its impression goes once it has been for a second.
    await new Promise((resolve) => setTimeout(resolve, 1100))
    await first.client.flush()
    const impression = first.sent().find((event) => event.name === 'traffic_promotion_impression')!
    expect(impression).toMatchObject({
      campaignId,
      variantId,
      slot: 'article-end',
      props: { item_url: destination() },
    })
    first.leave()

    document.body.innerHTML = ''
    history.replaceState(null, '', '/guides/boots?utm_source=promo&utm_medium=onsite&utm_campaign=reads')
    const landing = await open()
    await new Promise((resolve) => setTimeout(resolve, 20))
    const events = landing.leave()
    const names = events.map((event) => event.name)
    expect(names).toEqual([
      'page',
      'landing',
      'scroll_25',
      'scroll_50',
      'scroll_75',
      'scroll_100',
      'time_on_page',
      'bounce',
    ])
    for (const event of events.slice(1)) expect(event).toMatchObject({ campaignId, variantId })
    expect(typeof events.find((event) => event.name === 'time_on_page')!.value).toBe('number')
    expect(localStorage.getItem(handoffKey)).toBeNull()
  }, 10_000)

  it('is measured from the ids in the address when the clicking page left no note', async () => {
    history.replaceState(
      null,
      '',
      `/guides/boots?utm_source=promo&utm_id=${campaignId}&promo_variant=${variantId}`,
    )
    const { leave } = await open()
    await new Promise((resolve) => setTimeout(resolve, 20))
    const events = leave()
    expect(events.map((event) => event.name)).toEqual([
      'page',
      'landing',
      'scroll_25',
      'scroll_50',
      'scroll_75',
      'scroll_100',
      'time_on_page',
      'bounce',
    ])
    for (const event of events.slice(1)) expect(event).toMatchObject({ campaignId, variantId })
  })

  it('takes the note over the address when both name a click', async () => {
    const noted = {
      campaignId: '0190a0a0-0000-7000-8000-000000000041',
      variantId: '0190a0a0-0000-7000-8000-000000000042',
    }
    const handoff = { storage: () => localStorage, canStore: () => true }
    noteClick(handoff, noted, `${location.origin}/guides/boots`)
    history.replaceState(null, '', `/guides/boots?utm_id=${campaignId}&promo_variant=${variantId}`)
    const { leave } = await open()
    await new Promise((resolve) => setTimeout(resolve, 20))
    const landing = leave().find((event) => event.name === 'landing')
    expect(landing).toMatchObject(noted)
  })

  it("is measured once: a single-page app's later route with the same address is no new landing", async () => {
    const named = `/guides/boots?utm_id=${campaignId}&promo_variant=${variantId}`
    history.replaceState(null, '', named)
    const { leave } = await open()
    await new Promise((resolve) => setTimeout(resolve, 20))
    // The SDK sees each route change itself and sends its page view.
    history.pushState(null, '', '/guides/socks')
    await new Promise((resolve) => setTimeout(resolve, 20))
    history.pushState(null, '', named)
    await new Promise((resolve) => setTimeout(resolve, 20))
    const names = leave().map((event) => event.name)
    expect(names.filter((name) => name === 'page')).toHaveLength(3)
    expect(names.filter((name) => name === 'landing')).toHaveLength(1)
  })

  it('is no landing for a page that was not clicked to', async () => {
    const { leave } = await open()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(leave().map((event) => event.name)).toEqual(['page'])
  })
})
