import { Buffer } from 'node:buffer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { followUpApp } from '../../testing/followup'
import { createHarness, type Harness, readError } from '../../testing/harness'
import { downloadLink, signDownload, verifyDownload } from './downloads'

const secret = 'test-signing-secret-0123456789abcdef'
const leadId = '0190a0a0-0000-7000-8000-000000000001'
const campaignId = '0190a0a0-0000-7000-8000-000000000002'
const assetUrl = 'https://cdn.shop.example/guide.pdf?v=2'

let h: Harness
let app: ReturnType<typeof followUpApp>['app']
beforeAll(async () => {
  h = await createHarness()
  app = followUpApp(h).app
})
afterAll(() => h.close())

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/d/') + 3)

describe('signed download links', () => {
  it('redirects a valid link to its asset, with no caching', async () => {
    const link = downloadLink(
      secret,
      { leadId, campaignId, assetUrl },
      { origin: 'https://promo.example/', now: h.now.value },
    )
    expect(link.url).toMatch(/^https:\/\/promo\.example\/d\/[\w-]+\.[\w-]+$/)
    expect(link.expiresAt).toBe(new Date(h.now.value + 24 * 3_600_000).toISOString())
    const res = await app.request(`/d/${tokenOf(link.url)}`)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(assetUrl)
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('answers 410 in the error shape once the link has expired', async () => {
    const link = downloadLink(
      secret,
      { leadId, campaignId, assetUrl, expiresAt: new Date(h.now.value + 60_000) },
      { now: h.now.value },
    )
    expect(link.url.startsWith('/d/')).toBe(true)
    expect((await app.request(link.url)).status).toBe(302)
    h.now.value += 60_000
    try {
      const res = await app.request(link.url)
      expect(res.status).toBe(410)
      expect(res.headers.get('location')).toBeNull()
      expect((await readError(res)).code).toBe('link_expired')
    } finally {
      h.now.value -= 60_000
    }
  })

  it('refuses an edited token: another target, a longer life, or a changed signature', async () => {
    const token = signDownload(secret, {
      leadId,
      campaignId,
      assetUrl,
      expiresAt: new Date(h.now.value + 3_600_000),
    })
    const [body, mac] = token.split('.') as [string, string]
    const bytes = Buffer.from(body, 'base64url')
    const retarget = Buffer.concat([bytes.subarray(0, 37), Buffer.from('https://evil.example/x', 'utf8')])
    const extended = Buffer.from(bytes)
    extended.writeUInt32BE(extended.readUInt32BE(33) + 86_400, 33)
    const flipped = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`
    for (const edited of [
      `${retarget.toString('base64url')}.${mac}`,
      `${extended.toString('base64url')}.${mac}`,
      `${body}.${flipped}`,
      `${body}.`,
      body,
      `${token}.extra`,
      'not-a-token',
    ]) {
      const res = await app.request(`/d/${edited}`)
      expect(res.status, edited).toBe(404)
      expect((await readError(res)).code).toBe('invalid_token')
    }
  })

  it('refuses a token signed with another secret', () => {
    const token = signDownload('another-secret-0123456789abcdefghij', {
      leadId,
      campaignId,
      assetUrl,
      expiresAt: new Date(h.now.value + 3_600_000),
    })
    expect(verifyDownload(secret, token, h.now.value)).toEqual({ ok: false, reason: 'invalid' })
  })

  it('signs and serves only http(s) assets', async () => {
    for (const target of [
      'javascript:alert(1)',
      'data:text/html,hi',
      'ftp://files.example/a.pdf',
      'not a url',
    ]) {
      expect(() =>
        signDownload(secret, {
          leadId,
          campaignId,
          assetUrl: target,
          expiresAt: new Date(h.now.value + 1000),
        }),
      ).toThrow(TypeError)
    }
    // Even a correctly signed body naming another scheme redirects nowhere.
    const { hmac } = await import('@noble/hashes/hmac.js')
    const { sha256 } = await import('@noble/hashes/sha2.js')
    const { utf8ToBytes } = await import('@noble/hashes/utils.js')
    const good = signDownload(secret, {
      leadId,
      campaignId,
      assetUrl,
      expiresAt: new Date(h.now.value + 3_600_000),
    })
    const bytes = Buffer.from(good.split('.')[0]!, 'base64url')
    const body = Buffer.concat([bytes.subarray(0, 37), Buffer.from('javascript:alert(1)', 'utf8')]).toString(
      'base64url',
    )
    const key = hmac(sha256, utf8ToBytes(secret), utf8ToBytes('promo/download-link/v1'))
    const mac = Buffer.from(hmac(sha256, key, utf8ToBytes(body)).subarray(0, 16)).toString('base64url')
    expect(verifyDownload(secret, `${body}.${mac}`, h.now.value)).toEqual({ ok: false, reason: 'invalid' })
    expect((await app.request(`/d/${body}.${mac}`)).status).toBe(404)
  })

  it('is not a click token: the click redirect refuses a download token and vice versa', async () => {
    const download = downloadLink(secret, { leadId, campaignId, assetUrl }, { now: h.now.value })
    expect((await app.request(`/r/${tokenOf(download.url)}`)).status).toBe(404)
    const click = app.services.signer.sign({ s: h.a.siteId, c: campaignId, v: leadId, u: assetUrl })
    expect((await app.request(`/d/${click}`)).status).toBe(404)
  })
})
