import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, createHarness, type Harness, readError } from '../../../api/testing/harness'
import { leadCampaign } from '../testing/server'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

async function start(config: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  const admin = client(h.app, { secretKey: h.a.secretKey })
  const created = (await (
    await admin.post('/api/v1/campaigns', leadCampaign(config, overrides))
  ).json()) as any
  expect((await admin.post(`/api/v1/campaigns/${created.id}/activate`)).status).toBe(200)
  return created.id as string
}

const serve = async (slots: string[], visitor: string) =>
  (await (
    await client(h.app).post('/api/v1/serve', { site: h.a.publishableKey, anonymousId: visitor, slots })
  ).json()) as any

describe('serving lead forms', () => {
  it('fills a slot with an inline form, without the scoring rules or the gated asset’s address', async () => {
    const id = await start({ display: 'inline' }, { placements: ['article-form'] })
    const answer = await serve(['article-form'], 'lead-serve-1')
    const decision = answer.decisions.find((d: any) => d.campaignId === id)
    expect(decision).toMatchObject({ type: 'lead_generation', format: 'inline', slot: 'article-form' })
    expect(decision.config.fields.map((f: any) => f.name)).toContain('email')
    expect(decision.config).not.toHaveProperty('scoring')
    expect(decision.config.offer).toEqual({ type: 'ebook', title: 'The winter guide', gated: true })
    expect(JSON.stringify(answer)).not.toContain('guide.pdf')
  })

  it('places a slide-in form on the page without a slot', async () => {
    const id = await start({ display: 'slide_in' }, { name: 'Slide-in guide' })
    const answer = await serve([], 'lead-serve-2')
    const decision = answer.decisions.find((d: any) => d.campaignId === id)
    expect(decision).toMatchObject({ type: 'lead_generation', format: 'slide_in' })
    expect(decision.slot).toBeUndefined()
  })

  it('serves the form as the browser draws it: its trigger, steps from 0 in order, autofill hints, its words', async () => {
    const id = await start(
      {
        display: 'popup',
        trigger: { on: 'exit' },
        fields: [
          { name: 'email', type: 'email', label: 'Email', required: true, step: 4 },
          { name: 'first_name', type: 'text', label: 'First name', step: 2 },
          { name: 'ok', type: 'consent', label: 'Yes, email me', checked: true, step: 4 },
        ],
        texts: { next: 'Weiter' },
        scoring: { rules: [] },
      },
      { name: 'Exit-intent guide', priority: 1_000 },
    )
    const decision = (await serve([], 'lead-serve-3')).decisions.find((d: any) => d.campaignId === id)
    expect(decision.config.trigger).toEqual({ on: 'exit' })
    expect(decision.config.fields.map((f: any) => [f.name, f.step, f.autocomplete])).toEqual([
      ['first_name', 0, 'given-name'],
      ['email', 1, 'email'],
      ['ok', 1, undefined],
    ])
    // Consent is never ticked in advance, whatever the campaign says.
    expect(decision.config.fields[2].checked).toBe(false)
    expect(decision.config.texts).toMatchObject({ next: 'Weiter', back: 'Back', step: 'Step {n} of {total}' })
  })

  it('needs a Turnstile site key when captcha is on', async () => {
    const res = await client(h.app, { secretKey: h.a.secretKey }).post(
      '/api/v1/campaigns',
      leadCampaign({ captcha: true }),
    )
    expect(res.status).toBe(400)
    expect((await readError(res)).paths).toContain('config.captchaSiteKey')
  })
})
