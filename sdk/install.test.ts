// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EventItem } from '../schema/events'
import { createClient } from './client'
import { install } from './install'

type Stub = { (...args: unknown[]): void; q?: IArguments[] }
const promoWindow = window as unknown as { Promo?: Stub & Record<string, unknown> }

/** The snippet a site pastes before the script tag, as written in PRODUCT.md. */
function pasteStub() {
  const stub: Stub = function (this: unknown) {
    stub.q = stub.q || []
    // biome-ignore lint/complexity/noArguments: the snippet queues the very `arguments` objects
    stub.q.push(arguments)
  }
  promoWindow.Promo = promoWindow.Promo || (stub as Stub & Record<string, unknown>)
  return promoWindow.Promo
}

function client() {
  const post = vi.fn(async (_url: string, _body: string, _keepalive: boolean) => ({ status: 200 }))
  const created = createClient({
    site: 'pk_test',
    api: 'https://api.example',
    loadFormat: async () => undefined,
    transport: { post, beacon: () => true },
  })
  const sent = () => post.mock.calls.flatMap(([, body]) => JSON.parse(body).batch as EventItem[])
  return { created, sent }
}

afterEach(() => {
  delete promoWindow.Promo
})

describe('install', () => {
  it('replays the stub queue in order, then answers the same calls directly', async () => {
    const Promo = pasteStub()
    const rendered = vi.fn()
    Promo('track', 'first', { step: 1 })
    Promo('identify', 'user-1')
    Promo('track', 'second')
    Promo('on', 'render', rendered)
    const { created, sent } = client()
    expect(install(window, created)).toBe(true)
    const real = promoWindow.Promo!
    expect(real).not.toBe(Promo)
    expect(typeof real.track).toBe('function')
    real('track', 'third')
    ;(real.track as (name: string) => void)('fourth')
    await created.flush()
    const events = sent()
    expect(events.map((event) => event.name)).toEqual(['first', 'identify', 'second', 'third', 'fourth'])
    expect(events[0]!.userId).toBeUndefined()
    expect(events[2]!.userId).toBe('user-1')
  })

  it('reports an unknown method instead of throwing', () => {
    pasteStub()
    const { created } = client()
    install(window, created)
    const errors: unknown[] = []
    const Promo = promoWindow.Promo!
    Promo('on', 'error', (error: unknown) => errors.push(error))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(() => Promo('explode')).not.toThrow()
    warn.mockRestore()
    expect(String(errors[0])).toContain('explode')
  })

  it('leaves an installed SDK alone when the script is included twice', () => {
    const first = client().created
    install(window, first)
    const installed = promoWindow.Promo
    expect(install(window, client().created)).toBe(false)
    expect(promoWindow.Promo).toBe(installed)
  })
})
