import { Buffer } from 'node:buffer'
import type { PgTable } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { leadCampaign, visitorProof } from '../../promotions/lead_generation/testing/server'
import * as catalog from '../../promotions/traffic/answers'
import { parseCsv } from '../../promotions/traffic/server/csv-import'
import * as api from '../../schema/api'
import {
  attributions,
  campaigns,
  contentItems,
  events,
  leadSubmissions,
  leads,
  mailOutbox,
  sites,
  variants,
  webhookDeliveries,
  webhooks,
} from '../../schema/db'
import { bodyLimits, limits } from '../../schema/limits'
import { createApp } from '../app'
import { type FollowUpDeps, guardWebhooks } from '../services/followup/index'
import { client, createHarness, type Harness, readJson } from '../testing/harness'

/**
 * The must-show of issue 7: bad input to every endpoint it added (and issue 6's attribution settings) is refused
 * with PRODUCT.md's error shape and the failing field's path, writes nothing, and text that would be markup is
 * stored and answered as text, in JSON and in every CSV, and never reflected as HTML.
 */
let h: Harness
let app: ReturnType<typeof createApp>
/** The first webhook attempt of each submit, held so a test can wait for it; nothing leaves the process. */
const pending: Promise<unknown>[] = []
const webhookFetch = guardWebhooks(async () => new Response('ok'), false)
const ids = { leadCampaign: '', variant: '', traffic: '', lead: '', content: '', webhook: '' }

const admin = () => client(app, { secretKey: h.a.secretKey })
const anyone = () => client(app)

beforeAll(async () => {
  h = await createHarness()
  const deps: Parameters<typeof createApp>[0] & FollowUpDeps = {
    database: h.database,
    signingSecret: 'test-signing-secret-0123456789abcdef',
    now: () => h.now.value,
    webhookFetch,
    defer: (task) => pending.push(task),
  }
  app = createApp(deps)
  const lead = await admin().post('/api/v1/campaigns', leadCampaign(fullLeadConfig()))
  expect(lead.status).toBe(201)
  const leadJson = await readJson(lead, api.campaign)
  ids.leadCampaign = leadJson.id
  ids.variant = leadJson.variants[0]!.id
  expect((await admin().post(`/api/v1/campaigns/${ids.leadCampaign}/activate`)).status).toBe(200)
  const traffic = await admin().post('/api/v1/campaigns', trafficCampaign())
  expect(traffic.status).toBe(201)
  ids.traffic = (await readJson(traffic, api.campaign)).id
  const webhook = await admin().post('/api/v1/webhooks', { url: 'https://hooks.example/promo' })
  expect(webhook.status).toBe(201)
  ids.webhook = (await readJson(webhook, api.createdWebhook)).id
  const submitted = await anyone().post('/api/v1/leads', validLead())
  expect(submitted.status).toBe(201)
  ids.lead = (await readJson(submitted, api.leadAnswer)).leadId
  const content = await admin().send('PUT', '/api/v1/content', validContent())
  expect(content.status).toBe(201)
  ids.content = (await readJson(content, catalog.contentItem)).id
  await Promise.all(pending)
})
afterAll(() => h.close())

// ---------------------------------------------------------------------------------------------------------------
// Valid requests, each field filled, so that each case below breaks exactly one thing.

function fullLeadConfig() {
  return {
    fields: [
      { name: 'email', type: 'email', label: 'Email', required: true },
      {
        name: 'first_name',
        type: 'text',
        label: 'First name',
        placeholder: 'Ada',
        pattern: '^[^0-9]*$',
      },
      { name: 'company', type: 'text', label: 'Company', maxLength: limits.text },
      { name: 'job_title', type: 'text', label: 'Job title' },
      { name: 'terms', type: 'consent', label: 'Send me the guide and related news' },
      {
        name: 'plan',
        type: 'select',
        label: 'Plan',
        options: [
          { value: 'free', label: 'Free' },
          { value: 'pro', label: 'Pro' },
        ],
      },
    ],
    stepTitles: ['About you'],
    submitButtonText: 'Send me the guide',
    texts: {
      next: 'Weiter',
      back: 'Zurück',
      step: 'Schritt {n} von {total}',
      choose: 'Bitte wählen…',
      download: 'Herunterladen',
      privacy: 'Datenschutz',
      retry: 'Das hat nicht geklappt. Bitte gleich noch einmal.',
    },
    privacyPolicyUrl: 'https://shop.example/privacy',
    successMessage: 'Thank you: the guide is on its way.',
    redirectUrl: 'https://shop.example/thanks',
    offer: {
      type: 'ebook',
      title: 'The winter guide',
      description: 'Forty pages of winter.',
      // A valid http(s) URL whose query would be markup if anything printed it as HTML.
      assetUrl: 'https://shop.example/guide.pdf?ref="><img src=x onerror=alert(1)>',
    },
    captchaSiteKey: '0x4AAAAAAA',
    scoring: { rules: [{ field: 'job_title', when: 'contains', values: ['ceo'], points: 50 }] },
  }
}

const trafficConfig = () => ({
  destinationUrl: 'https://shop.example/blog',
  heading: 'Read next',
  cards: [
    {
      title: 'Trail running 101',
      description: 'How to start on trails.',
      url: 'https://shop.example/blog/trail',
      imageUrl: 'https://shop.example/trail.jpg',
      imageAlt: 'A trail',
      badge: 'New',
      topics: ['running'],
      publishedAt: '2026-11-20T08:00:00Z',
    },
  ],
})

const trafficCampaign = (config: unknown = trafficConfig()) => ({
  name: 'Read next',
  type: 'traffic',
  placements: ['recs'],
  config,
  variants: [{ name: 'A', creative: { headline: 'Read next' } }],
})

let serial = 0
function validLead() {
  return {
    site: h.a.publishableKey,
    campaignId: ids.leadCampaign,
    variantId: ids.variant,
    fields: {
      email: `visitor-${++serial}@example.com`,
      first_name: 'Ada',
      company: 'Analytical Engines',
      job_title: 'CEO',
      terms: true,
      plan: 'pro',
    },
    anonymousId: 'anon-1',
    consent: { granted: true, text: 'Send me the guide' },
    captchaToken: 'not-needed',
    hp: '',
    elapsedMs: 8_000,
    context: { url: 'https://a.example/guide', referrer: 'https://search.example/' },
  }
}

const validContent = () => ({
  siteId: h.a.siteId,
  url: 'https://a.example/articles/winter',
  title: 'Winter',
  imageUrl: 'https://a.example/winter.jpg',
  summary: 'All about winter',
  tags: ['winter'],
  category: 'Seasons',
  publishedAt: '2026-11-20',
})

const validSitePatch = () => ({
  name: 'Site a',
  allowedOrigins: [h.a.origin],
  attribution: {
    clickWindowDays: 7,
    viewWindowDays: 1,
    halfLifeDays: 7,
    positionWeights: { first: 0.4, middle: 0.2, last: 0.4 },
  },
})

// ---------------------------------------------------------------------------------------------------------------
// What a refused request may not have changed: every row of every table these endpoints write.

const watched: Record<string, PgTable> = {
  sites,
  campaigns,
  variants,
  leads,
  leadSubmissions,
  mailOutbox,
  webhooks,
  webhookDeliveries,
  contentItems,
  events,
  attributions,
}

async function everything(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const [name, table] of Object.entries(watched)) {
    const rows = await h.database.db.select().from(table)
    out[name] = rows.map((row) => JSON.stringify(row)).sort()
  }
  return out
}

/** PRODUCT.md's one error shape, as JSON, never HTML; the paths of its details. */
async function errorOf(res: Response): Promise<{ status: number; code: string; paths: string[] }> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = await readJson(res, api.errorAnswer)
  expect(Object.keys(body)).toEqual(['error'])
  expect(body.error).toEqual({
    code: expect.any(String),
    message: expect.any(String),
    ...(body.error.details === undefined ? {} : { details: body.error.details }),
  })
  const details = Array.isArray(body.error.details) ? body.error.details : []
  for (const detail of details)
    expect(detail).toEqual({ path: expect.any(String), message: expect.any(String) })
  return { status: res.status, code: body.error.code, paths: details.map((d: { path: string }) => d.path) }
}

// ---------------------------------------------------------------------------------------------------------------
// The table: each endpoint that takes a body, with every string field made too long and every field given a
// value of the wrong type (or left out when it is required).

type Body = Record<string, unknown>

/** A copy of `body` with the value at a dotted path replaced (array indexes as numbers), or removed. */
function withValue(body: Body, path: string, value: unknown): Body {
  const copy = structuredClone(body)
  const keys = path.split('.')
  let node = copy as Record<string, unknown>
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {}
    node = node[key] as Record<string, unknown>
  }
  const last = keys.at(-1)!
  if (value === undefined) delete node[last]
  else node[last] = value
  return copy
}

const longText = (limit: number) => 'x'.repeat(limit + 1)
const longUrl = (limit = limits.url) => `https://a.example/${'x'.repeat(limit)}`
const longUuid = () => `${crypto.randomUUID()}${'0'.repeat(40)}`
const missing = undefined

interface BodyEndpoint {
  name: string
  method: 'POST' | 'PUT' | 'PATCH'
  path: () => string
  valid: () => Body
  /** Each string field (dotted path) with a value past its limit. */
  tooLong: Record<string, () => unknown>
  /** Each field with a value of the wrong type; `missing` for one that is required. */
  wrongType: Record<string, unknown>
  /** Other values each field must refuse, by path: the value and why. */
  refused?: [string, unknown, string][]
  /** The failing path when it is not the field's own (a config reported under `config.`). */
  reportedAt?: (path: string) => string
  bodyLimit: number
  /** Public endpoints take `text/plain` JSON too (sendBeacon); admin ones only `application/json`. */
  textPlainAccepted?: boolean
  /** String paths of the valid body that are enumerations or keys, not text with a length of its own. */
  fixedWords?: RegExp
  /** Only strings under this path are the endpoint's own (a campaign's config); default: all of them. */
  ownUnder?: string
}

const leadEndpoint: BodyEndpoint = {
  name: 'POST /api/v1/leads',
  method: 'POST',
  path: () => '/api/v1/leads',
  valid: validLead,
  tooLong: {
    site: () => longText(limits.id),
    campaignId: longUuid,
    variantId: longUuid,
    [`fields.${'k'.repeat(65)}`]: () => 'value',
    'fields.email': () => `${'x'.repeat(limits.text)}@example.com`,
    // Past the form's own limit (200 by default), and past the limit of any field (2,000).
    'fields.first_name': () => longText(200),
    'fields.company': () => longText(limits.text),
    'fields.job_title': () => longText(200),
    'fields.plan': () => longText(limits.text),
    anonymousId: () => longText(limits.id),
    'consent.text': () => longText(limits.text),
    captchaToken: () => longText(2_048),
    hp: () => longText(limits.text),
    'context.url': () => longUrl(),
    'context.referrer': () => longUrl(),
  },
  wrongType: {
    site: 12,
    campaignId: 12,
    variantId: true,
    fields: 'email=a@b.example',
    'fields.email': true,
    'fields.first_name': 5,
    'fields.company': { nested: 'object' },
    'fields.job_title': ['CEO'],
    'fields.terms': 'yes',
    'fields.plan': 'enterprise',
    anonymousId: 7,
    consent: 'granted',
    'consent.granted': 'yes',
    'consent.text': 5,
    captchaToken: 5,
    hp: 5,
    elapsedMs: '8000',
    context: 'https://a.example/',
    'context.url': 5,
    'context.referrer': false,
  },
  refused: [
    ['site', missing, 'required'],
    ['campaignId', missing, 'required'],
    ['fields', missing, 'required'],
    ['fields.email', missing, 'required'],
    ['fields.email', 'not an email', 'not an email'],
    ['fields.first_name', 'R2D2', 'does not match the pattern'],
    ['fields.unknown_field', 'x', 'not a field of the form'],
    ['elapsedMs', -1, 'negative'],
    ['bogus', 1, 'unknown field'],
    ['consent.more', 1, 'unknown field inside an object'],
    ['context.title', 'x', 'unknown field inside an object'],
    ['fields.company', 'a\u0000b', 'NUL'],
    ['consent.text', 'cut emoji \ud83d', 'half a surrogate pair'],
  ],
  bodyLimit: bodyLimits.public,
  textPlainAccepted: true,
}

const webhookEndpoint: BodyEndpoint = {
  name: 'POST /api/v1/webhooks',
  method: 'POST',
  path: () => '/api/v1/webhooks',
  valid: () => ({ siteId: h.a.siteId, url: 'https://hooks.example/second', events: ['lead.created'] }),
  tooLong: { siteId: longUuid, url: () => longUrl(), 'events.0': () => longText(40) },
  wrongType: { siteId: 5, url: 5, events: 'lead.created', 'events.0': 5 },
  refused: [
    ['url', missing, 'required'],
    ['url', 'javascript:alert(1)', 'not http(s)'],
    ['url', '/relative', 'not absolute'],
    ['events', [], 'empty'],
    ['secret', 'whsec_mine', 'unknown field: the secret is never chosen by the caller'],
  ],
  bodyLimit: bodyLimits.admin,
}

const contentEndpoint: BodyEndpoint = {
  name: 'PUT /api/v1/content',
  method: 'PUT',
  path: () => '/api/v1/content',
  valid: validContent,
  tooLong: {
    siteId: longUuid,
    url: () => longUrl(),
    title: () => longText(limits.name),
    imageUrl: () => longUrl(),
    summary: () => longText(limits.summary),
    'tags.0': () => longText(limits.tag),
    category: () => longText(limits.shortText),
    publishedAt: () => longText(40),
  },
  wrongType: {
    siteId: 5,
    url: 5,
    title: 5,
    imageUrl: 5,
    summary: ['x'],
    tags: 'winter',
    'tags.0': 5,
    category: true,
    publishedAt: 20261120,
  },
  refused: [
    ['url', missing, 'required'],
    ['title', missing, 'required'],
    ['title', '<script>alert(1)</script>', 'markup'],
    ['title', '"><img src=x onerror=alert(1)>', 'markup'],
    ['summary', '<script>alert(1)</script>', 'markup'],
    ['category', '"><img src=x onerror=alert(1)>', 'markup'],
    ['tags.0', '<script>alert(1)</script>', 'markup'],
    ['tags', Array.from({ length: limits.tags + 1 }, (_, i) => `t${i}`), 'too many tags'],
    ['url', 'javascript:alert(1)', 'not http(s)'],
    ['imageUrl', 'data:image/png;base64,AAAA', 'not http(s)'],
    ['publishedAt', '0000-01-01', 'year 0: PostgreSQL cannot store it'],
    ['publishedAt', '9999-12-31T23:00:00-10:00', 'past year 9999 in UTC'],
    ['source', 'page', 'unknown field'],
  ],
  bodyLimit: bodyLimits.admin,
}

const contentManyEndpoint: BodyEndpoint = {
  name: 'PUT /api/v1/content (items)',
  method: 'PUT',
  path: () => '/api/v1/content',
  valid: () => {
    const { siteId, ...item } = validContent()
    return { siteId, items: [item, { ...item, url: 'https://a.example/articles/spring' }] }
  },
  tooLong: {
    'items.1.title': () => longText(limits.name),
    'items.1.url': () => longUrl(),
    'items.0.summary': () => longText(limits.summary),
  },
  wrongType: { items: { url: 'https://a.example/' }, 'items.0': 'https://a.example/', 'items.1.title': 5 },
  refused: [
    ['items', [], 'empty'],
    ['items.1.title', '<script>alert(1)</script>', 'markup'],
    ['items.1.url', 'https://a.example/articles/winter#again', 'the same page twice'],
    ['items.1.extra', 1, 'unknown field'],
  ],
  bodyLimit: bodyLimits.admin,
  // Each item is the single PUT's body, whose every string is covered above.
  fixedWords: /^(siteId|items\.\d+\.\w+(\.\d+)?)$/,
}

const inConfig = (path: string) => (path.startsWith('config') ? path : `config.${path}`)

/** Each campaign-config case, sent on create (POST) and as a change of the existing campaign (PATCH). */
function configEndpoints(
  type: string,
  validConfig: () => Body,
  campaign: (config: Body) => Body,
  id: () => string,
  cases: Pick<BodyEndpoint, 'tooLong' | 'wrongType' | 'refused' | 'fixedWords'>,
): BodyEndpoint[] {
  const prefix = (record: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(record).map(([path, value]) => [`config.${path}`, value]))
  const shared = {
    tooLong: prefix(cases.tooLong) as BodyEndpoint['tooLong'],
    wrongType: prefix(cases.wrongType),
    refused: (cases.refused ?? []).map(([path, value, why]) => [`config.${path}`, value, why]) as [
      string,
      unknown,
      string,
    ][],
    reportedAt: inConfig,
    bodyLimit: bodyLimits.admin,
    ownUnder: 'config.',
    fixedWords: cases.fixedWords,
  }
  return [
    {
      name: `POST /api/v1/campaigns (${type} config)`,
      method: 'POST',
      path: () => '/api/v1/campaigns',
      valid: () => campaign(validConfig()),
      ...shared,
    },
    {
      name: `PATCH /api/v1/campaigns/:id (${type} config)`,
      method: 'PATCH',
      path: () => `/api/v1/campaigns/${id()}`,
      valid: () => ({ config: validConfig() }),
      ...shared,
    },
  ]
}

const leadConfigEndpoints = configEndpoints(
  'lead_generation',
  fullLeadConfig,
  (config) => leadCampaign(config),
  () => ids.leadCampaign,
  {
    tooLong: {
      'fields.1.name': () => `f${'x'.repeat(64)}`,
      'fields.1.label': () => longText(limits.shortText),
      'fields.1.placeholder': () => longText(limits.shortText),
      'fields.1.pattern': () => longText(200),
      'fields.5.options.0.value': () => longText(100),
      'fields.5.options.0.label': () => longText(limits.shortText),
      'stepTitles.0': () => longText(limits.shortText),
      submitButtonText: () => longText(40),
      'texts.next': () => longText(40),
      'texts.back': () => longText(40),
      'texts.step': () => longText(60),
      'texts.choose': () => longText(60),
      'texts.download': () => longText(60),
      'texts.privacy': () => longText(60),
      'texts.retry': () => longText(limits.shortText),
      privacyPolicyUrl: () => longUrl(),
      successMessage: () => longText(limits.text),
      redirectUrl: () => longUrl(),
      'offer.title': () => longText(limits.shortText),
      'offer.description': () => longText(limits.text),
      'offer.assetUrl': () => longUrl(),
      captchaSiteKey: () => longText(100),
      'scoring.rules.0.values.0': () => longText(100),
    },
    wrongType: {
      fields: { email: 'email' },
      'fields.1.label': 5,
      'fields.1.placeholder': 5,
      'fields.1.pattern': 5,
      'fields.1.required': 'yes',
      'fields.1.maxLength': '200',
      'fields.5.options': 'free,pro',
      'stepTitles.0': 5,
      'texts.next': 5,
      texts: 'Weiter',
      display: 'modal',
      submitButtonText: 5,
      privacyPolicyUrl: 5,
      successMessage: ['Thanks'],
      redirectUrl: true,
      offer: 'ebook',
      'offer.type': 'book',
      'offer.title': 5,
      'offer.description': 5,
      'offer.assetUrl': 5,
      captcha: 'no',
      captchaSiteKey: 5,
      'scoring.rules.0.points': '50',
      'scoring.rules.0.values': 'ceo',
    },
    refused: [
      ['fields.1.label', '<script>alert(1)</script>', 'markup'],
      ['fields.1.placeholder', '"><img src=x onerror=alert(1)>', 'markup'],
      ['fields.5.options.0.label', '<script>alert(1)</script>', 'markup'],
      ['stepTitles.0', '"><img src=x onerror=alert(1)>', 'markup'],
      ['submitButtonText', '<script>alert(1)</script>', 'markup'],
      ['successMessage', '"><img src=x onerror=alert(1)>', 'markup'],
      ['offer.title', '<script>alert(1)</script>', 'markup'],
      ['offer.description', '"><img src=x onerror=alert(1)>', 'markup'],
      ['privacyPolicyUrl', 'javascript:alert(1)', 'not http(s)'],
      ['redirectUrl', 'javascript:alert(1)//https://shop.example', 'not http(s)'],
      ['offer.assetUrl', 'data:text/html,<script>alert(1)</script>', 'not http(s)'],
      ['fields.1.pattern', '^(a)\\1$', 'a backreference RE2 cannot run'],
      ['fields.1.name', 'First Name', 'not a field key'],
      ['bogus', 1, 'unknown field'],
    ],
    // Types are enumerations, rule fields name form fields; other fields and options share the schema of the
    // one covered.
    fixedWords:
      /^config\.(fields\.\d+\.(type|name|label)|fields\.5\.options\.\d+\.(value|label)|offer\.type|scoring\.rules\.\d+\.(field|when))$/,
  },
)

const trafficConfigEndpoints = configEndpoints(
  'traffic',
  trafficConfig,
  (config) => trafficCampaign(config),
  () => ids.traffic,
  {
    tooLong: {
      destinationUrl: () => longUrl(),
      heading: () => longText(limits.shortText),
      'cards.0.title': () => longText(limits.shortText),
      'cards.0.description': () => longText(300),
      'cards.0.url': () => longUrl(),
      'cards.0.imageUrl': () => longUrl(),
      'cards.0.imageAlt': () => longText(limits.shortText),
      'cards.0.badge': () => longText(24),
      'cards.0.topics.0': () => longText(64),
      'cards.0.publishedAt': () => longText(40),
    },
    wrongType: {
      destinationUrl: 5,
      heading: 5,
      maxCards: '3',
      cards: { title: 'x' },
      'cards.0.title': 5,
      'cards.0.description': 5,
      'cards.0.url': 5,
      'cards.0.imageUrl': 5,
      'cards.0.imageAlt': 5,
      'cards.0.badge': 5,
      'cards.0.topics': 'running',
      'cards.0.publishedAt': 5,
      openInNewTab: 'yes',
    },
    refused: [
      ['heading', '<script>alert(1)</script>', 'markup'],
      ['cards.0.title', '"><img src=x onerror=alert(1)>', 'markup'],
      ['cards.0.description', '<script>alert(1)</script>', 'markup'],
      ['cards.0.imageAlt', '"><img src=x onerror=alert(1)>', 'markup'],
      ['cards.0.badge', '<b>New</b>', 'markup'],
      ['cards.0.url', 'javascript:alert(1)', 'not http(s)'],
      ['destinationUrl', 'javascript:alert(1)', 'not http(s)'],
      ['cards.0.title', missing, 'required'],
    ],
  },
)

const sitePatchEndpoint: BodyEndpoint = {
  name: 'PATCH /api/v1/sites/:id',
  method: 'PATCH',
  path: () => `/api/v1/sites/${h.a.siteId}`,
  valid: validSitePatch,
  tooLong: { name: () => longText(limits.name), 'allowedOrigins.0': () => longUrl() },
  wrongType: {
    name: 5,
    allowedOrigins: 'https://a.example',
    'allowedOrigins.0': 5,
    attribution: 'last_touch',
    'attribution.clickWindowDays': '7',
    'attribution.viewWindowDays': true,
    'attribution.halfLifeDays': [7],
    'attribution.positionWeights': 0.4,
    'attribution.positionWeights.first': '0.4',
  },
  refused: [
    ['attribution.clickWindowDays', 91, 'over 90 days'],
    ['attribution.viewWindowDays', -1, 'negative'],
    ['attribution.halfLifeDays', 0, 'not positive'],
    ['attribution.positionWeights.middle', 0.5, 'weights not adding up to 1'],
    ['attribution.model', 'linear', 'unknown field'],
    ['allowedOrigins.0', 'https://a.example/path', 'not an origin'],
    ['allowedOrigins.0', 'javascript:alert(1)', 'not an origin'],
  ],
  reportedAt: (path) =>
    path.startsWith('attribution.positionWeights.middle') ? 'attribution.positionWeights' : path,
  bodyLimit: bodyLimits.admin,
}

const recomputeEndpoint: BodyEndpoint = {
  name: 'POST /api/v1/sites/:id/attribution/recompute',
  method: 'POST',
  path: () => `/api/v1/sites/${h.a.siteId}/attribution/recompute`,
  valid: () => ({ from: '2026-11-01T00:00:00Z', to: '2026-11-29T00:00:00Z' }),
  tooLong: { from: () => longText(40), to: () => longText(40) },
  wrongType: { from: Date.parse('2026-11-01T00:00:00Z'), to: null },
  refused: [
    ['from', missing, 'required'],
    ['from', 'yesterday', 'not ISO 8601'],
    ['from', '2026-02-31T00:00:00Z', 'no such day'],
    ['from', '0000-01-01T00:00:00Z', 'year 0: PostgreSQL cannot store it'],
    ['to', '2026-10-01T00:00:00Z', 'before from'],
    ['to', '2027-06-01T00:00:00Z', 'over 92 days'],
    ['model', 'linear', 'unknown field'],
  ],
  bodyLimit: bodyLimits.admin,
}

const bodyEndpoints: BodyEndpoint[] = [
  leadEndpoint,
  webhookEndpoint,
  contentEndpoint,
  contentManyEndpoint,
  ...leadConfigEndpoints,
  ...trafficConfigEndpoints,
  sitePatchEndpoint,
  recomputeEndpoint,
]

type Send = () => Response | Promise<Response>
interface Case {
  endpoint: string
  kind: string
  field: string
  send: Send
  status: number
  path?: string
}

const clientFor = (endpoint: BodyEndpoint) =>
  endpoint.name.startsWith('POST /api/v1/leads') ? anyone() : admin()

function bodyCases(endpoint: BodyEndpoint): Case[] {
  const sendBody =
    (body: unknown, type = 'application/json') =>
    () =>
      clientFor(endpoint).send(
        endpoint.method,
        endpoint.path(),
        typeof body === 'string' ? body : JSON.stringify(body),
        type,
      )
  const at = endpoint.reportedAt ?? ((path: string) => path)
  const field = (kind: string, path: string, value: () => unknown, why = ''): Case => ({
    endpoint: endpoint.name,
    kind,
    field: why ? `${path} (${why})` : path,
    send: () => sendBody(withValue(endpoint.valid(), path, value()))(),
    status: 400,
    path: at(path),
  })
  return [
    ...Object.entries(endpoint.tooLong).map(([path, value]) => field('too long', path, value)),
    ...Object.entries(endpoint.wrongType).map(([path, value]) =>
      field(value === missing ? 'missing' : 'wrong type', path, () => value),
    ),
    ...(endpoint.refused ?? []).map(([path, value, why]) => field('refused value', path, () => value, why)),
    ...(
      [
        ['not JSON', '{"site":'],
        ['not JSON at all', 'site=pk_live_x&campaignId=1'],
        ['empty', ''],
        ['trailing garbage', '{}}'],
      ] as const
    ).map(([why, text]) => ({
      endpoint: endpoint.name,
      kind: 'malformed JSON',
      field: why,
      send: sendBody(text),
      status: 400,
    })),
    ...(
      [
        ['null', 'null'],
        ['an array', '[]'],
        ['a string', '"site"'],
        ['a number', '42'],
      ] as const
    ).map(([why, text]) => ({
      endpoint: endpoint.name,
      kind: 'not an object',
      field: why,
      send: sendBody(text),
      status: 400,
      path: '',
    })),
    {
      endpoint: endpoint.name,
      kind: 'wrong content type',
      field: 'text/html',
      send: () => sendBody(endpoint.valid(), 'text/html')(),
      status: 415,
    },
    ...(endpoint.textPlainAccepted
      ? []
      : [
          {
            endpoint: endpoint.name,
            kind: 'wrong content type',
            field: 'text/plain',
            send: () => sendBody(endpoint.valid(), 'text/plain')(),
            status: 415,
          },
        ]),
    {
      endpoint: endpoint.name,
      kind: 'oversize body',
      field: `${endpoint.bodyLimit + 1} bytes`,
      send: () => {
        const body = JSON.stringify(endpoint.valid())
        const padding = ' '.repeat(endpoint.bodyLimit + 1 - new TextEncoder().encode(body).length)
        return sendBody(`${padding}${body}`)()
      },
      status: 413,
    },
  ]
}

// ---------------------------------------------------------------------------------------------------------------
// Endpoints that take a query (and path ids).

interface QueryEndpoint {
  name: string
  method: 'GET' | 'DELETE' | 'POST'
  path: () => string
  valid: () => Record<string, string>
  tooLong: Record<string, () => string>
  wrongType: Record<string, string>
  body?: string
}

const leadFilters = {
  siteId: longUuid,
  campaignId: longUuid,
  grade: () => longText(1),
  from: () => longText(40),
  to: () => longText(40),
  q: () => longText(limits.shortText),
}
const leadFilterTypes = {
  siteId: 'site-a',
  campaignId: '1',
  grade: 'E',
  from: 'yesterday',
  to: '0000-01-01T00:00:00Z',
  bogus: '1',
}
const queryEndpoints: QueryEndpoint[] = [
  {
    name: 'GET /api/v1/leads',
    method: 'GET',
    path: () => '/api/v1/leads',
    valid: () => ({ siteId: h.a.siteId, limit: '10' }),
    tooLong: { ...leadFilters, cursor: () => longText(200) },
    wrongType: {
      ...leadFilterTypes,
      from: '9999-12-31T23:00:00-10:00',
      limit: 'ten',
      cursor: 'not-a-cursor',
    },
  },
  {
    name: 'GET /api/v1/leads/export.csv',
    method: 'GET',
    path: () => '/api/v1/leads/export.csv',
    valid: () => ({ siteId: h.a.siteId }),
    tooLong: leadFilters,
    wrongType: { ...leadFilterTypes, from: '2026-02-30T00:00:00Z', limit: '10' },
  },
  ...(['GET', 'DELETE'] as const).map((method) => ({
    name: `${method} /api/v1/leads/person`,
    method,
    path: () => '/api/v1/leads/person',
    valid: () => ({ email: 'visitor-1@example.com', siteId: h.a.siteId }),
    tooLong: { email: () => `${'x'.repeat(limits.name)}@example.com`, siteId: longUuid },
    wrongType: { email: '', siteId: 'site-a', bogus: '1' },
  })),
  {
    name: 'GET /api/v1/webhooks',
    method: 'GET',
    path: () => '/api/v1/webhooks',
    valid: () => ({ siteId: h.a.siteId }),
    tooLong: { siteId: longUuid },
    wrongType: { siteId: 'site-a', bogus: '1' },
  },
  {
    name: 'GET /api/v1/webhooks/:id/deliveries',
    method: 'GET',
    path: () => `/api/v1/webhooks/${ids.webhook}/deliveries`,
    valid: () => ({ limit: '10' }),
    tooLong: { cursor: () => longText(200) },
    wrongType: { limit: '0', cursor: '%%%', bogus: '1' },
  },
  {
    name: 'GET /api/v1/outbox',
    method: 'GET',
    path: () => '/api/v1/outbox',
    valid: () => ({ siteId: h.a.siteId, limit: '10' }),
    tooLong: { siteId: longUuid, cursor: () => longText(200) },
    wrongType: { siteId: 'site-a', limit: '201', cursor: 'bm90IGEgY3Vyc29y', bogus: '1' },
  },
  {
    name: 'GET /api/v1/content',
    method: 'GET',
    path: () => '/api/v1/content',
    valid: () => ({ siteId: h.a.siteId, limit: '10' }),
    tooLong: {
      siteId: longUuid,
      q: () => longText(limits.shortText),
      tag: () => longText(limits.tag),
      category: () => longText(limits.shortText),
      cursor: () => longText(200),
    },
    wrongType: {
      siteId: 'site-a',
      source: 'robot',
      limit: '1.5',
      format: 'xml',
      // A well-formed cursor whose time (year 0) PostgreSQL cannot compare with.
      cursor: Buffer.from(`0000-01-01T00:00:00.000Z|${crypto.randomUUID()}`).toString('base64url'),
      bogus: '1',
    },
  },
  {
    name: 'POST /api/v1/content/import',
    method: 'POST',
    path: () => '/api/v1/content/import',
    valid: () => ({ siteId: h.a.siteId }),
    tooLong: { siteId: longUuid },
    wrongType: { siteId: 'site-a', bogus: '1' },
    body: 'url,title\nhttps://a.example/imported,Imported\n',
  },
]

function queryCases(endpoint: QueryEndpoint): Case[] {
  const send = (query: Record<string, string>) => () => {
    const search = new URLSearchParams(query).toString()
    const path = `${endpoint.path()}?${search}`
    return endpoint.body === undefined
      ? admin().send(endpoint.method, path)
      : admin().send(endpoint.method, path, endpoint.body, 'text/csv')
  }
  const param = (kind: string, name: string, value: () => string): Case => ({
    endpoint: endpoint.name,
    kind,
    field: name,
    send: () => send({ ...endpoint.valid(), [name]: value() })(),
    status: 400,
    path: name,
  })
  return [
    ...Object.entries(endpoint.tooLong).map(([name, value]) => param('too long', name, value)),
    ...Object.entries(endpoint.wrongType).map(([name, value]) =>
      param(name === 'bogus' ? 'unknown parameter' : 'wrong type', name, () => value),
    ),
  ]
}

/** A path id that names nothing, is not a UUID, or would be markup: 404, never a 500 or an echo. */
const hostileIds = [
  ['not a UUID', 'abc'],
  ['a UUID naming nothing', '00000000-0000-4000-8000-000000000000'],
  ['markup', '<script>alert(1)</script>'],
  ['SQL', "1' or '1'='1"],
  ['very long', 'f'.repeat(5_000)],
] as const
const idRoutes: [string, string, (id: string) => string, unknown?][] = [
  ['GET', '/api/v1/leads/:id', (id) => `/api/v1/leads/${id}`],
  ['GET', '/api/v1/webhooks/:id', (id) => `/api/v1/webhooks/${id}`],
  ['DELETE', '/api/v1/webhooks/:id', (id) => `/api/v1/webhooks/${id}`],
  ['GET', '/api/v1/webhooks/:id/deliveries', (id) => `/api/v1/webhooks/${id}/deliveries`],
  ['GET', '/api/v1/content/:id', (id) => `/api/v1/content/${id}`],
  ['DELETE', '/api/v1/content/:id', (id) => `/api/v1/content/${id}`],
  ['PATCH', '/api/v1/sites/:id', (id) => `/api/v1/sites/${id}`, { name: 'x' }],
  [
    'POST',
    '/api/v1/sites/:id/attribution/recompute',
    (id) => `/api/v1/sites/${id}/attribution/recompute`,
    { from: '2026-11-01T00:00:00Z', to: '2026-11-29T00:00:00Z' },
  ],
  ['PATCH', '/api/v1/campaigns/:id', (id) => `/api/v1/campaigns/${id}`, { name: 'x' }],
  ['GET', '/d/:token', (id) => `/d/${id}`],
]
const pathCases: Case[] = idRoutes.flatMap(([method, name, path, body]) =>
  hostileIds.map(([why, id]) => ({
    endpoint: `${method} ${name}`,
    kind: 'path id',
    field: why,
    send: () => admin().send(method, path(encodeURIComponent(id)), body as Body | undefined),
    status: 404,
  })),
)

const cases: Case[] = [
  ...bodyEndpoints.flatMap(bodyCases),
  ...queryEndpoints.flatMap(queryCases),
  ...pathCases,
]

describe('bad input to every endpoint of issue 7 (and the attribution settings of issue 6)', () => {
  it.each(cases.map((c) => [`${c.endpoint}: ${c.kind}: ${c.field}`, c] as const))(
    '%s is refused with its field path and writes nothing',
    async (_, c) => {
      const before = await everything()
      const res = await c.send()
      const error = await errorOf(res)
      expect([error.status, error.code]).toEqual([c.status, expect.any(String)])
      if (c.status === 400) expect(error.code).toMatch(/^(validation_failed|invalid_json)$/)
      if (c.path !== undefined) expect(error.paths).toContain(c.path)
      await Promise.all(pending)
      expect(await everything()).toEqual(before)
    },
  )

  it('has a too-long case for every string field of every body', () => {
    for (const endpoint of bodyEndpoints) {
      const strings: string[] = []
      const walk = (value: unknown, path: string[]) => {
        if (typeof value === 'string') strings.push(path.join('.'))
        else if (value && typeof value === 'object')
          for (const [key, item] of Object.entries(value)) walk(item, [...path, key])
      }
      walk(endpoint.valid(), [])
      const own = strings.filter((path) => !endpoint.ownUnder || path.startsWith(endpoint.ownUnder))
      const uncovered = own.filter((path) => !(path in endpoint.tooLong) && !endpoint.fixedWords?.test(path))
      expect([endpoint.name, uncovered]).toEqual([endpoint.name, []])
    }
  })
})

describe('the valid requests the cases above break one field of', () => {
  it('are accepted, and the ones that write show up in what the cases check', async () => {
    const before = await everything()
    const accepted: [string, number][] = []
    for (const endpoint of bodyEndpoints) {
      const res = await clientFor(endpoint).send(endpoint.method, endpoint.path(), endpoint.valid())
      accepted.push([endpoint.name, res.status])
    }
    await Promise.all(pending)
    expect(accepted).toEqual(bodyEndpoints.map((endpoint) => [endpoint.name, expect.any(Number)]))
    for (const [name, status] of accepted) expect([name, status >= 200 && status < 300]).toEqual([name, true])
    const after = await everything()
    for (const table of ['leads', 'leadSubmissions', 'webhooks', 'contentItems', 'campaigns'])
      expect([table, after[table]]).not.toEqual([table, before[table]])
  })
})

const script = '<script>alert(1)</script>'
const img = '"><img src=x onerror=alert(1)>'
const hyperlink = '=HYPERLINK("https://evil.example/","Open")'

/** Cells of a CSV answer by header name, one record per row. */
async function csvRows(res: Response): Promise<Record<string, string>[]> {
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[\w.-]+"$/)
  const { records, unterminatedAt } = parseCsv(await res.text())
  expect(unterminatedAt).toBeUndefined()
  const [header, ...rows] = records
  return rows.map((row) => Object.fromEntries(header!.cells.map((name, i) => [name, row.cells[i] ?? ''])))
}

/** A spreadsheet runs a cell as a formula when it starts with one of these (OWASP, CSV injection). */
const formulaStart = /^[=+\-@\t\r]/
function expectNoFormula(rows: Record<string, string>[]) {
  for (const row of rows) {
    for (const [column, cell] of Object.entries(row)) {
      const number = cell !== '' && Number.isFinite(Number(cell))
      if (!number) expect([column, cell, formulaStart.test(cell)]).toEqual([column, cell, false])
    }
  }
}

describe('text that would be markup or a formula, where it is accepted', () => {
  const email = 'hostile@example.com'
  const fields = { email, first_name: hyperlink, company: script, job_title: img, terms: true }
  const consentText = `\t=1+1 ${script}`
  const pageUrl = `https://a.example/guide?utm_source=${encodeURIComponent(script)}&utm_campaign=${encodeURIComponent('@SUM(A1)')}`
  const campaignName = `-2+3 ${img}`
  let leadId = ''
  let download = ''

  beforeAll(async () => {
    // A campaign's name is the marketer's free text (not shown to visitors): markup is allowed in it, as text.
    expect(
      (await admin().patch(`/api/v1/campaigns/${ids.leadCampaign}`, { name: campaignName })).status,
    ).toBe(200)
    const res = await anyone().post('/api/v1/leads', {
      ...validLead(),
      fields,
      ...visitorProof(h.a, img),
      consent: { granted: true, text: consentText },
      context: { url: pageUrl, referrer: img },
    })
    expect(res.status).toBe(201)
    const answer = await readJson(res, api.leadAnswer)
    leadId = answer.leadId
    download = new URL(answer.download!.url).pathname
    await Promise.all(pending)
  })

  it('is stored exactly as sent and answered as JSON text by the lead, the list and the person export', async () => {
    const lead = await admin().get(`/api/v1/leads/${leadId}`)
    expect(lead.headers.get('content-type')).toMatch(/^application\/json/)
    const expected = {
      fields,
      consent: { granted: true, text: consentText },
      anonymousId: img,
      // UTM values are folded to lower case, as targeting compares them.
      source: { url: pageUrl, referrer: img, utm: { utm_source: script, utm_campaign: '@sum(a1)' } },
    }
    const body = await readJson(lead, api.leadDetail)
    expect(body).toMatchObject(expected)
    expect(body.submissions[0]).toMatchObject(expected)
    const list = await readJson(await admin().get('/api/v1/leads?q=hostile'), api.pageOf(api.lead))
    expect(list.data).toMatchObject([{ id: leadId, fields, consent: { text: consentText } }])
    const person = await readJson(await admin().get(`/api/v1/leads/person?email=${email}`), api.personData)
    expect(person.leads).toMatchObject([
      { fields, submissions: [{ fields, consent: { text: consentText } }] },
    ])
  })

  it('reaches a webhook as JSON text', async () => {
    const res = await admin().get(`/api/v1/webhooks/${ids.webhook}/deliveries`)
    const deliveries = ((await res.json()) as any).data
    const ours = deliveries.find((d: any) => d.payload.data.lead.id === leadId)
    expect(ours.payload.data.lead.fields).toEqual(fields)
    expect(ours.payload.data.campaign.name).toBe(campaignName)
  })

  it('reads back from the leads CSV as given, a formula behind an apostrophe', async () => {
    const rows = await csvRows(await admin().get('/api/v1/leads/export.csv'))
    const row = rows.find((r) => r.email === email)!
    expect(row).toMatchObject({
      'fields.company': script,
      'fields.job_title': img,
      'fields.first_name': `'${hyperlink}`,
      consent_text: `'${consentText}`,
      referrer: img,
      url: pageUrl,
      utm_source: script,
      utm_campaign: "'@sum(a1)",
      last_campaign: `'${campaignName}`,
    })
    expectNoFormula(rows)
  })

  it('reads back from the content CSV with every formula behind an apostrophe', async () => {
    const put = await admin().send('PUT', '/api/v1/content', {
      url: 'https://a.example/formula?q="><img src=x>',
      title: '=1+1',
      summary: '@SUM(A1)',
      tags: ['-2', '+3'],
      category: '=cmd',
    })
    expect(put.status).toBe(201)
    const item = await readJson(put, catalog.contentItem)
    // The address is normalised: what would be markup in it is percent-encoded.
    expect(item.url).toBe('https://a.example/formula?q=%22%3E%3Cimg%20src=x%3E')
    const rows = await csvRows(await admin().get('/api/v1/content?format=csv'))
    expect(rows.find((r) => r.url === item.url)).toMatchObject({
      title: "'=1+1",
      summary: "'@SUM(A1)",
      tags: "'-2;+3",
      category: "'=cmd",
    })
    expectNoFormula(rows)
  })

  it('reads back from the analytics CSV (variant names) with every formula behind an apostrophe', async () => {
    const created = await admin().post(
      '/api/v1/campaigns',
      leadCampaign(
        {},
        {
          name: hyperlink,
          variants: [
            { name: hyperlink, creative: { headline: 'A' } },
            { name: script, creative: { headline: 'B' } },
          ],
        },
      ),
    )
    expect(created.status).toBe(201)
    const id = (await readJson(created, api.campaign)).id
    const rows = await csvRows(await admin().get(`/api/v1/campaigns/${id}/analytics?format=csv`))
    expect(new Set(rows.map((r) => r.variant))).toEqual(new Set([`'${hyperlink}`, script]))
    expectNoFormula(rows)
  })

  it('keeps a webhook address as given, answered as JSON', async () => {
    const url = `https://hooks.example/in?next=${img}`
    const created = await admin().post('/api/v1/webhooks', { url, events: ['lead.updated'] })
    expect(created.status).toBe(201)
    const id = (await readJson(created, api.createdWebhook)).id
    const read = await admin().get(`/api/v1/webhooks/${id}`)
    expect(read.headers.get('content-type')).toMatch(/^application\/json/)
    expect((await readJson(read, api.webhook)).url).toBe(url)
    expect((await admin().delete(`/api/v1/webhooks/${id}`)).status).toBe(204)
  })

  it('is never answered as HTML: a download redirects with no page, a bad link is a JSON error that echoes nothing', async () => {
    const ok = await anyone().get(download)
    expect(ok.status).toBe(302)
    expect(ok.headers.get('location')).toBe(fullLeadConfig().offer.assetUrl)
    expect(ok.headers.get('content-type') ?? '').not.toMatch(/html/)
    expect(await ok.text()).toBe('')
    for (const token of [script, img, `${download.slice(3)}${script}`]) {
      const bad = await anyone().get(`/d/${encodeURIComponent(token)}`)
      expect(bad.status).toBe(404)
      expect(bad.headers.get('content-type')).toMatch(/^application\/json/)
      const text = await bad.text()
      expect(text).not.toMatch(/<|alert/)
    }
  })

  it('is not echoed by an error about a value, and a key is echoed only as JSON text', async () => {
    for (const value of [script, img]) {
      for (const c of [
        () => anyone().post('/api/v1/leads', { ...validLead(), campaignId: value }),
        () => anyone().post('/api/v1/leads', { ...validLead(), fields: { email: value } }),
        () => admin().send('PUT', '/api/v1/content', { ...validContent(), title: value }),
        () => admin().post('/api/v1/webhooks', { url: value }),
        () => admin().get(`/api/v1/leads?grade=${encodeURIComponent(value)}`),
        () => admin().get(`/api/v1/leads/${encodeURIComponent(value)}`),
      ]) {
        const res = await c()
        expect(res.status).toBeGreaterThanOrEqual(400)
        expect(res.headers.get('content-type')).toMatch(/^application\/json/)
        expect(await res.text()).not.toContain('<')
      }
      // An unknown key is named by its path: echoed, but only ever as JSON text.
      const unknown = await anyone().post('/api/v1/leads', { ...validLead(), [value]: 1 })
      expect(unknown.headers.get('content-type')).toMatch(/^application\/json/)
      expect((await errorOf(unknown)).paths).toEqual([value])
    }
  })
})
