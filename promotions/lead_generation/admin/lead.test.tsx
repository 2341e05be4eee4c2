// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { campaignId, lead, markup, submission } from '../testing/admin'
import { LeadPage } from './lead'

const detail = {
  ...lead({ fields: { email: 'ada@example.com', company: markup, terms: true } }),
  submissions: [
    submission(),
    submission({
      id: 's2',
      fields: { email: 'ada@example.com', job_title: 'CTO' },
      consent: null,
      source: { utm: {}, referrer: null, url: null },
      score: 10,
      createdAt: '2025-03-05T09:30:00.000Z',
    }),
  ],
}

function stubApi(answer: Response) {
  const fetch = vi.fn(async (url: string) =>
    url.startsWith('/api/v1/campaigns')
      ? json(200, { data: [{ id: campaignId, name: 'Winter guide' }], nextCursor: null })
      : answer.clone(),
  )
  vi.stubGlobal('fetch', fetch)
  return fetch
}

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

describe('lead detail', () => {
  it('shows the fields as text, the consent text exactly as stored, the source and every submission', async () => {
    const fetch = stubApi(json(200, detail))
    const view = renderInto(<LeadPage id={detail.id} />)
    unmount = view.unmount
    await settle()

    expect(fetch.mock.calls[0]?.[0]).toBe(`/api/v1/leads/${detail.id}`)
    expect(fetch.mock.calls.map(([url]) => url)).toContain(
      `/api/v1/campaigns?siteId=${detail.siteId}&type=lead_generation&limit=100`,
    )
    expect(view.container.querySelector('h1')?.textContent).toBe('ada@example.com')
    const fields = view.container.querySelector('[aria-labelledby="lead-fields-title"] tbody')
    expect([...(fields?.querySelectorAll('tr') ?? [])].map((row) => row.textContent)).toEqual([
      'emailada@example.com',
      `company${markup}`,
      'termsYes',
    ])
    expect(view.container.querySelector('img')).toBeNull()

    const consent = view.container.querySelector('[aria-labelledby="lead-consent-title"] blockquote')
    expect(consent?.textContent).toBe('Send me the guide\n  and related news')
    const source = view.container.querySelector('[aria-labelledby="lead-source-title"]')?.textContent
    expect(source).toContain('https://shop.example/guide?utm_source=ads&utm_campaign=winter')
    expect(source).toContain('https://search.example/')
    expect(source).toContain('utm_sourceads')
    expect(source).toContain('utm_campaignwinter')
    expect(view.container.querySelector('[aria-labelledby="lead-summary-title"]')?.textContent).toContain(
      'Winter guide',
    )

    const submissions = [...view.container.querySelectorAll('article.submission')]
    expect(submissions).toHaveLength(2)
    expect(submissions[0]?.querySelector('h3')?.textContent).toContain('Winter guide')
    expect(submissions[0]?.querySelector('blockquote')?.textContent).toBe(
      'Send me the guide\n  and related news',
    )
    expect(submissions[1]?.textContent).toContain('job_titleCTO')
    expect(submissions[1]?.textContent).toContain('said nothing about consent')
    expect(submissions[1]?.textContent).toContain('UTMNone')
  })

  it('says a lead that is gone may have been erased', async () => {
    stubApi(json(404, { error: { code: 'not_found', message: 'Lead not found' } }))
    const view = renderInto(<LeadPage id="gone" />)
    unmount = view.unmount
    await settle()
    expect(view.container.querySelector('[role="alert"]')?.textContent).toContain('it was erased')
  })
})
