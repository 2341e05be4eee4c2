// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPage } from './index'
import { sharedInUrl } from './shared-link'

const campaignId = '0190a0a0-0000-7000-8000-000000000031'
const share = '6f1c2a4e-9b7d-4c3a-8e21-5d0f7a9b1c2d'
const sharedLink = `https://shop.example/guide?utm_source=x&utm_medium=share&utm_campaign=${campaignId}&promo_share=${share}`

/** How the page was loaded, as the Navigation Timing entry says. */
const loadedBy = (type: NavigationTimingType) =>
  vi.spyOn(performance, 'getEntriesByType').mockReturnValue([{ type } as PerformanceNavigationTiming])

afterEach(() => {
  vi.restoreAllMocks()
  history.replaceState(null, '', '/')
})

describe('a visit through a shared link', () => {
  it('names the share and the campaign it was shared from when the link was followed', () => {
    loadedBy('navigate')
    expect(sharedInUrl(sharedLink)).toEqual({ share, campaignId })
  })

  it('keeps the share but names no campaign when utm_campaign is not a campaign id', () => {
    loadedBy('navigate')
    expect(sharedInUrl(sharedLink.replace(campaignId, 'winter-sale'))).toEqual({ share })
  })

  it('is no visit without a share id that is a UUID', () => {
    loadedBy('navigate')
    expect(sharedInUrl(sharedLink.replace(share, 'not-a-share'))).toBeUndefined()
    expect(sharedInUrl(`https://shop.example/guide?utm_campaign=${campaignId}`)).toBeUndefined()
  })

  it('is no new visit on a reload or a step back to the page', () => {
    loadedBy('reload')
    expect(sharedInUrl(sharedLink)).toBeUndefined()
    loadedBy('back_forward')
    expect(sharedInUrl(sharedLink)).toBeUndefined()
  })
})

describe('the page runtime', () => {
  function page() {
    const sent: [string, Record<string, unknown>, Record<string, string> | undefined][] = []
    const load = vi.fn((_name: string) => import('./product'))
    const loadVisit = vi.fn(() => import('./visit'))
    const runtime = createPage(
      {
        storage: () => localStorage,
        canStore: () => true,
        send: (name, fields, props) => sent.push([name, fields, props]),
        onTrack: () => () => {},
      },
      load,
      loadVisit,
    )
    return { runtime, sent, loadVisit }
  }
  /** Lets the visit chunk's import settle. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10))

  it('sends one share_landing for the view the page loaded with, none for later route changes', async () => {
    loadedBy('navigate')
    history.replaceState(null, '', `/guide?utm_campaign=${campaignId}&promo_share=${share}`)
    const { runtime, sent } = page()
    runtime.viewed()
    runtime.viewed()
    history.pushState(null, '', `/other?promo_share=${share}`)
    runtime.viewed()
    await settle()
    expect(sent.filter(([name]) => name === 'share_landing')).toEqual([
      ['share_landing', { campaignId }, { share }],
    ])
  })

  it('sends none for a page reached any other way, and never fetches the visit chunk for it', async () => {
    loadedBy('navigate')
    history.replaceState(null, '', '/guide?utm_source=x')
    const { runtime, sent, loadVisit } = page()
    runtime.viewed()
    await settle()
    expect(sent).toEqual([])
    expect(loadVisit).not.toHaveBeenCalled()
  })

  it('fetches the visit chunk for a shared link reloaded, and sends nothing for it', async () => {
    loadedBy('reload')
    history.replaceState(null, '', `/guide?utm_campaign=${campaignId}&promo_share=${share}`)
    const { runtime, sent, loadVisit } = page()
    runtime.viewed()
    await settle()
    expect(loadVisit).toHaveBeenCalled()
    expect(sent).toEqual([])
  })
})
