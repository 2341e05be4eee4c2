import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { type IncomingHttpHeaders, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { start } from './node'

const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'
const forgedHost = 'account-security.evil.example'

/** A POST over a real socket with the Host header a client chose (fetch does not let one set it). */
function postWithHost(port: number, path: string, host: string, body: unknown, headers = {}) {
  return new Promise<{ status: number; json: any }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { host, 'content-type': 'application/json', 'user-agent': browser, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null })
        })
      },
    )
    req.on('error', reject)
    req.end(JSON.stringify(body))
  })
}

describe('starting the Node server', () => {
  let dataDir = ''
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'promo-node-start-'))
  })
  afterAll(() => rm(dataDir, { recursive: true, force: true }))

  it('refuses to start in production without PROMO_PUBLIC_URL, in one line, before touching any data', async () => {
    const refused = start({ NODE_ENV: 'production', PORT: '0', PROMO_DATA_DIR: dataDir, PROMO_LOG: 'silent' })
    await expect(refused).rejects.toThrow(/PROMO_PUBLIC_URL/)
    const message = await refused.then(
      () => '',
      (error: Error) => error.message,
    )
    expect(message.split('\n')).toHaveLength(1)
    expect(await readdir(dataDir)).toEqual([])
  })

  describe('with no configuration', () => {
    let server: Awaited<ReturnType<typeof start>>
    beforeAll(async () => {
      server = await start({ PORT: '0', PROMO_DATA_DIR: dataDir, PROMO_LOG: 'silent' })
    })
    afterAll(() => server?.close())

    it('builds click and download links from its own http://localhost:PORT, never from the Host header', async () => {
      const own = `http://localhost:${server.port}`
      expect(server.origin).toBe(own)
      const served = await postWithHost(server.port, '/api/v1/serve', forgedHost, {
        site: server.boot.publishableKey,
        slots: ['home-hero', 'article-inline'],
        anonymousId: 'visitor-1',
        context: { url: `${own}/demo/` },
      })
      expect(served.status).toBe(200)
      const decisions = served.json.decisions as {
        slot: string
        type: string
        campaignId: string
        clickUrl?: string
      }[]
      expect(decisions.length).toBeGreaterThan(0)
      for (const decision of decisions) {
        if (decision.clickUrl) expect(decision.clickUrl.startsWith(`${own}/r/`)).toBe(true)
      }
      expect(JSON.stringify(served.json)).not.toContain(forgedHost)

      const form = decisions.find((d) => d.type === 'lead_generation')!
      const submitted = await postWithHost(server.port, '/api/v1/leads', forgedHost, {
        site: server.boot.publishableKey,
        campaignId: form.campaignId,
        fields: { email: 'lead@example.com', consent: true },
        consent: { granted: true, text: 'Email me the guide' },
        anonymousId: 'visitor-1',
      })
      expect(submitted.status).toBe(201)
      expect(submitted.json.download.url.startsWith(`${own}/d/`)).toBe(true)

      const outbox = await server.app.request('/api/v1/outbox', {
        headers: { authorization: `Bearer ${server.boot.secretKey}` },
      })
      const mail = ((await outbox.json()) as any).data.find((m: any) => m.to === 'lead@example.com')
      expect(mail.text).toContain(`${own}/d/`)
      expect(mail.text).not.toContain(forgedHost)
    })

    it('sends the SDK and JSON lists compressed to a browser, and the bytes themselves to a client without encodings', async () => {
      const bare = await rawGet(server.port, '/sdk/promo.js', {})
      expect(bare.status).toBe(200)
      expect(bare.headers['content-encoding']).toBeUndefined()
      const br = await rawGet(server.port, '/sdk/promo.js', { 'accept-encoding': 'gzip, deflate, br, zstd' })
      expect(br.headers['content-encoding']).toBe('br')
      expect(br.headers.vary).toBe('Accept-Encoding')
      expect(brotliDecompressSync(br.body).equals(bare.body)).toBe(true)
      expect(br.body.length).toBeLessThan(bare.body.length / 2)
      const again = await rawGet(server.port, '/sdk/promo.js', { 'if-none-match': String(br.headers.etag) })
      expect(again.status).toBe(304)

      const auth = { authorization: `Bearer ${server.boot.secretKey}` }
      const list = await rawGet(server.port, '/api/v1/campaigns', { ...auth, 'accept-encoding': 'gzip' })
      expect(list.status).toBe(200)
      expect(list.headers['content-encoding']).toBe('gzip')
      expect(JSON.parse(gunzipSync(list.body).toString()).data.length).toBeGreaterThan(0)
    })
  })
})

/** A GET over a real socket, its body as sent (Node's fetch would decode it and hide what crossed the wire). */
function rawGet(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { 'user-agent': browser, ...headers } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        )
      },
    )
    req.on('error', reject)
    req.end()
  })
}
