import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { count } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLeadCampaign } from '../../promotions/lead_generation/testing/server'
import { leads } from '../../schema/db'
import { createApp } from '../app'
import { createHarness, type Harness, readError } from '../testing/harness'
import { TurnstileVerifier } from './captcha'

/** A stand-in for Turnstile's siteverify on 127.0.0.1: one good token, a secret to check, a broken path. */
let server: Server
let siteverify: string
const received: Record<string, string>[] = []
const secret = 'test-turnstile-secret'
const goodToken = 'XXXX.DUMMY.TOKEN.XXXX'

let h: Harness
let app: ReturnType<typeof createApp>
let campaignId: string

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => {
      raw += chunk
    })
    req.on('end', () => {
      if (req.url === '/broken') {
        res.writeHead(502).end('bad gateway')
        return
      }
      const form = Object.fromEntries(new URLSearchParams(raw))
      received.push({ ...form, contentType: req.headers['content-type'] ?? '' })
      const success = form.secret === secret && form.response === goodToken
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(success ? { success } : { success, 'error-codes': ['invalid-input-response'] }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  siteverify = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  h = await createHarness()
  app = createApp({
    database: h.database,
    signingSecret: 'test-signing-secret-0123456789abcdef',
    now: () => h.now.value,
    captcha: new TurnstileVerifier({ secret, url: `${siteverify}/siteverify` }),
  })
  ;({ campaignId } = await startLeadCampaign(h.app, h.a, {
    captcha: true,
    captchaSiteKey: '0x4AAAAAAAB-site-key',
  }))
})
afterAll(async () => {
  await h.close()
  await new Promise((resolve) => server.close(resolve))
})

let serial = 0
const submit = (extra: Record<string, unknown>, to = app) =>
  to.request('/api/v1/leads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      site: h.a.publishableKey,
      campaignId,
      fields: { email: `captcha-${++serial}@example.com` },
      ...extra,
    }),
  })
const leadCount = async () => (await h.database.db.select({ n: count() }).from(leads))[0]!.n

const refusedAt = async (res: Response) => {
  expect(res.status).toBe(400)
  const body = (await res.json()) as any
  return body.error.details.map((d: any) => `${d.path}: ${d.message}`)
}

describe('a lead form with a captcha', () => {
  it('stores the submit when the verifier vouches for the token', async () => {
    const res = await submit({ captchaToken: goodToken })
    expect(res.status).toBe(201)
    expect(received.at(-1)).toEqual({
      secret,
      response: goodToken,
      contentType: 'application/x-www-form-urlencoded',
    })
  })

  it('refuses a token the verifier refuses, at captchaToken, storing nothing', async () => {
    const before = await leadCount()
    expect(await refusedAt(await submit({ captchaToken: 'forged' }))).toEqual([
      'captchaToken: invalid or expired',
    ])
    expect(await leadCount()).toBe(before)
  })

  it('refuses a submit without a token before asking the verifier', async () => {
    const asked = received.length
    expect(await refusedAt(await submit({}))).toEqual(['captchaToken: required'])
    expect(received.length).toBe(asked)
  })

  it('checks the fields first, so a visitor fixing a typo keeps an unspent token', async () => {
    const asked = received.length
    const res = await submit({ captchaToken: goodToken, fields: { email: 'typo' } })
    expect(await refusedAt(res)).toEqual(['fields.email: must be an email address'])
    expect(received.length).toBe(asked)
  })

  it('answers 503 when the verifier cannot answer, or none is configured', async () => {
    const broken = createApp({
      database: h.database,
      signingSecret: 'test-signing-secret-0123456789abcdef',
      captcha: new TurnstileVerifier({ secret, url: `${siteverify}/broken` }),
    })
    const down = await submit({ captchaToken: goodToken }, broken)
    expect(down.status).toBe(503)
    expect(down.headers.get('retry-after')).toBe('5')
    const unconfigured = await submit({ captchaToken: goodToken }, h.app)
    expect(unconfigured.status).toBe(503)
    expect((await readError(unconfigured)).code).toBe('unavailable')
  })
})

describe('a lead form without a captcha', () => {
  it('ignores a token and never asks the verifier', async () => {
    const plain = await startLeadCampaign(h.app, h.a)
    const asked = received.length
    const res = await submit({ campaignId: plain.campaignId, captchaToken: 'anything' })
    expect(res.status).toBe(201)
    expect(received.length).toBe(asked)
  })
})
