// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as awareness from '../../promotions/awareness/widget/index'
import type { Decision } from '../../schema/serve'
import type { Trigger } from '../../schema/trigger'
import { createClient } from '../client'
import * as units from '../units'
import * as triggers from './index'

const bar = (trigger: Trigger): Decision => ({
  campaignId: '0190a0a0-0000-7000-8000-000000000003',
  variantId: '0190a0a0-0000-7000-8000-000000000002',
  type: 'awareness',
  format: 'sticky_bottom',
  creative: { headline: 'Join the newsletter', ctaText: 'Join', ctaUrl: 'https://shop.example/join' },
  config: { format: 'sticky_bottom', trigger },
})

let sites = 0

/** A started client whose API always answers `decisions`; chunks come from the source, as the build lists them. */
async function start(decisions: Decision[]) {
  const site = `pk_test_triggers_${++sites}`
  const fetchMock = vi.fn(
    async (_url: string, _init: RequestInit) => new Response(JSON.stringify({ decisions, ttl: 60 })),
  )
  vi.stubGlobal('fetch', fetchMock)
  // Clients of earlier tests still see the page's route changes and ask the API too.
  const serve = () => fetchMock.mock.calls.filter(([, init]) => JSON.parse(init.body as string).site === site)
  const loadFormat = vi.fn(async (name: string) => ({ awareness, triggers, units })[name] as never)
  const client = createClient({
    site,
    api: 'https://api.example',
    loadFormat,
    transport: { post: async () => ({ status: 200 }), beacon: () => true },
    observe: () => () => {},
  })
  const rendered = vi.fn()
  client.on('render', rendered)
  client.start()
  await vi.waitFor(() => expect(serve()).toHaveLength(1))
  await new Promise((resolve) => setTimeout(resolve, 20))
  return { client, rendered, serve, loadFormat }
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
  sessionStorage.clear()
  history.replaceState(null, '', '/')
})

describe('triggers through the client', () => {
  // First: the clients of later tests would count these route changes as their pages too.
  it('a bar for the third page of a visit appears on the third route of a single-page app', async () => {
    const { rendered, serve } = await start([bar({ on: 'pageCount', atLeast: 3 })])
    history.pushState({}, '', '/pricing')
    await vi.waitFor(() => expect(serve()).toHaveLength(2))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(rendered).not.toHaveBeenCalled()
    history.pushState({}, '', '/checkout')
    await vi.waitFor(() => expect(rendered).toHaveBeenCalledOnce())
    expect(serve()).toHaveLength(3)
  })

  it('a bar waiting for a tracked event appears when Promo.track sends it', async () => {
    const { client, rendered, loadFormat } = await start([bar({ on: 'event', name: 'AddToCart' })])
    expect(loadFormat).toHaveBeenCalledWith('triggers')
    client.track('ViewContent')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(rendered).not.toHaveBeenCalled()
    client.track('AddToCart', { value: 10, currency: 'eur' })
    await vi.waitFor(() => expect(rendered).toHaveBeenCalledOnce())
    expect(document.querySelectorAll('promo-unit')).toHaveLength(1)
  })

  it('a bar on load does not fetch the trigger chunk', async () => {
    const { rendered, loadFormat } = await start([bar({ on: 'load' })])
    await vi.waitFor(() => expect(rendered).toHaveBeenCalledOnce())
    expect(loadFormat).not.toHaveBeenCalledWith('triggers')
  })
})
