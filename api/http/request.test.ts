import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { headerOf } from './request'

const app = new Hono()
app.get('/h', (c) =>
  c.json({
    agent: headerOf(c, 'user-agent') ?? null,
    missing: headerOf(c, 'x-missing') ?? null,
    twice: headerOf(c, 'x-twice') ?? null,
    viaHono: c.req.header('x-twice') ?? null,
  }),
)
let server: ReturnType<typeof serve>
let base = ''
beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      base = `http://127.0.0.1:${info.port}`
      resolve()
    })
  })
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('headerOf', () => {
  it('reads headers from the Node request exactly as c.req.header does', async () => {
    const headers = new Headers({ 'user-agent': 'Promo-Test/1.0' })
    headers.append('x-twice', 'a')
    headers.append('x-twice', 'b')
    const body = (await (await fetch(`${base}/h`, { headers })).json()) as Record<string, string | null>
    expect(body).toEqual({ agent: 'Promo-Test/1.0', missing: null, twice: 'a, b', viaHono: 'a, b' })
  })

  it('falls back to c.req.header off Node (app.request, Workers)', async () => {
    const res = await app.request('/h', { headers: { 'user-agent': 'Edge/1.0' } })
    expect(((await res.json()) as Record<string, string>).agent).toBe('Edge/1.0')
  })
})
