import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { acceptedEncodings, compressJson, minCompressedJson } from './compress'

const big = { data: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `campaign ${i}` })) }
const json = (body: unknown, init: ResponseInit = {}) => Response.json(body, init)
const get = (encoding?: string, method = 'GET') =>
  new Request('http://localhost/api/v1/campaigns', {
    method,
    headers: encoding === undefined ? {} : { 'accept-encoding': encoding },
  })

describe('compressed JSON answers on Node', () => {
  it('reads Accept-Encoding with its q values', () => {
    expect([...acceptedEncodings('gzip, deflate, br, zstd')]).toEqual(['gzip', 'deflate', 'br', 'zstd'])
    expect([...acceptedEncodings('br;q=0, gzip;q=0.5')]).toEqual(['gzip'])
    expect([...acceptedEncodings(null)]).toEqual([])
  })

  it('compresses a large GET answer by brotli, else gzip, keeping its status and headers', async () => {
    const answer = await compressJson(
      get('gzip, br'),
      json(big, { status: 201, headers: { 'x-request-id': 'r1' } }),
    )
    expect(answer.status).toBe(201)
    expect(answer.headers.get('content-encoding')).toBe('br')
    expect(answer.headers.get('vary')).toContain('Accept-Encoding')
    expect(answer.headers.get('x-request-id')).toBe('r1')
    const bytes = Buffer.from(await answer.arrayBuffer())
    expect(Number(answer.headers.get('content-length'))).toBe(bytes.length)
    expect(JSON.parse(brotliDecompressSync(bytes).toString())).toEqual(big)

    const gz = await compressJson(get('gzip'), json(big))
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(JSON.parse(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString())).toEqual(big)
  })

  it('leaves small answers, POSTs, other types and clients without an encoding alone', async () => {
    const small = await compressJson(get('br'), json({ ok: true }))
    expect(small.headers.get('content-encoding')).toBeNull()
    expect(small.headers.get('vary')).toContain('Accept-Encoding')
    expect(await small.json()).toEqual({ ok: true })
    expect(JSON.stringify({ ok: true }).length).toBeLessThan(minCompressedJson)

    const post = json(big)
    expect(await compressJson(get('br', 'POST'), post)).toBe(post)
    const csv = new Response('a,b\n'.repeat(1000), { headers: { 'content-type': 'text/csv' } })
    expect(await compressJson(get('br'), csv)).toBe(csv)
    const identity = await compressJson(get(), json(big))
    expect(identity.headers.get('content-encoding')).toBeNull()
    expect(await identity.json()).toEqual(big)
  })
})
