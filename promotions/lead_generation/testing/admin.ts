import type { Lead, Mail, Submission } from '../../../admin/api'
import { testSite } from '../../../admin/testing/site'

export const site = testSite({
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Shop',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  createdAt: '2025-01-01T00:00:00Z',
})

/** Text that would be markup if anything rendered it as HTML. */
export const markup = '<img src=x onerror=alert(1)>'

export const campaignId = '00000000-0000-4000-8000-0000000000c1'

export function lead(overrides: Partial<Lead> = {}): Lead {
  return {
    id: '00000000-0000-4000-8000-0000000000a1',
    siteId: site.id,
    email: 'ada@example.com',
    fields: { email: 'ada@example.com', company: 'Acme', terms: true },
    score: 70,
    grade: 'B',
    consent: { granted: true, text: 'Send me the guide\n  and related news', at: '2025-03-02T10:00:00.000Z' },
    firstCampaignId: campaignId,
    lastCampaignId: campaignId,
    anonymousId: 'anon-1',
    source: {
      utm: { utm_source: 'ads', utm_campaign: 'winter' },
      referrer: 'https://search.example/',
      url: 'https://shop.example/guide?utm_source=ads&utm_campaign=winter',
    },
    submissionCount: 2,
    createdAt: '2025-03-02T10:00:00.000Z',
    updatedAt: '2025-03-05T09:30:00.000Z',
    ...overrides,
  }
}

export function submission(overrides: Partial<Submission> = {}): Submission {
  return {
    id: '00000000-0000-4000-8000-0000000000b1',
    campaignId,
    variantId: null,
    anonymousId: 'anon-1',
    fields: { email: 'ada@example.com', company: 'Acme', terms: true },
    consent: { granted: true, text: 'Send me the guide\n  and related news', at: '2025-03-02T10:00:00.000Z' },
    source: { utm: { utm_source: 'ads' }, referrer: null, url: 'https://shop.example/guide?utm_source=ads' },
    score: 60,
    createdAt: '2025-03-02T10:00:00.000Z',
    ...overrides,
  }
}

export function mail(overrides: Partial<Mail> = {}): Mail {
  return {
    id: '00000000-0000-4000-8000-0000000000d1',
    siteId: site.id,
    leadId: '00000000-0000-4000-8000-0000000000a1',
    to: 'ada@example.com',
    subject: 'The winter guide',
    text: 'Thank you!\n\nDownload it here: https://promo.example/d/abc',
    status: 'outbox',
    transport: 'outbox',
    attempts: 0,
    lastError: null,
    createdAt: '2025-03-02T10:00:01.000Z',
    sentAt: null,
    ...overrides,
  }
}
