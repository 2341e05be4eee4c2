import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { type CampaignType, campaignTypes } from '../campaign'
import { limits } from '../limits'
import { configSchemas, parseConfig } from './index'

type Path = (string | number)[]

/** Every failing path; an unknown key is reported at its own path, as the API reports it. */
function failingPaths(result: z.ZodSafeParseResult<unknown>): string[] {
  if (result.success) return []
  return result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => [...issue.path, key].join('.'))
      : [issue.path.join('.')],
  )
}

function withValue(config: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(config) as Record<string | number, unknown>
  let node = copy
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  node[path.at(-1)!] = value
  return copy
}

interface Case {
  minimal: unknown
  full: unknown
  /** An object inside `full` that must refuse keys it does not know. */
  nestedObject: Path
  /** A text field of `full` and its length limit. */
  text: [Path, number]
  /** A URL field of `full`; empty for a type whose only links are the variants' creative. */
  url: Path
}

const inAWeek = '2030-06-01T18:00:00+02:00'

const cases: Record<CampaignType, Case> = {
  awareness: {
    minimal: {},
    full: {
      format: 'popup',
      dismissible: true,
      mediaType: 'video',
      autoplay: true,
      loop: false,
      closeDelaySeconds: 3,
      showDelaySeconds: 10,
      trigger: { on: 'scroll', percent: 50 },
      socialProof: 'Trusted by 10,000 teams',
    },
    nestedObject: ['trigger'],
    text: [['socialProof'], limits.shortText],
    url: [],
  },
  traffic: {
    minimal: {},
    full: {
      destinationUrl: 'https://blog.example/guides/onboarding',
      destinationType: 'article',
      placements: ['sidebar', 'recommendation'],
      optimizationGoal: 'landing_page_views',
      layout: 'carousel',
      heading: 'You might also like',
      maxCards: 3,
      cards: [
        {
          title: 'The onboarding guide',
          description: 'Ten steps to a first week that sticks.',
          url: 'https://blog.example/guides/onboarding',
          imageUrl: 'https://cdn.example/onboarding.webp',
          imageAlt: 'A checklist',
          badge: 'New',
          topics: ['onboarding', 'hr'],
          publishedAt: '2030-05-20T09:00:00Z',
        },
        { title: 'Pricing explained', url: 'https://blog.example/pricing', badge: 'Popular' },
      ],
      scoring: { ctrWeight: 10, recencyDays: 7, recencyBoostPerDay: 0.5, seenPenalty: 0.5 },
      openInNewTab: false,
      appendUtm: true,
    },
    nestedObject: ['cards', 0],
    text: [['cards', 0, 'title'], limits.shortText],
    url: ['cards', 1, 'url'],
  },
  engagement: {
    minimal: {},
    full: {
      engagementTypes: ['like', 'react', 'share', 'comment', 'vote'],
      contentId: 'post-2030-spring',
      contentType: 'article',
      contentUrl: 'https://blog.example/spring',
      reactions: ['like', 'love', 'wow'],
      share: {
        networks: ['facebook', 'x', 'linkedin', 'email', 'copy', 'webshare'],
        url: 'https://blog.example/spring',
        text: 'Our spring collection is here',
        hashtags: ['spring', 'new_in'],
      },
      poll: {
        question: 'Which colour should we make next?',
        options: [
          { id: 'sage', label: 'Sage green' },
          { id: 'rust', label: 'Rust' },
        ],
        allowMultiple: false,
        showResults: 'after_vote',
        closesAt: inAWeek,
      },
      comments: { maxLength: 500, showRecent: 5, moderation: 'pre' },
      showCounts: true,
    },
    nestedObject: ['poll'],
    text: [['poll', 'question'], 200],
    url: ['share', 'url'],
  },
  lead_generation: {
    minimal: {},
    full: {
      fields: [
        { name: 'first_name', type: 'text', label: 'First name', required: true, maxLength: 100 },
        { name: 'email', type: 'email', label: 'Email address', required: true },
        { name: 'phone', type: 'phone', label: 'Phone number', pattern: '^\\+?[0-9 ]{6,20}$', step: 1 },
        { name: 'job_title', type: 'text', label: 'Job title', step: 1 },
        {
          name: 'company_size',
          type: 'select',
          label: 'Company size',
          step: 1,
          options: [
            { value: '1-10', label: '1–10' },
            { value: '11-200', label: '11–200' },
            { value: '200+', label: 'More than 200' },
          ],
        },
        { name: 'marketing', type: 'consent', label: 'I agree to receive product updates', step: 1 },
      ],
      stepTitles: ['About you', 'Your company'],
      display: 'popup',
      submitButtonText: 'Download now',
      privacyPolicyUrl: 'https://shop.example/privacy',
      successMessage: 'Check your inbox: the guide is on its way.',
      redirectUrl: 'https://shop.example/thanks',
      offer: {
        type: 'ebook',
        title: 'The 2030 retail guide',
        description: 'Forty pages of benchmarks.',
        assetUrl: 'https://cdn.example/retail-guide.pdf',
      },
      captcha: true,
      captchaSiteKey: '0x4AAAAAAAB-site-key',
      progressiveProfiling: false,
      scoring: {
        rules: [
          {
            field: 'job_title',
            when: 'contains',
            values: ['ceo', 'cto', 'vp', 'director', 'head'],
            points: 15,
          },
          { field: 'phone', when: 'filled', points: 5 },
        ],
        pointsPerFilledField: 2,
        grades: { a: 80, b: 60, c: 40 },
      },
    },
    nestedObject: ['fields', 4, 'options', 0],
    text: [['successMessage'], limits.text],
    url: ['offer', 'assetUrl'],
  },
  sales: {
    minimal: {},
    full: {
      nudge: 'free_shipping',
      products: [
        {
          id: 'sku-123',
          name: 'Merino beanie',
          url: 'https://shop.example/p/beanie',
          imageUrl: 'https://cdn.example/beanie.jpg',
          price: 29.9,
          compareAtPrice: 39.9,
        },
      ],
      productIds: ['sku-123', 'sku-124'],
      categoryIds: ['winter'],
      discount: { type: 'percentage', value: 25 },
      promoCodes: ['WINTER25'],
      freeShippingThreshold: 60,
      currency: 'EUR',
      optimizationGoal: 'revenue',
      dailyBudget: 50,
      targetRoas: 4,
    },
    nestedObject: ['products', 0],
    text: [['products', 0, 'name'], limits.shortText],
    url: ['products', 0, 'url'],
  },
  app_promotion: {
    minimal: { appName: 'Example Shop', appStoreUrl: 'https://apps.apple.com/app/id123456789' },
    full: {
      appName: 'Example Shop',
      iconUrl: 'https://cdn.example/icon.png',
      appStoreUrl: 'https://apps.apple.com/app/id123456789',
      playStoreUrl: 'https://play.google.com/store/apps/details?id=com.example.shop',
      deepLink: 'exampleshop://product/42',
      fallbackUrl: 'https://shop.example/get-the-app',
      deepLinkTimeoutMs: 1500,
      format: 'smart_banner',
      position: 'top',
      platforms: ['ios', 'android', 'desktop'],
      qr: { enabled: true, url: 'https://shop.example/app', sizePx: 200 },
      rating: 4.7,
      ratingCount: 12034,
      price: 'Free',
      dismissible: true,
    },
    nestedObject: ['qr'],
    text: [['appName'], limits.shortText],
    url: ['fallbackUrl'],
  },
  local_business: {
    minimal: {},
    full: {
      storeRefs: ['paris-11', 'nyc-soho'],
      geolocation: 'precise',
      maxStores: 3,
      radiusKm: 25,
      distanceUnit: 'km',
      actions: ['directions', 'call', 'inventory'],
      mapsProvider: 'openstreetmap',
      sku: 'sku-123',
      texts: { title: 'Find a shop' },
    },
    nestedObject: ['texts'],
    text: [['texts', 'title'], 80],
    url: [],
  },
  remarketing: {
    minimal: { audience: { kind: 'cart_abandoners' } },
    full: {
      audience: { kind: 'viewers', lookbackDays: 14, productIds: ['sku-123'], minViews: 2 },
      exclude: { convertedWithinDays: 14, segments: ['vip'] },
      format: 'sticky_bottom',
      dismissible: true,
      dynamicContent: true,
      maxProducts: 3,
      incentive: { type: 'percentage', value: 10, promoCode: 'COMEBACK10' },
    },
    nestedObject: ['audience'],
    text: [['audience', 'productIds', 0], limits.id],
    url: [],
  },
  offer_event: {
    minimal: { countdown: { endsAt: inAWeek } },
    full: {
      kind: 'event',
      format: 'inline',
      dismissible: false,
      countdown: { endsAt: '2030-06-01T18:00:00+02:00', endedText: 'Doors are open!' },
      event: {
        startsAt: '2030-06-01T18:00:00+02:00',
        endsAt: '2030-06-01T21:00:00+02:00',
        isVirtual: false,
        venue: { name: 'Le Loft', address: '5 rue de la Paix', city: 'Paris', country: 'FR' },
        onlineUrl: 'https://live.example/launch',
        capacity: 120,
        rsvp: true,
        waitlist: true,
        rsvpClosesAt: '2030-06-01T12:00:00+02:00',
      },
      offer: { discountPercent: 20, promoCode: 'LAUNCH20', terms: 'Valid on the night only.' },
    },
    nestedObject: ['event', 'venue'],
    text: [['event', 'venue', 'name'], limits.shortText],
    url: ['event', 'onlineUrl'],
  },
}

describe('config schemas: the rules every type keeps', () => {
  it('has a schema for every campaign type and no other', () => {
    expect(Object.keys(configSchemas).sort()).toEqual([...campaignTypes].sort())
  })

  describe.each(campaignTypes)('%s', (type) => {
    const c = cases[type]

    it('parses its minimal config', () => {
      const result = parseConfig(type, c.minimal)
      expect(failingPaths(result)).toEqual([])
    })

    it('parses a realistic full config, keeping what it was given', () => {
      const result = parseConfig(type, c.full)
      expect(failingPaths(result)).toEqual([])
      expect(result.data).toMatchObject(c.full as object)
    })

    it('parses its own output to the same value (the stored config is re-sent on edit)', () => {
      const once = parseConfig(type, c.full).data
      expect(parseConfig(type, once).data).toEqual(once)
    })

    it('refuses an unknown key at the top and inside, naming it', () => {
      expect(failingPaths(parseConfig(type, withValue(c.full, ['surprise'], 1)))).toEqual(['surprise'])
      if (c.nestedObject.length === 0) return
      const nested = withValue(c.full, [...c.nestedObject, 'surprise'], 1)
      expect(failingPaths(parseConfig(type, nested))).toEqual([[...c.nestedObject, 'surprise'].join('.')])
    })

    it('refuses an oversized string at its path, and accepts one at the limit', () => {
      const [path, max] = c.text
      expect(failingPaths(parseConfig(type, withValue(c.full, path, 'x'.repeat(max + 1))))).toEqual([
        path.join('.'),
      ])
      expect(failingPaths(parseConfig(type, withValue(c.full, path, 'x'.repeat(max))))).toEqual([])
    })

    it('refuses markup in text at its path', () => {
      const [path] = c.text
      const html = withValue(c.full, path, '<img src=x onerror=alert(1)>')
      expect(failingPaths(parseConfig(type, html))).toEqual([path.join('.')])
    })

    it('refuses javascript:, data: and relative URLs at their path (links of a URL-less type are refused)', () => {
      const path = c.url.length > 0 ? c.url : ['ctaUrl']
      for (const url of ['javascript:alert(1)', 'data:text/html,<b>x</b>', '/relative']) {
        expect(failingPaths(parseConfig(type, withValue(c.full, path, url)))).toEqual([path.join('.')])
      }
    })
  })
})

const data = <T extends CampaignType>(type: T, input: unknown) => {
  const result = parseConfig(type, input)
  if (!result.success) throw new Error(JSON.stringify(result.error.issues))
  return result.data
}

describe('awareness', () => {
  it('defaults everything, so {} and {"format":"hero"} are whole configs', () => {
    const expected = {
      format: 'hero',
      dismissible: true,
      mediaType: 'image',
      autoplay: false,
      loop: false,
      closeDelaySeconds: 0,
      showDelaySeconds: 0,
      trigger: { on: 'load' },
    }
    expect(data('awareness', {})).toEqual(expected)
    expect(data('awareness', { format: 'hero' })).toEqual(expected)
  })

  it('knows each banner format and no other', () => {
    for (const format of ['hero', 'inline', 'sticky', 'sticky_top', 'sticky_bottom', 'popup'])
      expect(data('awareness', { format }).format).toBe(format)
    expect(failingPaths(parseConfig('awareness', { format: 'slide' }))).toEqual(['format'])
  })

  it('bounds numbers and refuses a non-object config', () => {
    expect(failingPaths(parseConfig('awareness', { closeDelaySeconds: 31 }))).toEqual(['closeDelaySeconds'])
    expect(failingPaths(parseConfig('awareness', { showDelaySeconds: -1 }))).toEqual(['showDelaySeconds'])
    expect(parseConfig('awareness', null).success).toBe(false)
    expect(parseConfig('awareness', [{}]).success).toBe(false)
  })

  it('takes a trigger for page-level units, and names the field of one it refuses', () => {
    expect(data('awareness', { format: 'popup', trigger: { on: 'exit' } }).trigger).toEqual({ on: 'exit' })
    expect(data('awareness', { trigger: { on: 'click', selector: '#buy' } }).trigger).toEqual({
      on: 'click',
      selector: '#buy',
    })
    expect(failingPaths(parseConfig('awareness', { trigger: { on: 'hover' } }))).toEqual(['trigger.on'])
    expect(failingPaths(parseConfig('awareness', { trigger: { on: 'scroll', percent: 0 } }))).toEqual([
      'trigger.percent',
    ])
    expect(failingPaths(parseConfig('awareness', { trigger: { on: 'delay' } }))).toEqual(['trigger.seconds'])
  })
})

describe('traffic', () => {
  it('defaults to inline grid cards of three, optimised for clicks', () => {
    expect(data('traffic', {})).toMatchObject({
      placements: ['inline'],
      layout: 'grid',
      maxCards: 3,
      optimizationGoal: 'clicks',
      cards: [],
      scoring: { ctrWeight: 10, recencyDays: 7, seenPenalty: 0.5 },
    })
  })

  it('caps the cards and refuses an unknown layout', () => {
    const card = { title: 'A', url: 'https://a.example/' }
    expect(failingPaths(parseConfig('traffic', { cards: Array(51).fill(card) }))).toEqual(['cards'])
    expect(failingPaths(parseConfig('traffic', { layout: 'masonry' }))).toEqual(['layout'])
  })
})

describe('engagement', () => {
  it('needs a poll when votes are asked for', () => {
    expect(failingPaths(parseConfig('engagement', { engagementTypes: ['vote'] }))).toEqual(['poll'])
  })

  it('shares to the six networks by default and refuses another', () => {
    expect(data('engagement', {}).share.networks).toEqual([
      'facebook',
      'x',
      'linkedin',
      'email',
      'copy',
      'webshare',
    ])
    expect(failingPaths(parseConfig('engagement', { share: { networks: ['myspace'] } }))).toEqual([
      'share.networks.0',
    ])
  })

  it('refuses a poll with one option or the same option id twice', () => {
    const poll = (options: unknown) => ({ engagementTypes: ['vote'], poll: { question: 'Q?', options } })
    expect(failingPaths(parseConfig('engagement', poll([{ id: 'a', label: 'A' }])))).toEqual(['poll.options'])
    const twice = poll([
      { id: 'a', label: 'A' },
      { id: 'a', label: 'B' },
    ])
    expect(failingPaths(parseConfig('engagement', twice))).toEqual(['poll.options'])
  })
})

describe('lead_generation', () => {
  const email = { name: 'email', type: 'email', label: 'Email', required: true }

  it('defaults to a one-field email form', () => {
    const config = data('lead_generation', {})
    expect(config.fields).toEqual([{ ...email, step: 0, minLength: 0, maxLength: 200 }])
    expect(config).toMatchObject({ display: 'inline', submitButtonText: 'Submit', captcha: false })
    expect(config.scoring.grades).toEqual({ a: 80, b: 60, c: 40 })
  })

  it('needs a required email field, since leads are deduplicated by email', () => {
    const noEmail = { fields: [{ name: 'name', type: 'text', label: 'Name' }] }
    expect(failingPaths(parseConfig('lead_generation', noEmail))).toEqual(['fields'])
    const optional = { fields: [{ ...email, required: false }] }
    expect(failingPaths(parseConfig('lead_generation', optional))).toEqual(['fields'])
  })

  it('refuses duplicate names, a select without options, a bad pattern and min above max', () => {
    const fields = [
      email,
      { name: 'email', type: 'text', label: 'Again' },
      { name: 'size', type: 'select', label: 'Size', options: [] },
      { name: 'code', type: 'text', label: 'Code', pattern: '([a-z' },
      { name: 'city', type: 'text', label: 'City', minLength: 10, maxLength: 5 },
    ]
    expect(failingPaths(parseConfig('lead_generation', { fields })).sort()).toEqual([
      'fields.1.name',
      'fields.2.options',
      'fields.3.pattern',
      'fields.4.minLength',
    ])
  })

  it('keeps select options off text fields and text rules off checkboxes', () => {
    const fields = [
      { ...email, options: [{ value: 'a', label: 'A' }] },
      { name: 'ok', type: 'checkbox', label: 'OK', maxLength: 10 },
    ]
    expect(failingPaths(parseConfig('lead_generation', { fields })).sort()).toEqual([
      'fields.0.options',
      'fields.1.maxLength',
    ])
  })

  it('scores only fields the form has, with grades that fall from A to C', () => {
    const rules = [{ field: 'job', when: 'contains', values: ['ceo'], points: 15 }]
    expect(failingPaths(parseConfig('lead_generation', { scoring: { rules } }))).toEqual([
      'scoring.rules.0.field',
    ])
    const noValues = [{ field: 'email', when: 'equals', points: 1 }]
    expect(failingPaths(parseConfig('lead_generation', { scoring: { rules: noValues } }))).toEqual([
      'scoring.rules.0.values',
    ])
    const grades = { a: 40, b: 60, c: 80 }
    expect(failingPaths(parseConfig('lead_generation', { scoring: { grades } }))).toEqual(['scoring.grades'])
  })
})

describe('sales', () => {
  it('needs a threshold for the free-shipping nudge and keeps percentages within 100', () => {
    expect(failingPaths(parseConfig('sales', { nudge: 'free_shipping' }))).toEqual(['freeShippingThreshold'])
    const discount = { type: 'percentage', value: 150 }
    expect(failingPaths(parseConfig('sales', { discount }))).toEqual(['discount.value'])
  })

  it('refuses promo codes with spaces or markup and a currency that is not ISO 4217', () => {
    expect(failingPaths(parseConfig('sales', { promoCodes: ['OK10', 'NOT OK'] }))).toEqual(['promoCodes.1'])
    expect(failingPaths(parseConfig('sales', { currency: 'euro' }))).toEqual(['currency'])
  })

  it('refuses negative prices', () => {
    const product = { id: 'a', name: 'A', url: 'https://shop.example/a', price: -1 }
    expect(failingPaths(parseConfig('sales', { products: [product] }))).toEqual(['products.0.price'])
  })
})

describe('app_promotion', () => {
  const app = { appName: 'Shop', playStoreUrl: 'https://play.google.com/store/apps/details?id=x' }

  it('needs a store URL', () => {
    expect(failingPaths(parseConfig('app_promotion', { appName: 'Shop' }))).toEqual(['appStoreUrl'])
  })

  it('takes an https universal link or an app scheme as the deep link, never a script scheme', () => {
    for (const deepLink of ['https://shop.example/p/1', 'shop://p/1', 'intent://p/1#Intent;scheme=shop;end'])
      expect(data('app_promotion', { ...app, deepLink }).deepLink).toBe(deepLink)
    for (const deepLink of ['javascript://%0aalert(1)', 'JavaScript:alert(1)', 'data://x', 'shop:nothing'])
      expect(failingPaths(parseConfig('app_promotion', { ...app, deepLink }))).toEqual(['deepLink'])
  })

  it('shows a QR code on desktop by default', () => {
    expect(data('app_promotion', app).qr).toEqual({ enabled: true, sizePx: 160 })
  })
})

describe('local_business', () => {
  it("answers from all of the site's stores unless the campaign names some, each once", () => {
    expect(data('local_business', {}).storeRefs).toBeUndefined()
    expect(failingPaths(parseConfig('local_business', { storeRefs: ['a', 'a'] }))).toEqual(['storeRefs'])
    expect(failingPaths(parseConfig('local_business', { storeRefs: ['bad ref'] }))).toEqual(['storeRefs.0'])
  })

  it('refuses markup in its texts and a week of other than seven days', () => {
    expect(failingPaths(parseConfig('local_business', { texts: { title: '<b>Find</b>' } }))).toEqual([
      'texts.title',
    ])
    expect(failingPaths(parseConfig('local_business', { texts: { weekdays: ['Mon'] } }))).toEqual([
      'texts.weekdays',
    ])
  })

  it('offers directions and click-to-call by default, in English', () => {
    const config = data('local_business', {})
    expect(config.actions).toEqual(['directions', 'call'])
    expect(config.texts.openNow).toBe('Open now')
  })
})

describe('remarketing', () => {
  it('fills each audience kind with its own lookback', () => {
    expect(data('remarketing', { audience: { kind: 'cart_abandoners' } }).audience).toEqual({
      kind: 'cart_abandoners',
      lookbackDays: 7,
    })
    expect(data('remarketing', { audience: { kind: 'lapsed' } }).audience).toEqual({
      kind: 'lapsed',
      inactiveDays: 30,
      buyersOnly: false,
    })
    expect(data('remarketing', { audience: { kind: 'past_buyers' } }).audience).toMatchObject({
      lookbackDays: 180,
      minOrders: 1,
    })
  })

  it('needs an audience and refuses an unknown kind or a field of another kind', () => {
    expect(failingPaths(parseConfig('remarketing', {}))).toEqual(['audience'])
    expect(failingPaths(parseConfig('remarketing', { audience: { kind: 'everyone' } }))).toEqual([
      'audience.kind',
    ])
    const mixed = { audience: { kind: 'lapsed', lookbackDays: 3 } }
    expect(failingPaths(parseConfig('remarketing', mixed))).toEqual(['audience.lookbackDays'])
  })

  it('takes the holdout from the experiment, not the config, and excludes nobody by default', () => {
    const config = { audience: { kind: 'viewers' }, holdoutPercent: 10 }
    expect(failingPaths(parseConfig('remarketing', config))).toEqual(['holdoutPercent'])
    expect(data('remarketing', { audience: { kind: 'past_buyers' } }).exclude).toEqual({ segments: [] })
  })
})

describe('offer_event', () => {
  const event = { startsAt: '2030-06-01T18:00:00Z', isVirtual: true }

  it('needs a countdown or an event, and an event campaign needs its event', () => {
    expect(failingPaths(parseConfig('offer_event', {}))).toEqual(['countdown'])
    const config = { kind: 'event', countdown: { endsAt: inAWeek } }
    expect(failingPaths(parseConfig('offer_event', config))).toEqual(['event'])
  })

  it('refuses an end before the start, a zero capacity and an in-person event without a venue', () => {
    const backwards = { ...event, endsAt: '2030-06-01T17:00:00Z' }
    expect(failingPaths(parseConfig('offer_event', { event: backwards }))).toEqual(['event.endsAt'])
    expect(failingPaths(parseConfig('offer_event', { event: { ...event, capacity: 0 } }))).toEqual([
      'event.capacity',
    ])
    expect(failingPaths(parseConfig('offer_event', { event: { ...event, isVirtual: false } }))).toEqual([
      'event.venue',
    ])
  })

  it('refuses an end time that is not an ISO 8601 instant', () => {
    expect(failingPaths(parseConfig('offer_event', { countdown: { endsAt: 'tomorrow' } }))).toEqual([
      'countdown.endsAt',
    ])
  })

  it('takes RSVPs with a waitlist by default', () => {
    expect(data('offer_event', { event }).event).toMatchObject({ rsvp: true, waitlist: true })
  })
})
