// @vitest-environment happy-dom
import type { ComponentChild } from 'preact'
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { IntegrationsPage } from '../promotions/lead_generation/admin/integrations'
import { LeadPage } from '../promotions/lead_generation/admin/lead'
import { LeadsPage } from '../promotions/lead_generation/admin/leads'
import { OutboxPage } from '../promotions/lead_generation/admin/outbox'
import { PrivacyPanel } from '../promotions/lead_generation/admin/privacy-panel'
import { campaignId, lead, mail, site, submission } from '../promotions/lead_generation/testing/admin'
import { ContentPage } from '../promotions/traffic/admin/content'
import type { ContentItem } from '../promotions/traffic/answers'
import type { Delivery, PersonData, Webhook } from './api'
import { json, renderInto, settle } from './testing/render'

/**
 * Everything the admin shows that a visitor or an integration could have written (lead fields, consent text,
 * page addresses, content, webhook addresses and errors, mail) rendered with hostile values: the page must hold
 * exactly the elements it holds with plain ones, no event-handler attribute, and no link that runs script.
 */
const hostile = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "javascript:alert('x')",
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '<svg onload=alert(1)>',
]
const hostileText = hostile.join(' ')

/** Every value the pages below show as text, either plain or hostile. */
function stored(bad: boolean) {
  const text = (plain: string, index = 0) => (bad ? (hostile[index % hostile.length] ?? plain) : plain)
  const url = (plain: string) => (bad ? "javascript:alert('x')" : plain)
  const fields = {
    email: 'ada@example.com',
    first_name: text('Ada', 0),
    company: text('Acme', 1),
    job_title: text('CTO', 4),
    [bad ? 'x_<img_src=x>' : 'x_note']: text('note', 5),
    terms: true,
  }
  const consent = { granted: true, text: text('Send me the guide', 3), at: '2025-03-02T10:00:00.000Z' }
  const source = {
    utm: { utm_source: text('ads', 0), utm_campaign: text('winter', 1) },
    referrer: url('https://search.example/'),
    url: url('https://shop.example/guide'),
  }
  const theLead = lead({ fields, consent, source, anonymousId: text('anon-1', 1) })
  const theSubmission = submission({ fields, consent, source, anonymousId: text('anon-1', 2) })
  const theMail = mail({
    to: 'ada@example.com',
    subject: text('The winter guide', 1),
    text: bad ? `Thank you!\n\n${hostileText}\n${hostile[2]}` : 'Thank you!\n\nhttps://promo.example/d/abc',
    lastError: text('SMTP 550', 3),
    status: 'failed',
    attempts: 2,
  })
  const item: ContentItem = {
    id: 'c1',
    siteId: site.id,
    url: url('https://a.example/articles/winter'),
    title: text('Winter', 0),
    imageUrl: url('https://a.example/winter.jpg'),
    summary: text('All about winter', 1),
    tags: [text('winter', 5), text('snow', 4)],
    category: text('Seasons', 3),
    publishedAt: '2025-03-01T00:00:00.000Z',
    source: 'page',
    review: 'pending',
    impressions: 3,
    clicks: 1,
    createdAt: '2025-03-01T00:00:00.000Z',
    updatedAt: '2025-03-01T00:00:00.000Z',
  }
  const webhook: Webhook = {
    id: 'w1',
    siteId: site.id,
    url: bad ? `https://hooks.example/x?next=${hostile[1]}` : 'https://hooks.example/x',
    events: ['lead.created'],
    active: true,
    createdAt: '2025-03-01T00:00:00.000Z',
  }
  const delivery: Delivery = {
    id: 'd1',
    webhookId: 'w1',
    event: 'lead.created',
    status: 'failed',
    attempts: 6,
    nextAttemptAt: null,
    lastStatus: 500,
    lastError: text('HTTP 500', 0),
    createdAt: '2025-03-02T10:00:00.000Z',
    deliveredAt: null,
    payload: { data: { lead: { fields } } },
  }
  // The API answers the email it was asked about, which the marketer typed or pasted.
  const person: PersonData = {
    email: text('ada@example.com', 1),
    leads: [{ ...theLead, submissions: [theSubmission], mail: [theMail], webhookDeliveries: [] }],
    visitors: [],
    serverEvents: [],
    mail: [],
    webhookDeliveries: [],
  }
  const campaignName = text('Winter guide', 4)
  return { theLead, theSubmission, theMail, item, webhook, delivery, person, campaignName }
}

function stubApi(bad: boolean) {
  const data = stored(bad)
  const fetch = vi.fn(async (url: string) => {
    const path = new URL(url, 'http://admin.test').pathname
    if (path.startsWith('/api/v1/campaigns'))
      return json(200, { data: [{ id: campaignId, name: data.campaignName }], nextCursor: null })
    if (path === '/api/v1/leads/person') return json(200, data.person)
    if (path === '/api/v1/leads') return json(200, { data: [data.theLead], nextCursor: null })
    if (path.startsWith('/api/v1/leads/'))
      return json(200, { ...data.theLead, submissions: [data.theSubmission] })
    if (path === '/api/v1/content') return json(200, { data: [data.item], nextCursor: null })
    if (path.endsWith('/deliveries')) return json(200, { data: [data.delivery], nextCursor: null })
    if (path === '/api/v1/webhooks') return json(200, { data: [data.webhook], nextCursor: null })
    if (path === '/api/v1/outbox') return json(200, { data: [data.theMail], nextCursor: null })
    return json(404, { error: { code: 'not_found', message: 'Not found' } })
  })
  vi.stubGlobal('fetch', fetch)
}

function click(element: Element | undefined | null) {
  act(() => {
    element?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
  })
}

/** What a view holds: its elements by tag and every attribute, so two renders can be compared. */
function shapeOf(container: HTMLElement) {
  const elements = [...container.querySelectorAll('*')]
  return {
    tags: elements.map((element) => element.tagName.toLowerCase()),
    attributes: elements.flatMap((element) => [...element.attributes].map((a) => a.name)).sort(),
  }
}

const pages: [string, () => ComponentChild, (container: HTMLElement) => Promise<void>][] = [
  ['the lead list', () => <LeadsPage sites={[site]} site={site} onSiteChange={() => {}} />, async () => {}],
  ['a lead', () => <LeadPage id={lead().id} />, async () => {}],
  [
    'the content catalog',
    () => <ContentPage sites={[site]} site={site} onSiteChange={() => {}} />,
    async () => {},
  ],
  [
    'webhooks and a delivery log',
    () => <IntegrationsPage sites={[site]} site={site} onSiteChange={() => {}} />,
    async (container) => {
      click([...container.querySelectorAll('button')].find((b) => b.textContent?.startsWith('Deliveries')))
      await settle()
      expect(container.querySelector('[aria-labelledby="deliveries-title"] tbody tr')).not.toBeNull()
    },
  ],
  ['the outbox', () => <OutboxPage sites={[site]} site={site} onSiteChange={() => {}} />, async () => {}],
  [
    'a privacy request',
    () => <PrivacyPanel site={site} />,
    async (container) => {
      const input = container.querySelector<HTMLInputElement>('#privacy-email')!
      act(() => {
        input.value = 'ada@example.com'
        input.dispatchEvent(new Event('input', { bubbles: true }))
      })
      act(() => {
        container
          .querySelector('form')
          ?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
      })
      await settle()
      expect(container.querySelector('a[download]')).not.toBeNull()
    },
  ],
]

async function render(page: (typeof pages)[number], bad: boolean) {
  stubApi(bad)
  const view = renderInto(page[1]())
  await settle()
  await page[2](view.container)
  return view
}

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('hostile stored values in the admin', () => {
  it.each(pages.map((page) => [page[0], page] as const))(
    '%s shows them as text: no element, handler or script link is added',
    async (_, page) => {
      vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:admin/person')
      vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
      const plain = await render(page, false)
      const expected = shapeOf(plain.container)
      plain.unmount()

      const view = await render(page, true)
      unmount = view.unmount
      const container = view.container
      expect(shapeOf(container)).toEqual(expected)
      expect(container.querySelector('script, img, iframe, svg, object, embed, style, link, meta')).toBeNull()
      for (const element of container.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
          expect([element.tagName, attribute.name]).not.toEqual([
            element.tagName,
            expect.stringMatching(/^on/i),
          ])
          if (['href', 'src', 'action', 'formaction', 'srcdoc', 'xlink:href'].includes(attribute.name)) {
            expect([attribute.name, attribute.value]).not.toEqual([
              attribute.name,
              expect.stringMatching(/^\s*(javascript|data|vbscript):/i),
            ])
          }
        }
      }
      // The hostile values are there, as text.
      const text = container.textContent ?? ''
      expect(hostile.some((value) => text.includes(value))).toBe(true)
    },
  )
})
