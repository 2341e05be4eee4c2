import { describe, expect, it } from 'vitest'
import { ClickSigner } from './clicks'

const payload = { s: 'site', c: 'camp', v: 'var', u: 'https://shop.example/sale' }

describe('ClickSigner', () => {
  const signer = new ClickSigner('secret-one-0123456789abcdef0123456789')

  it('round-trips a signed payload', async () => {
    expect(await signer.verify(await signer.sign(payload))).toEqual(payload)
  })

  it('rejects an edited payload, a foreign key and garbage', async () => {
    const token = await signer.sign(payload)
    const [body, mac] = token.split('.')
    const forged = btoa(JSON.stringify({ ...payload, u: 'https://evil.example' })).replace(/=+$/, '')
    expect(await signer.verify(`${forged}.${mac}`)).toBeNull()
    expect(await signer.verify(`${body}.${mac}x`)).toBeNull()
    expect(await new ClickSigner('another-secret-0123456789abcdef012').verify(token)).toBeNull()
    expect(await signer.verify('not-a-token')).toBeNull()
    expect(await signer.verify('')).toBeNull()
  })

  it('refuses non-http(s) targets even when signed', async () => {
    expect(await signer.verify(await signer.sign({ ...payload, u: 'javascript:alert(1)' }))).toBeNull()
  })
})
