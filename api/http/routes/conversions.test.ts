import { readFile } from 'node:fs/promises'
import { and, eq, or, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { conversionLimits, normalizeEmail, normalizePhone, sha256Hex } from '../../../schema/conversions'
import { events, identities, testEvents } from '../../../schema/db'
import { builtinEventNames } from '../../../schema/events'
import { bodyLimits } from '../../../schema/limits'
import { createApp } from '../../app'
import { rowsOf } from '../../ports/database'
import { migrationsFolder } from '../../services/migrate'
import { client, createHarness, type Harness, login, readError, readJson } from '../../testing/harness'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const hourSeconds = 3_600
const nowSeconds = () => Math.floor(h.now.value / 1000)
const asA = () => client(h.app, { secretKey: h.a.secretKey })
const asB = () => client(h.app, { secretKey: h.b.secretKey })

// SHA-256 of `john.doe@example.com` and of `16505551212`, computed with `printf '%s' … | sha256sum`.
const emailHash = '836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f'
const phoneHash = 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176'

const purchase = (overrides: Record<string, unknown> = {}) => ({
  event_name: 'Purchase',
  event_time: nowSeconds() - 60,
  event_id: `order-${crypto.randomUUID()}`,
  action_source: 'website',
  user_data: { em: [emailHash], ph: [phoneHash], external_id: 'user-1' },
  custom_data: { value: 49.9, currency: 'EUR' },
  ...overrides,
})

const post = async (data: unknown[], as = asA()) => {
  const res = await as.post('/api/v1/conversions', { data })
  expect(res.status).toBe(200)
  return readJson(res, api.conversionAnswer)
}

const serverRows = (siteId = h.a.siteId) =>
  h.database.db
    .select()
    .from(events)
    .where(and(eq(events.siteId, siteId), eq(events.source, 'server')))

/** Every stored event, page or server, that carries this dedupe id under this name. */
const countedAs = async (name: string, id: string) =>
  (
    await h.database.db
      .select({ id: events.id })
      .from(events)
      .where(
        and(
          eq(events.siteId, h.a.siteId),
          eq(events.name, name),
          /^[0-9a-f-]{36}$/i.test(id)
            ? or(eq(events.id, id), eq(events.eventId, id))
            : eq(events.eventId, id),
        ),
      )
  ).length

const browserEvent = async (event: { id: string; name: string; at: number; [key: string]: unknown }) => {
  const { at, ...rest } = event
  const res = await client(h.app).post('/api/v1/events', {
    site: h.a.publishableKey,
    batch: [{ anonymousId: 'anon-browser', timestamp: new Date(at * 1000).toISOString(), ...rest }],
  })
  expect(res.status).toBe(200)
  return readJson(res, api.batchAnswer)
}

describe('hashing helpers', () => {
  it('hash with SHA-256 in lower-case hex', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })

  it('normalise an email as Meta does: trimmed and lower-cased, hashed as UTF-8', async () => {
    expect(normalizeEmail('  John.Doe@Example.COM \n')).toBe('john.doe@example.com')
    expect(await sha256Hex(normalizeEmail(' John.Doe@Example.COM'))).toBe(emailHash)
    expect(await sha256Hex(normalizeEmail('Zo\u00eb@Example.com '))).toBe(
      '5418899f7aabe5f45dd3350fe8edcf89e1763a9e64c85e529b1f68cbf5144767',
    )
  })

  it('normalise a phone as Meta does: digits only, country code first, no leading zeros', async () => {
    expect(normalizePhone('+1 (650) 555-1212')).toBe('16505551212')
    expect(normalizePhone('1-650-555-1212 ext')).toBe('16505551212')
    expect(await sha256Hex(normalizePhone('+1 (650) 555-1212'))).toBe(phoneHash)
    expect(normalizePhone('0044 20 7946 0958')).toBe('442079460958')
    expect(await sha256Hex(normalizePhone('+44 20 7946 0958'))).toBe(
      '35e206e5dec4c89b9e8b71b8c32724a5bb518483ac5a20c6617d738375b3b823',
    )
  })
})

describe('POST /api/v1/conversions', () => {
  it('stores a Meta-shaped server event, hashes and all, with its currency in upper case', async () => {
    const event = purchase({
      event_source_url: 'https://a.example/checkout/done',
      user_data: {
        em: emailHash,
        ph: [phoneHash],
        external_id: ['user-1'],
        client_ip_address: '203.0.113.7',
        client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64)',
      },
      custom_data: { value: 49.9, currency: 'eur', order_id: 'A-1', content_ids: ['sku-1', 'sku-2'] },
    })
    expect(await post([event])).toEqual({ received: 1, deduplicated: 0, testEvents: 0, rejected: [] })
    const [row] = (await serverRows()).filter((r) => r.eventId === event.event_id)
    expect(row).toMatchObject({
      source: 'server',
      name: 'Purchase',
      timestamp: new Date(event.event_time * 1000),
      actionSource: 'website',
      userId: 'user-1',
      url: 'https://a.example/checkout/done',
      value: 49.9,
      currency: 'EUR',
      props: { order_id: 'A-1', content_ids: ['sku-1', 'sku-2'] },
    })
    expect(row!.userData).toEqual({
      em: [emailHash],
      ph: [phoneHash],
      external_id: ['user-1'],
      client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64)',
    })
  })

  it("files a server event under the visitor its external id was identified as on the site's pages", async () => {
    const identified = await browserEvent({
      id: crypto.randomUUID(),
      name: 'identify',
      at: nowSeconds() - 600,
      anonymousId: 'anon-7',
      userId: 'user-7',
    })
    expect(identified.accepted).toBe(1)
    const linked = purchase({ user_data: { external_id: ['unknown-user', 'user-7'] } })
    const unlinked = purchase({ user_data: { external_id: 'never-seen' } })
    expect(await post([linked, unlinked])).toMatchObject({ received: 2 })
    const rows = await serverRows()
    expect(rows.find((r) => r.eventId === linked.event_id)).toMatchObject({
      anonymousId: 'anon-7',
      userId: 'user-7',
    })
    expect(rows.find((r) => r.eventId === unlinked.event_id)).toMatchObject({
      anonymousId: '',
      userId: 'never-seen',
    })
  })

  const tooLongName = 'x'.repeat(101)
  it.each([
    ['an empty event name', { event_name: '' }, 'event_name'],
    ['an event name with other characters', { event_name: 'Add-To-Cart' }, 'event_name'],
    ['an event name over 100 characters', { event_name: tooLongName }, 'event_name'],
    ["one of the SDK's own event names", { event_name: 'impression' }, 'event_name'],
    ['an event time over 7 days old', { event_time: -7 * 24 * hourSeconds - 1 }, 'event_time'],
    ['an event time over 5 minutes ahead', { event_time: 5 * 60 + 1 }, 'event_time'],
    ['an event time in milliseconds', { event_time: 'ms' }, 'event_time'],
    ['a fractional event time', { event_time: 0.5 }, 'event_time'],
    ['an empty event id', { event_id: '' }, 'event_id'],
    ['an event id over 100 characters', { event_id: 'e'.repeat(101) }, 'event_id'],
    ['an unknown action source', { action_source: 'web' }, 'action_source'],
    ['a missing action source', { action_source: undefined }, 'action_source'],
    ['a plain email', { user_data: { em: ['Jane@Example.com'] } }, 'user_data.em.0'],
    ['an upper-case hash', { user_data: { em: [emailHash.toUpperCase()] } }, 'user_data.em.0'],
    ['a plain phone number', { user_data: { ph: ['+1 650 555 1212'] } }, 'user_data.ph.0'],
    ['a hash of the wrong length', { user_data: { ph: [phoneHash.slice(1)] } }, 'user_data.ph.0'],
    ['more than 10 emails', { user_data: { em: Array(11).fill(emailHash) } }, 'user_data.em'],
    [
      'an external id over 64 characters',
      { user_data: { external_id: 'u'.repeat(65) } },
      'user_data.external_id.0',
    ],
    ['a negative value', { custom_data: { value: -1, currency: 'EUR' } }, 'custom_data.value'],
    ['a value sent as text', { custom_data: { value: '49.9', currency: 'EUR' } }, 'custom_data.value'],
    [
      'a currency that is not a code',
      { custom_data: { value: 1, currency: 'EURO' } },
      'custom_data.currency',
    ],
    ['a value without a currency', { custom_data: { value: 1 } }, 'custom_data.currency'],
    ['a Purchase without a value', { custom_data: undefined }, 'custom_data.value'],
    [
      'over 50 content ids',
      { custom_data: { content_ids: Array(51).fill('sku') } },
      'custom_data.content_ids',
    ],
    [
      'an order id over 100 characters',
      { custom_data: { order_id: 'o'.repeat(101) } },
      'custom_data.order_id',
    ],
    ['a non-http event source URL', { event_source_url: 'javascript:alert(1)' }, 'event_source_url'],
    ['a test event code with markup', { test_event_code: '<b>T</b>' }, 'test_event_code'],
    [
      'a negative quantity',
      { custom_data: { value: 1, currency: 'EUR', contents: [{ id: 'sku', quantity: -1 }] } },
      'custom_data.contents.0.quantity',
    ],
    [
      'a price sent as text',
      {
        custom_data: { value: 1, currency: 'EUR', contents: [{ id: 'sku', quantity: 1, item_price: '9.9' }] },
      },
      'custom_data.contents.0.item_price',
    ],
    [
      'a negative price',
      { custom_data: { value: 1, currency: 'EUR', contents: [{ id: 'sku', quantity: 1, item_price: -2 }] } },
      'custom_data.contents.0.item_price',
    ],
    [
      'a content line without an id',
      { custom_data: { value: 1, currency: 'EUR', contents: [{ quantity: 1 }] } },
      'custom_data.contents.0.id',
    ],
    [
      'over 50 content lines',
      { custom_data: { value: 1, currency: 'EUR', contents: Array(51).fill({ id: 'sku', quantity: 1 }) } },
      'custom_data.contents',
    ],
    ['an fbc over 500 characters', { user_data: { fbc: `fb.1.1.${'c'.repeat(500)}` } }, 'user_data.fbc'],
    ['a null Purchase value', { custom_data: { value: null, currency: 'EUR' } }, 'custom_data.value'],
    ['text PostgreSQL cannot store', { event_id: 'a\u0000b' }, 'event_id'],
    [
      'half a surrogate pair in a stored match key',
      { user_data: { external_id: 'user-\ud800' } },
      'user_data.external_id.0',
    ],
    [
      'a NUL in a stored user agent',
      { user_data: { client_user_agent: 'Mozilla\u0000' } },
      'user_data.client_user_agent',
    ],
    [
      'a NUL in a stored content id',
      { custom_data: { value: 1, currency: 'EUR', contents: [{ id: 'sku\u0000', quantity: 1 }] } },
      'custom_data.contents.0.id',
    ],
  ])('rejects %s at its field and stores the rest of the batch', async (_, change, path) => {
    const overrides: Record<string, unknown> = { ...change }
    // Times are given relative to now; 'ms' stands for now in milliseconds, a common mistake.
    if (typeof overrides.event_time === 'number') overrides.event_time = nowSeconds() + overrides.event_time
    if (overrides.event_time === 'ms') overrides.event_time = h.now.value
    const bad = purchase(overrides)
    const good = purchase()
    const body = await post([bad, good])
    expect(body.received).toBe(1)
    expect(body.rejected).toHaveLength(1)
    const [{ index, error }] = body.rejected as [(typeof body.rejected)[number]]
    expect(index).toBe(0)
    expect(error.code).toBe('validation_failed')
    expect(error.details?.map((d) => d.path)).toContain(path)
    expect(error.message.startsWith(`${path || 'event'}: `)).toBe(true)
    expect((await serverRows()).some((r) => r.eventId === good.event_id)).toBe(true)
  })

  it('answers a refusal of the database itself with 500, logging its class and SQLSTATE, never the values', async () => {
    const logged: Record<string, unknown>[] = []
    const app = createApp({
      database: h.database,
      signingSecret: 'test-signing-secret-0123456789abcdef',
      now: () => h.now.value,
      log: { info() {}, error: (message, fields) => void logged.push({ message, ...fields }) },
    })
    // A refusal no validation foresees, made by the database: a constraint added for this test.
    await h.database.db.execute(
      sql`alter table events add constraint test_refuses_poison check (event_id <> 'poison-order')`,
    )
    try {
      const res = await client(app, { secretKey: h.a.secretKey }).post('/api/v1/conversions', {
        data: [purchase({ event_id: 'poison-order', user_data: { external_id: 'person@people.example' } })],
      })
      expect(res.status).toBe(500)
      expect(logged).toHaveLength(1)
      expect(logged[0]).toMatchObject({
        message: 'unhandled error',
        error: 'DrizzleQueryError',
        code: '23514',
      })
      expect(JSON.stringify(logged)).not.toMatch(/poison|people\.example|params|836f82db/)
    } finally {
      await h.database.db.execute(sql`alter table events drop constraint test_refuses_poison`)
    }
  })

  it('tells a sender what to do with a plain email, a plain phone number or milliseconds, without echoing them', async () => {
    const body = await post([
      purchase({ user_data: { em: ['jane@example.com'] } }),
      purchase({ user_data: { ph: ['+1 650 555 1212'] } }),
      purchase({ event_time: h.now.value }),
    ])
    const messages = body.rejected.map((r: any) => r.error.message)
    expect(messages[0]).toMatch(/plain email address: send the SHA-256 of normalizeEmail/)
    expect(messages[1]).toMatch(/plain phone number: send the SHA-256 of normalizePhone/)
    expect(messages[2]).toMatch(/Unix seconds, not milliseconds/)
    expect(JSON.stringify(body)).not.toMatch(/jane@example\.com|650 555/)
  })

  it('answers 400 for a bad envelope, 413 for a body over the limit, 401 without a valid key', async () => {
    const empty = await asA().post('/api/v1/conversions', { data: [] })
    expect(empty.status).toBe(400)
    expect((await readError(empty)).paths[0]).toBe('data')
    const tooMany = await asA().post('/api/v1/conversions', {
      data: Array(conversionLimits.batch + 1).fill({}),
    })
    expect(tooMany.status).toBe(400)
    expect((await readError(tooMany)).paths[0]).toBe('data')
    const notJson = await asA().post('/api/v1/conversions', '{"data":', 'application/json')
    expect((await readError(notJson)).code).toBe('invalid_json')
    const huge = await asA().post('/api/v1/conversions', {
      data: [purchase({ event_id: 'x'.repeat(bodyLimits.admin) })],
    })
    expect(huge.status).toBe(413)
    expect((await readError(huge)).code).toBe('payload_too_large')
    const anonymous = await client(h.app).post('/api/v1/conversions', { data: [purchase()] })
    expect(anonymous.status).toBe(401)
    const wrongKey = await client(h.app, { secretKey: 'sk_live_wrongwrongwrongwrongwrong' }).post(
      '/api/v1/conversions',
      { data: [purchase()] },
    )
    expect(wrongKey.status).toBe(401)
    expect((await readError(wrongKey)).code).toBe('unauthorized')
  })

  it('takes an admin session with its CSRF token, and refuses one without', async () => {
    const session = await login(h.app, h.a)
    const noCsrf = await client(h.app, { cookie: session.cookie }).post('/api/v1/conversions', {
      data: [purchase()],
    })
    expect(noCsrf.status).toBe(403)
    expect((await readError(noCsrf)).code).toBe('csrf_failed')
    expect(await post([purchase()], client(h.app, session))).toMatchObject({ received: 1 })
  })
})

describe('deduplication: same event id and name within 48 hours counts once', () => {
  it('counts a server event that repeats a page event 47 hours later once, whatever the id case', async () => {
    const id = crypto.randomUUID()
    const at = nowSeconds() - 50 * hourSeconds
    expect(await browserEvent({ id, name: 'Purchase', at, value: 49.9, currency: 'EUR' })).toMatchObject({
      accepted: 1,
    })
    const body = await post([purchase({ event_id: id.toUpperCase(), event_time: at + 47 * hourSeconds })])
    expect(body).toEqual({ received: 0, deduplicated: 1, testEvents: 0, rejected: [] })
    expect(await countedAs('Purchase', id)).toBe(1)
  })

  it('matches the page’s own event id (an order id, sent as eventId), in either order', async () => {
    const at = nowSeconds() - 10 * hourSeconds
    const pageFirst = `order-${crypto.randomUUID()}`
    expect(
      await browserEvent({
        id: crypto.randomUUID(),
        eventId: pageFirst,
        name: 'Purchase',
        at,
        value: 5,
        currency: 'EUR',
      }),
    ).toMatchObject({ accepted: 1 })
    expect(await post([purchase({ event_id: pageFirst, event_time: at + hourSeconds })])).toEqual({
      received: 0,
      deduplicated: 1,
      testEvents: 0,
      rejected: [],
    })
    const serverFirst = `order-${crypto.randomUUID()}`
    expect(await post([purchase({ event_id: serverFirst, event_time: at })])).toMatchObject({ received: 1 })
    expect(
      await browserEvent({
        id: crypto.randomUUID(),
        eventId: serverFirst,
        name: 'Purchase',
        at: at + 60,
        value: 5,
        currency: 'EUR',
      }),
    ).toMatchObject({ accepted: 0, duplicates: 1 })
    // A page that sends the purchase again (a reload of the thank-you page) with a new event uuid counts once too.
    expect(
      await browserEvent({
        id: crypto.randomUUID(),
        eventId: serverFirst,
        name: 'Purchase',
        at: at + 120,
        value: 5,
        currency: 'EUR',
      }),
    ).toMatchObject({ accepted: 0, duplicates: 1 })
  })

  it('counts a server event 49 hours after the page event twice', async () => {
    const id = crypto.randomUUID()
    const at = nowSeconds() - 50 * hourSeconds
    await browserEvent({ id, name: 'Purchase', at, value: 49.9, currency: 'EUR' })
    const body = await post([purchase({ event_id: id, event_time: at + 49 * hourSeconds })])
    expect(body).toEqual({ received: 1, deduplicated: 0, testEvents: 0, rejected: [] })
    expect(await countedAs('Purchase', id)).toBe(2)
  })

  it('counts exactly 48 hours apart as within', async () => {
    const id = crypto.randomUUID()
    const at = nowSeconds() - 50 * hourSeconds
    await browserEvent({ id, name: 'Lead', at })
    expect(
      await post([purchase({ event_name: 'Lead', event_id: id, event_time: at + 48 * hourSeconds })]),
    ).toEqual({ received: 0, deduplicated: 1, testEvents: 0, rejected: [] })
  })

  it('skips the page event when the server sent it first', async () => {
    const id = crypto.randomUUID()
    const at = nowSeconds() - hourSeconds
    expect(await post([purchase({ event_id: id, event_time: at })])).toMatchObject({ received: 1 })
    const page = await browserEvent({ id, name: 'Purchase', at: at + 60, value: 49.9, currency: 'EUR' })
    expect(page).toEqual({ accepted: 0, duplicates: 1, rejected: [] })
    expect(await countedAs('Purchase', id)).toBe(1)
  })

  it('counts the same event id under another name separately', async () => {
    const id = crypto.randomUUID()
    const at = nowSeconds() - hourSeconds
    await browserEvent({ id, name: 'AddToCart', at })
    expect(await post([purchase({ event_id: id, event_time: at })])).toMatchObject({ received: 1 })
  })

  it('applies the window between server events too, within one batch and across batches', async () => {
    const eventId = `order-${crypto.randomUUID()}`
    const at = nowSeconds() - 6 * 24 * hourSeconds
    const batch = [
      purchase({ event_id: eventId, event_time: at }),
      purchase({ event_id: eventId, event_time: at + 24 * hourSeconds }),
      purchase({ event_id: eventId, event_time: at + 72 * hourSeconds }),
    ]
    expect(await post(batch)).toEqual({ received: 2, deduplicated: 1, testEvents: 0, rejected: [] })
    expect(await post(batch)).toEqual({ received: 0, deduplicated: 3, testEvents: 0, rejected: [] })
    expect(await countedAs('Purchase', eventId)).toBe(2)
  })

  it('stores nothing new when the same batch is posted again', async () => {
    const batch = [purchase(), purchase({ event_name: 'Lead', custom_data: undefined }), purchase()]
    expect(await post(batch)).toEqual({ received: 3, deduplicated: 0, testEvents: 0, rejected: [] })
    const before = (await serverRows()).length
    expect(await post(batch)).toEqual({ received: 0, deduplicated: 3, testEvents: 0, rejected: [] })
    expect((await serverRows()).length).toBe(before)
  })

  it('stores one of 20 concurrent posts of the same event', async () => {
    const event = purchase()
    const answers = await Promise.all(Array.from({ length: 20 }, () => post([event])))
    expect(answers.reduce((sum, a) => sum + a.received, 0)).toBe(1)
    expect(answers.reduce((sum, a) => sum + a.deduplicated, 0)).toBe(19)
    expect(await countedAs('Purchase', event.event_id)).toBe(1)
  })

  it("keeps each site's event ids apart", async () => {
    const event = purchase()
    expect(await post([event])).toMatchObject({ received: 1 })
    expect(await post([event], asB())).toMatchObject({ received: 1 })
  })

  it("leaves the SDK's own event names out of the constraint, as the API refuses them from a server", async () => {
    const sql = await readFile(`${migrationsFolder}/0003_conversions.sql`, 'utf8')
    const listed = /"name" NOT IN \(([^)]*)\)/.exec(sql)![1]!.match(/'[^']+'/g)!
    expect(listed.map((name) => name.slice(1, -1)).sort()).toEqual([...builtinEventNames].sort())
  })
})

describe('tenancy and privacy', () => {
  it("refuses organization B's key for organization A's site, and writes nothing there", async () => {
    const before = (await serverRows()).length
    const res = await asB().post('/api/v1/conversions', { siteId: h.a.siteId, data: [purchase()] })
    expect(res.status).toBe(404)
    expect((await serverRows()).length).toBe(before)
  })

  it('stores no IP address and no plain email anywhere', async () => {
    const ip = '198.51.100.23'
    await post([
      purchase({ user_data: { em: [emailHash], client_ip_address: ip } }),
      purchase({ user_data: { em: ['plain.person@example.com'], client_ip_address: ip } }),
      purchase({ user_data: { ph: ['+1 650 555 0000'] } }),
    ])
    const stored = JSON.stringify(await h.database.db.select().from(events))
    expect(stored).not.toContain(ip)
    expect(stored).not.toContain('client_ip_address')
    expect(stored).not.toContain('plain.person')
    expect(stored).not.toContain('555 0000')
    expect(stored).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/)
    expect(JSON.stringify(await h.database.db.select().from(identities))).not.toContain(ip)
  })

  it('asks a user whose organization has several sites which one', async () => {
    const session = await login(h.app, h.a)
    const created = await client(h.app, session).post('/api/v1/sites', {
      name: 'Second',
      allowedOrigins: ['https://second.example'],
    })
    expect(created.status).toBe(201)
    const missing = await client(h.app, session).post('/api/v1/conversions', { data: [purchase()] })
    expect(missing.status).toBe(400)
    expect((await readError(missing)).paths[0]).toBe('siteId')
    const named = await client(h.app, session).post('/api/v1/conversions', {
      siteId: h.a.siteId,
      data: [purchase()],
    })
    expect((await readJson(named, api.conversionAnswer)).received).toBe(1)
  })
})

describe("what Meta's Business SDKs send", () => {
  it('takes nulls as fields left out, ignores the token and every field Promo does not use, stores none of them', async () => {
    const event = {
      ...purchase(),
      opt_out: null,
      event_source_url: null,
      data_processing_options: [],
      data_processing_options_country: 0,
      app_data: null,
      original_event_data: { event_name: 'Purchase' },
      user_data: {
        em: [emailHash],
        ph: null,
        fn: emailHash,
        ct: phoneHash,
        external_id: ['user-1', 'user-2'],
        client_ip_address: '2001:db8::1',
        fbc: 'fb.1.1554763741205.IwAR2F4',
        fbp: 'fb.1.1558571054389.1098115397',
        madid: null,
      },
      custom_data: {
        value: 20,
        currency: 'usd',
        contents: [{ id: 'SKU-9', quantity: 4, item_price: 5, title: 'Pen', brand: null }, { id: 42 }],
        content_type: 'product',
        content_name: 'Pens',
        num_items: 5,
        predicted_ltv: null,
        custom_properties: { gift: true },
      },
    }
    const res = await asA().post('/api/v1/conversions', {
      data: [event],
      access_token: 'EAAB-token-never-stored',
      partner_agent: 'shopify-meta',
      test_event_code: null,
      namespace_id: null,
      upload_id: null,
      upload_tag: 'nightly',
      upload_source: null,
      appsecret_proof: 'abc',
    })
    expect(await readJson(res, api.conversionAnswer)).toEqual({
      received: 1,
      deduplicated: 0,
      testEvents: 0,
      rejected: [],
    })
    const [row] = (await serverRows()).filter((r) => r.eventId === event.event_id)
    expect(row).toMatchObject({
      url: null,
      value: 20,
      currency: 'USD',
      props: {
        contents: [
          { id: 'SKU-9', quantity: 4, item_price: 5 },
          { id: '42', quantity: 1 },
        ],
      },
    })
    expect(row!.userData).toEqual({
      em: [emailHash],
      external_id: ['user-1', 'user-2'],
      fbc: 'fb.1.1554763741205.IwAR2F4',
      fbp: 'fb.1.1558571054389.1098115397',
    })
    const stored = JSON.stringify(await h.database.db.select().from(events))
    expect(stored).not.toMatch(/EAAB-token|2001:db8|shopify-meta|nightly|Pens|gift/)
  })

  it('refuses a bad test event code in the envelope with 400 at its field, storing nothing', async () => {
    const before = (await serverRows()).length
    const res = await asA().post('/api/v1/conversions', {
      data: [purchase()],
      test_event_code: 'x'.repeat(65),
    })
    expect(res.status).toBe(400)
    expect((await readError(res)).paths[0]).toBe('test_event_code')
    expect((await serverRows()).length).toBe(before)
  })
})

describe('test events (test_event_code)', () => {
  const counts = async () => {
    const [rollups, attributed, stored] = await Promise.all([
      h.database.db.execute(
        sql`select coalesce(sum(n), 0)::float8 as n, coalesce(sum(value), 0)::float8 as value
          from rollups_daily where site_id = ${h.a.siteId}`,
      ),
      h.database.db.execute(sql`select count(*)::int as n from attributions where site_id = ${h.a.siteId}`),
      h.database.db.select({ id: events.id }).from(events).where(eq(events.siteId, h.a.siteId)),
    ])
    return { rollups: rowsOf(rollups), attributions: rowsOf(attributed), events: stored.length }
  }
  const list = async (query = '', as = asA()) => {
    const res = await as.get(`/api/v1/conversions/test-events${query}`)
    expect(res.status).toBe(200)
    return readJson(res, api.testEventsAnswer)
  }

  it('keeps them apart: no event, rollup or attribution moves', async () => {
    // A visitor the pages identified, who clicked nothing: a real Purchase of theirs would be stored and rolled up.
    await browserEvent({
      id: crypto.randomUUID(),
      name: 'identify',
      at: nowSeconds() - 900,
      anonymousId: 'anon-test-1',
      userId: 'user-test-1',
    })
    const before = await counts()
    const batch = [
      purchase({ user_data: { external_id: 'user-test-1', em: emailHash, fbp: 'fb.1.1.2' } }),
      purchase({
        event_name: 'Lead',
        event_time: nowSeconds() - 30,
        custom_data: undefined,
        user_data: undefined,
      }),
    ]
    const answer = await asA().post('/api/v1/conversions', { data: batch, test_event_code: 'TEST123' })
    expect(await readJson(answer, api.conversionAnswer)).toEqual({
      received: 0,
      deduplicated: 0,
      testEvents: 2,
      rejected: [],
    })
    expect(await counts()).toEqual(before)

    const { events: listed } = await list('?code=TEST123')
    // Received together: the later event first.
    expect(listed.map((e) => e.name)).toEqual(['Lead', 'Purchase'])
    const bought = listed.find((e) => e.name === 'Purchase')!
    expect(bought).toMatchObject({
      code: 'TEST123',
      eventId: batch[0]!.event_id,
      actionSource: 'website',
      value: 49.9,
      currency: 'EUR',
      matchKeys: { em: true, ph: false, external_id: true, fbc: false, fbp: true, client_user_agent: false },
    })
    expect(JSON.stringify(listed)).not.toMatch(/836f82db|user-test-1|fb\.1\.1\.2/)
  })

  it("sends an event's own test code to the test view too, beside the batch's real events", async () => {
    const real = purchase()
    const test = purchase({ test_event_code: 'EVT-9' })
    expect(await post([real, test])).toEqual({ received: 1, deduplicated: 0, testEvents: 1, rejected: [] })
    expect((await serverRows()).some((r) => r.eventId === test.event_id)).toBe(false)
    expect((await list('?code=EVT-9')).events.map((e) => e.eventId)).toEqual([test.event_id])
  })

  it('validates a test event as a real one: a bad one is rejected by index and kept nowhere', async () => {
    const bad = purchase({ user_data: { em: ['plain@example.com'] } })
    const body = await asA().post('/api/v1/conversions', { data: [bad], test_event_code: 'BAD1' })
    const answer = await readJson(body, api.conversionAnswer)
    expect(answer.testEvents).toBe(0)
    expect(answer.rejected[0]?.error.details?.[0]?.path).toBe('user_data.em.0')
    expect((await list('?code=BAD1')).events).toEqual([])
  })

  it('lists newest first and keeps them 7 days', async () => {
    const start = h.now.value
    try {
      const first = purchase({ event_id: 'old-test' })
      await asA().post('/api/v1/conversions', { data: [first], test_event_code: 'AGE' })
      h.now.value = start + 60_000
      const second = purchase({ event_id: 'new-test' })
      await asA().post('/api/v1/conversions', { data: [second], test_event_code: 'AGE' })
      expect((await list('?code=AGE')).events.map((e) => e.eventId)).toEqual(['new-test', 'old-test'])
      expect((await list('?code=AGE&limit=1')).events.map((e) => e.eventId)).toEqual(['new-test'])
      // Eight days on, both are out of the view, and the next test post deletes them.
      h.now.value = start + 8 * 24 * hourSeconds * 1000
      expect((await list('?code=AGE')).events).toEqual([])
      const third = purchase({ event_id: 'later-test' })
      await asA().post('/api/v1/conversions', { data: [third], test_event_code: 'LATER' })
      const left = await h.database.db.select().from(testEvents).where(eq(testEvents.code, 'AGE'))
      expect(left).toEqual([])
    } finally {
      h.now.value = start
    }
  })

  it("shows a site's own test events only: another organization's key gets 404, its own list none of them", async () => {
    await asA().post('/api/v1/conversions', { data: [purchase()], test_event_code: 'ISO1' })
    const other = await asB().get(`/api/v1/conversions/test-events?siteId=${h.a.siteId}`)
    expect(other.status).toBe(404)
    expect((await list('?code=ISO1', asB())).events).toEqual([])
    expect((await list('?code=ISO1')).events).toHaveLength(1)
    const anonymous = await client(h.app).get('/api/v1/conversions/test-events')
    expect(anonymous.status).toBe(401)
  })

  it.each([
    ['?code=<script>', 'code'],
    [`?code=${'c'.repeat(65)}`, 'code'],
    ['?limit=0', 'limit'],
    ['?limit=201', 'limit'],
    ['?siteId=not-a-uuid', 'siteId'],
    ['?nope=1', ''],
  ])('answers 400 for %s', async (query, path) => {
    const res = await asA().get(`/api/v1/conversions/test-events${query}`)
    expect(res.status).toBe(400)
    const error = await readError(res)
    if (path) expect(error.paths[0]).toBe(path)
  })
})
