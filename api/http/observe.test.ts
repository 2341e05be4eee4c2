import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../testing/harness'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const idOf = async (headers: Record<string, string> = {}, path = '/healthz') =>
  (await h.app.request(path, { headers })).headers.get('x-request-id')
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe('X-Request-Id', () => {
  it('echoes a plain id the caller sent', async () => {
    expect(await idOf({ 'x-request-id': 'checkout-7f3a.2_b' })).toBe('checkout-7f3a.2_b')
  })

  it.each([
    ['none', undefined],
    ['too long', 'a'.repeat(65)],
    ['spaces', 'one two'],
    ['an email', 'ada@example.com'],
    ['a secret key', 'sk_live_0123456789abcdef0123'],
    ['an address', '203.0.113.9'],
    ['a session-like token', 'Xk3jS9aQ0pLm2NbV7cRt5YwZ1eFg4HuI6oKd8sTq'],
  ])('makes a new one for %s', async (_label, sent) => {
    const id = await idOf(sent === undefined ? {} : { 'x-request-id': sent })
    expect(id).toMatch(uuid)
  })

  it('is on errors and unknown paths too', async () => {
    expect(await idOf({}, '/api/v1/campaigns')).toMatch(uuid)
    expect(await idOf({}, '/no/such/path')).toMatch(uuid)
  })
})
