import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../api/testing/database'
import { client } from '../../api/testing/harness'
import { remarketingConfig } from './config'
import { remarketingCampaign, remarketingHarness } from './testing/server'

const paths = (config: unknown) => {
  const parsed = remarketingConfig.safeParse(config)
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'))
}
const base = { audience: { kind: 'cart_abandoners' } }

describe('the remarketing config', () => {
  it('takes a sequence whose message 2 waits 1 to 90 days', () => {
    const sequence = {
      afterDays: 3,
      headline: 'Still there?',
      body: 'Your code ends soon.',
      ctaText: 'Use it',
    }
    expect(remarketingConfig.parse({ ...base, sequence }).sequence).toEqual(sequence)
    expect(paths({ ...base, sequence: { ...sequence, afterDays: 0 } })).toEqual(['sequence.afterDays'])
    expect(paths({ ...base, sequence: { ...sequence, afterDays: 91 } })).toEqual(['sequence.afterDays'])
    expect(paths({ ...base, sequence: { ...sequence, afterDays: 1.5 } })).toEqual(['sequence.afterDays'])
    expect(paths({ ...base, sequence: { afterDays: 3 } })).toEqual(['sequence.headline'])
    expect(paths({ ...base, sequence: { ...sequence, extra: 1 } })).toEqual(['sequence'])
  })

  it('refuses markup and overlong text in message 2, at its path', () => {
    const sequence = { afterDays: 3, headline: 'Still there?' }
    expect(paths({ ...base, sequence: { ...sequence, headline: '<b>Back</b>' } })).toEqual([
      'sequence.headline',
    ])
    expect(paths({ ...base, sequence: { ...sequence, body: 'x<img src=x onerror=alert(1)>' } })).toEqual([
      'sequence.body',
    ])
    expect(paths({ ...base, sequence: { ...sequence, headline: 'x'.repeat(121) } })).toEqual([
      'sequence.headline',
    ])
    expect(paths({ ...base, sequence: { ...sequence, body: 'x'.repeat(501) } })).toEqual(['sequence.body'])
    expect(paths({ ...base, sequence: { ...sequence, ctaText: 'x'.repeat(41) } })).toEqual([
      'sequence.ctaText',
    ])
    expect(paths({ ...base, sequence: { ...sequence, headline: 'a\u0000b' } })).toEqual(['sequence.headline'])
  })

  it('bounds the products shown, the incentive and the audience', () => {
    expect(paths({ ...base, maxProducts: 0 })).toEqual(['maxProducts'])
    expect(paths({ ...base, maxProducts: 11 })).toEqual(['maxProducts'])
    expect(paths({ ...base, incentive: { type: 'percentage', value: 101 } })).toEqual(['incentive.value'])
    expect(paths({ ...base, incentive: { type: 'percentage', value: 10, promoCode: 'NO CODE' } })).toEqual([
      'incentive.promoCode',
    ])
    expect(
      paths({
        ...base,
        incentive: { type: 'percentage', value: 10, promoCode: 'BACK10', uniqueCodes: true },
      }),
    ).toEqual(['incentive.promoCode'])
    expect(paths({ ...base, incentive: { type: 'fixed_amount', value: 5, currency: 'euro' } })).toEqual([
      'incentive.currency',
    ])
    expect(paths({ audience: { kind: 'cart_abandoners', lookbackDays: 541 } })).toEqual([
      'audience.lookbackDays',
    ])
    expect(paths({ audience: { kind: 'viewers', productIds: ['<script>'] } })).toEqual([
      'audience.productIds.0',
    ])
  })
})

describe('through the API', () => {
  let h: Awaited<ReturnType<typeof remarketingHarness>>
  beforeAll(async () => {
    h = await remarketingHarness(await testDatabase())
  }, 60_000)
  afterAll(() => h.close())

  it('answers 400 at the field’s path and stores nothing', async () => {
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const res = await admin.post(
      '/api/v1/campaigns',
      remarketingCampaign({ sequence: { afterDays: 200, headline: '<i>Hi</i>' } }),
    )
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } }
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.details.map((detail) => detail.path).sort()).toEqual([
      'config.sequence.afterDays',
      'config.sequence.headline',
    ])
    const list = (await (await admin.get('/api/v1/campaigns')).json()) as { data: unknown[] }
    expect(list.data).toEqual([])
  })
})
