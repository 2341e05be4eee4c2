import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectPublicOnly, publicOnlyFetch } from '../../adapters/webhook-fetch'
import { createApp } from '../../app'
import { guardWebhooks, namesPrivateHost } from '../../core/webhook-destination'
import { client, createHarness, type Harness, readError } from '../../testing/harness'

describe('namesPrivateHost', () => {
  it.each([
    'http://localhost/hook',
    'http://api.localhost:8080/hook',
    'http://localhost./hook',
    'http://LOCALHOST../hook',
    'http://127.0.0.1/hook',
    'http://127.1.2.3/hook',
    'http://[::1]/hook',
    'http://10.0.0.7/hook',
    'http://172.16.5.4/hook',
    'http://192.168.1.1/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/hook',
    'http://0.0.0.0/hook',
    'http://[fd00::1]/hook',
    'http://[fe80::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
  ])('refuses %s', (url) => {
    expect(namesPrivateHost(url)).toBe(true)
  })

  it.each(['https://crm.example/hooks/promo', 'https://8.8.8.8/hook', 'https://[2606:4700:4700::1111]/hook'])(
    'takes %s',
    (url) => {
      expect(namesPrivateHost(url)).toBe(false)
    },
  )
})

describe('creating a webhook without private networks allowed', () => {
  let h: Harness
  beforeAll(async () => {
    h = await createHarness()
  })
  afterAll(() => h.close())

  it('refuses a private address at `url` and takes a public one', async () => {
    const strict = createApp({
      database: h.database,
      signingSecret: 'test-signing-secret-0123456789abcdef',
      now: () => h.now.value,
    })
    const admin = client(strict, { secretKey: h.a.secretKey })
    const refused = await admin.post('/api/v1/webhooks', { url: 'http://169.254.169.254/latest' })
    expect(refused.status).toBe(400)
    expect((await readError(refused)).details).toEqual([
      { path: 'url', message: 'must be a public address, not this machine or a private network' },
    ])
    expect((await admin.post('/api/v1/webhooks', { url: 'https://crm.example/promo' })).status).toBe(201)
  })
})

describe("Node's webhook fetch", () => {
  const server = createServer((request, response) => {
    response.writeHead(request.url === '/moved' ? 302 : 204, { location: 'http://127.0.0.1:9/elsewhere' })
    response.end()
  })
  let base = ''
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => server.close())
  const post = (send: (url: string, init: RequestInit) => Promise<Response>, url: string) =>
    send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })

  it('refuses to connect to this machine, by address or by a name that resolves to it', async () => {
    const named = base.replace('127.0.0.1', 'localhost')
    for (const url of [`${base}/hook`, `${named}/hook`]) {
      // Where the socket connects, whatever the URL says (the literal check comes before, in publicOnlyFetch).
      await expect(post(connectPublicOnly(false), url)).rejects.toThrow(/not allowed|private/i)
      await expect(post(publicOnlyFetch(false), url)).rejects.toThrow()
    }
  })

  it('posts where private networks are allowed, answering the status and following no redirect', async () => {
    expect((await post(publicOnlyFetch(true), `${base}/hook`)).status).toBe(204)
    expect((await post(publicOnlyFetch(true), `${base}/moved`)).status).toBe(302)
  })
})

describe('the guard every runtime shares', () => {
  it('refuses a URL naming a private host before sending anything, unless private networks are allowed', async () => {
    const sent: string[] = []
    const send = async (url: string) => {
      sent.push(url)
      return new Response(null, { status: 204 })
    }
    const init = { method: 'POST', body: '{}' }
    await expect(guardWebhooks(send, false)('http://169.254.169.254/latest', init)).rejects.toThrow(
      'must be a public address',
    )
    await expect(guardWebhooks(send, false)('http://localhost.:8080/hook', init)).rejects.toThrow()
    expect(sent).toEqual([])
    expect((await guardWebhooks(send, false)('https://crm.example/hook', init)).status).toBe(204)
    expect((await guardWebhooks(send, true)('http://127.0.0.1:8080/hook', init)).status).toBe(204)
    expect(sent).toEqual(['https://crm.example/hook', 'http://127.0.0.1:8080/hook'])
    expect(guardWebhooks(send, false).allowsPrivate).toBe(false)
  })
})
