import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { ClickSigner } from './clicks'
import type { Choice, ServableCampaign } from './decide'
import { configReader, ItemTokens } from './fill'

const site = '00000000-0000-4000-8000-000000000001'
const campaign = (id: string, config: unknown) => ({ id, config }) as unknown as ServableCampaign
const choice = (campaignId: string, variantId: string) =>
  ({ campaign: { id: campaignId }, variant: { id: variantId } }) as unknown as Choice

describe('a filler’s caches', () => {
  it('parses a loaded campaign’s config once, and gives null for one that no longer parses', () => {
    let parses = 0
    const schema = z.object({ max: z.number().default(3) }).transform((value) => {
      parses++
      return value
    })
    const read = configReader(schema)
    const loaded = campaign('00000000-0000-4000-8000-00000000000a', {})
    expect(read(loaded)).toEqual({ max: 3 })
    expect(read(loaded)).toBe(read(loaded))
    expect(parses).toBe(1)
    // A reload hands a new object: it is parsed again.
    expect(read(campaign('00000000-0000-4000-8000-00000000000a', { max: 5 }))).toEqual({ max: 5 })
    expect(parses).toBe(2)
    expect(read(campaign('00000000-0000-4000-8000-00000000000b', { max: 'many' }))).toBeNull()
  })

  it('signs an item’s link once per variant and URL, verifiably, and starts again past its bound', () => {
    const signer = new ClickSigner('a-test-secret-of-enough-length-0123456789')
    const tokens = new ItemTokens(signer, 2)
    const a = choice('00000000-0000-4000-8000-0000000000c1', '00000000-0000-4000-8000-0000000000d1')
    const first = tokens.of(site, a, 'https://a.example/p/1')
    expect(tokens.of(site, a, 'https://a.example/p/1')).toBe(first)
    expect(signer.verify(first)).toMatchObject({
      s: site,
      c: '00000000-0000-4000-8000-0000000000c1',
      v: '00000000-0000-4000-8000-0000000000d1',
      u: 'https://a.example/p/1',
    })
    const second = tokens.of(site, a, 'https://a.example/p/2')
    expect(second).not.toBe(first)
    expect(signer.verify(second)?.u).toBe('https://a.example/p/2')
    // A third URL goes past the bound of 2: the cache starts again, and every token still verifies.
    expect(signer.verify(tokens.of(site, a, 'https://a.example/p/3'))?.u).toBe('https://a.example/p/3')
    expect(signer.verify(tokens.of(site, a, 'https://a.example/p/1'))?.u).toBe('https://a.example/p/1')
  })
})
