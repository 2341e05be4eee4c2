/**
 * Workers smoke test: builds, then runs the Worker under `wrangler dev` (workerd, offline) against a fresh
 * PostgreSQL database and drives it over HTTP: serve, ingest, click redirect, analytics read-back, SDK asset,
 * and a frequency cap held in Redis through the Upstash REST adapter (via the test bridge, as on Workers).
 * Ingest goes through the local Cloudflare Queue bound in wrangler.toml: an answer means the queue has the
 * events, so the checks poll PostgreSQL until the consumer has stored them, and resend batches to see each
 * event stored exactly once.
 * Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) and Redis (REDIS_URL,
 * default redis://127.0.0.1:6379).
 */
import { execSync } from 'node:child_process'
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import postgres from 'postgres'
import { openPostgres } from '../api/adapters/db/postgres'
import { serverTypes } from '../api/promotions'
import { newPublishableKey, newSecretKey } from '../api/services/auth/keys'
import { bootstrap } from '../api/services/bootstrap'
import { migrate } from '../api/services/migrate'
import { startUpstashBridge, type UpstashBridge } from '../api/testing/upstash-bridge'
import { freePort, startWrangler } from './wrangler-dev'

const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test')
const name = `promo_worker_${Date.now().toString(36)}`
const server = postgres(base.toString(), { max: 1, onnotice: () => {} })
await server.unsafe(`create database ${name}`)
const url = new URL(base)
url.pathname = `/${name}`

let passed = 0
let failed = 0
function check(label: string, ok: boolean, detail?: unknown) {
  if (ok) passed++
  else failed++
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${label}${ok ? '' : `  ${JSON.stringify(detail)}`}`)
}

let wrangler: Awaited<ReturnType<typeof startWrangler>> | undefined
let bridge: UpstashBridge | undefined
const smokeDb = postgres(url.toString(), { max: 1, onnotice: () => {} })

/** How many of these events are stored. */
async function storedCount(ids: string[]): Promise<number> {
  const [row] = await smokeDb`select count(*)::int as n from events where id = any(${ids}::uuid[])`
  return row?.n ?? 0
}

/** Polls until `expected` of the events are stored (the queue consumer works after the answer), at most 15 s. */
async function waitForStored(ids: string[], expected = ids.length): Promise<number> {
  const deadline = Date.now() + 15_000
  let stored = await storedCount(ids)
  while (stored < expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200))
    stored = await storedCount(ids)
  }
  return stored
}
try {
  if (!process.env.SKIP_BUILD) execSync('npm run build', { stdio: 'inherit' })
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const database = openPostgres(url.toString())
  await migrate(database)
  const publishableKey = newPublishableKey()
  const secretKey = newSecretKey()
  await bootstrap(database.db, {
    types: serverTypes,
    allowedOrigins: [origin],
    demoOrigin: origin,
    publishableKey,
    secretKey,
    adminPassword: 'smoke-test-password',
  })
  await database.close()

  bridge = await startUpstashBridge(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
  wrangler = await startWrangler(port, {
    DATABASE_URL: url.toString(),
    PROMO_SIGNING_SECRET: 'smoke-signing-secret-0123456789abcdef',
    PROMO_PUBLIC_URL: origin,
    UPSTASH_REDIS_REST_URL: bridge.url,
    UPSTASH_REDIS_REST_TOKEN: bridge.token,
  })
  // As a browser: the API does not count what bots (Node's fetch names itself `node`) send.
  const browser =
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'
  const api = (path: string, init?: RequestInit) =>
    fetch(`${origin}${path}`, {
      ...init,
      headers: { 'user-agent': browser, ...(init?.headers as Record<string, string>) },
    })

  const serve = await api('/api/v1/serve', {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin },
    body: JSON.stringify({
      site: publishableKey,
      slots: ['home-hero'],
      anonymousId: 'smoke-visitor',
      context: { url: `${origin}/demo/` },
    }),
  })
  const decisions = ((await serve.json()) as any).decisions ?? []
  const hero = decisions.find((d: any) => d.slot === 'home-hero')
  check(
    'serve answers a hero decision with a signed click URL',
    serve.status === 200 && hero?.clickUrl?.startsWith(`${origin}/r/`),
    decisions,
  )
  check(
    'serve answers CORS for the allowed origin',
    serve.headers.get('access-control-allow-origin') === origin,
  )

  const ids = [crypto.randomUUID(), crypto.randomUUID()]
  const batch = ids.map((id, i) => ({
    id,
    name: i === 0 ? 'impression' : 'viewable',
    timestamp: new Date().toISOString(),
    anonymousId: 'smoke-visitor',
    campaignId: hero?.campaignId,
    variantId: hero?.variantId,
    slot: 'home-hero',
  }))
  const ingest = await api('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ site: publishableKey, batch }),
  })
  const ingested = (await ingest.json()) as any
  check('events are accepted onto the queue', ingest.status === 200 && ingested.accepted === 2, ingested)
  check('the queue consumer stores them in PostgreSQL', (await waitForStored(ids)) === 2)

  // A new page event rides in the same message as each resend: once it is stored, that message was consumed.
  const pageEvent = () => ({
    id: crypto.randomUUID(),
    name: 'page',
    timestamp: new Date().toISOString(),
    anonymousId: 'smoke-visitor',
  })
  const postEvents = async (items: unknown[]) => {
    const res = await api('/api/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ site: publishableKey, batch: items }),
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  const marker = pageEvent()
  const again = await postEvents([...batch, marker])
  check('a repeated batch is answered as queued', again.status === 200 && again.body.accepted === 3, again)
  check(
    'a repeated batch stores nothing twice',
    (await waitForStored([marker.id])) === 1 && (await storedCount(ids)) === 2,
  )

  const pages = Array.from({ length: 60 }, (_, i) => ({
    ...pageEvent(),
    anonymousId: `smoke-reader-${i % 7}`,
    props: { position: i },
  }))
  const pageIds = pages.map((e) => e.id)
  const sent = await postEvents(pages)
  check(
    'a batch of 60 events is stored through the queue',
    sent.status === 200 && sent.body.accepted === 60 && (await waitForStored(pageIds)) === 60,
    { sent, stored: await storedCount(pageIds) },
  )
  const markers = [pageEvent(), pageEvent()]
  const shuffled = [...pages].sort(() => Math.random() - 0.5)
  const resent = await Promise.all([
    postEvents([...pages, markers[0]]),
    postEvents([markers[1], ...shuffled]),
  ])
  const markersStored = await waitForStored(markers.map((e) => e.id))
  const pagesStored = await storedCount(pageIds)
  check(
    'the same batch resent and resent shuffled keeps exactly 60 rows',
    resent.every((r) => r.status === 200) && markersStored === 2 && pagesStored === 60,
    { resent: resent.map((r) => r.status), markersStored, pagesStored },
  )

  // About 230 KB: more than one queue message may hold (128 KB), so the API splits it.
  const large = Array.from({ length: 100 }, (_, i) => ({
    ...pageEvent(),
    props: { position: i, note: 'x'.repeat(1_000), more: 'y'.repeat(1_000) },
  }))
  const sentLarge = await postEvents(large)
  check(
    'a batch larger than one queue message is split and stored whole',
    sentLarge.status === 200 &&
      sentLarge.body.accepted === 100 &&
      (await waitForStored(large.map((e) => e.id))) === 100,
    sentLarge,
  )

  const clickUrl = new URL(hero?.clickUrl ?? `${origin}/r/x`)
  const click = await api(clickUrl.pathname + clickUrl.search, { redirect: 'manual' })
  check(
    'the click redirect goes to the signed URL',
    click.status === 302 && Boolean(click.headers.get('location')?.includes('utm_campaign=winter-sale')),
    click.status,
  )

  // The click goes through the queue too: read analytics until the consumer has stored it (at most 15 s).
  let totals: any
  for (const started = Date.now(); Date.now() - started < 15_000; ) {
    const analytics = await api(`/api/v1/campaigns/${hero?.campaignId}/analytics`, {
      headers: { authorization: `Bearer ${secretKey}` },
    })
    totals = ((await analytics.json()) as any).totals
    if (totals?.clicks >= 1) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  check(
    'analytics read back impressions, viewable impressions and clicks',
    totals?.impressions === 1 && totals?.viewableImpressions === 1 && totals?.clicks === 1,
    totals,
  )

  const sdk = await api('/sdk/promo.js')
  check(
    'the SDK is served as a static asset',
    sdk.status === 200 && (await sdk.text()).length > 500,
    sdk.status,
  )
  const unauthorized = await api('/api/v1/campaigns')
  check('admin routes refuse a request without a key', unauthorized.status === 401)

  // A forged Host (fetch cannot set one): click URLs still point at PROMO_PUBLIC_URL.
  const forged = await new Promise<string>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/serve',
        method: 'POST',
        headers: {
          host: 'account-security.evil.example',
          'content-type': 'application/json',
          'user-agent': browser,
        },
      },
      (res) => {
        let text = ''
        res.on('data', (chunk) => {
          text += chunk
        })
        res.on('end', () => resolve(text))
      },
    )
    req.on('error', reject)
    req.end(JSON.stringify({ site: publishableKey, slots: ['home-hero'], anonymousId: 'smoke-forged' }))
  })
  const forgedHero = (JSON.parse(forged).decisions ?? []).find((d: any) => d.slot === 'home-hero')
  check(
    'a forged Host does not reach click URLs',
    forgedHero?.clickUrl?.startsWith(`${origin}/r/`) && !forged.includes('evil.example'),
    forged.slice(0, 300),
  )

  // A webhook stored at a private address (as if saved where that was allowed), with a delivery due: the cron's
  // retry goes through the same guard as a first try and sends nothing.
  const hits: string[] = []
  const receiver = createServer((req, res) => {
    hits.push(req.url ?? '')
    res.end()
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  try {
    const receiverPort = (receiver.address() as AddressInfo).port
    const [site] = await smokeDb`select id from sites where publishable_key = ${publishableKey}`
    const [hook] = await smokeDb`insert into webhooks (site_id, url, secret, events)
      values (${site!.id}, ${`http://127.0.0.1:${receiverPort}/hook`}, 'whsec_smoke', '["lead.created"]'::jsonb)
      returning id`
    const [delivery] = await smokeDb`insert into webhook_deliveries
      (webhook_id, site_id, event, payload, status, next_attempt_at)
      values (${hook!.id}, ${site!.id}, 'lead.created', '{}'::jsonb, 'pending', now() - interval '1 second')
      returning id`
    await api('/__scheduled?cron=*+*+*+*+*')
    let row: any
    for (const started = Date.now(); Date.now() - started < 10_000; ) {
      ;[row] = await smokeDb`select attempts, last_error from webhook_deliveries where id = ${delivery!.id}`
      if (row?.attempts >= 1) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    check(
      "the cron's webhook retry refuses a private address and names none",
      row?.attempts === 1 && row?.last_error === 'could not connect' && hits.length === 0,
      { row, hits },
    )
  } finally {
    receiver.close()
  }

  // A cap of one serve a day, counted in Redis through Upstash REST: every request has its own app, so only
  // the shared store can remember the first serve.
  const admin = { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' }
  const created = (await (
    await api('/api/v1/campaigns', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        name: 'Smoke cap',
        type: 'awareness',
        placements: ['smoke-cap'],
        config: { format: 'hero' },
        frequency: { perDay: 1, countOn: 'serve' },
        variants: [{ name: 'A', creative: { headline: 'Once a day' } }],
      }),
    })
  ).json()) as any
  await api(`/api/v1/campaigns/${created.id}/activate`, { method: 'POST', headers: admin })
  const capped = async () => {
    const res = await api('/api/v1/serve', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ site: publishableKey, slots: ['smoke-cap'], anonymousId: 'smoke-capped' }),
    })
    return (((await res.json()) as any).decisions ?? []).map((d: any) => d.campaignId)
  }
  const first = await capped()
  const second = await capped()
  check(
    'a frequency cap holds across requests through Upstash REST',
    first.includes(created.id) && !second.includes(created.id),
    { first, second },
  )
} catch (error) {
  failed++
  console.error(error)
} finally {
  wrangler?.stop()
  await bridge?.close()
  await smokeDb.end()
  await new Promise((r) => setTimeout(r, 500))
  await server.unsafe(`drop database if exists ${name} with (force)`)
  await server.end()
}
console.log(`worker smoke: ${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
