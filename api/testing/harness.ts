import { eq } from 'drizzle-orm'
import type { z } from 'zod'
import { errorAnswer } from '../../schema/api'
import { organizations, sites, users } from '../../schema/db'
import { MemoryKv } from '../adapters/kv/memory'
import { RedisKv } from '../adapters/kv/redis'
import { publicOnlyFetch } from '../adapters/webhook-fetch'
import { createApp } from '../app'
import type { Database } from '../ports/database'
import type { Kv } from '../ports/kv'
import type { ServerTypes } from '../promotion'
import { createSecretKey, newPublishableKey } from '../services/auth/keys'
import { hashPassword } from '../services/auth/password'
import type { Deps } from '../services/deps'
import { testDatabase } from './database'

export interface Tenant {
  organizationId: string
  siteId: string
  publishableKey: string
  secretKey: string
  email: string
  password: string
  origin: string
}

const password = 'correct horse battery staple'
let passwordHash: Promise<string> | undefined

/** An organization with one site, its keys and an admin user. */
export async function createTenant(database: Database, label: string): Promise<Tenant> {
  passwordHash ??= hashPassword(password)
  const db = database.db
  const origin = `https://${label}.example`
  const [org] = await db
    .insert(organizations)
    .values({ name: `Org ${label}` })
    .returning()
  const [site] = await db
    .insert(sites)
    .values({
      organizationId: org!.id,
      name: `Site ${label}`,
      allowedOrigins: [origin],
      publishableKey: newPublishableKey(),
    })
    .returning()
  const secret = await createSecretKey(db, site!.id)
  const email = `${label}-${org!.id.slice(0, 8)}@example.com`
  await db
    .insert(users)
    .values({ organizationId: org!.id, email, name: label, passwordHash: await passwordHash })
  return {
    organizationId: org!.id,
    siteId: site!.id,
    publishableKey: site!.publishableKey,
    secretKey: secret.key,
    email,
    password,
    origin,
  }
}

export interface Harness {
  app: ReturnType<typeof createApp>
  database: Database
  a: Tenant
  b: Tenant
  now: { value: number }
  close(): Promise<void>
}

/**
 * The serving store tests run against: the real Redis when REDIS_URL is set (as CI's second run does), each
 * harness under its own key prefix, else memory.
 */
export function testKv(): Kv {
  const url = process.env.REDIS_URL
  if (!url) return new MemoryKv()
  return new RedisKv(url, {
    prefix: `promo-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}:`,
  })
}

/** The harness app's signing secret, for tests that sign what a browser would have been handed. */
export const testSigningSecret = 'test-signing-secret-0123456789abcdef'

/**
 * An app over a fresh database with two organizations, A and B, for isolation tests; `deps` adds to its deps, and
 * `types` stands for the server registry (a type not registered yet, mounted for its tests).
 */
export async function createHarness(deps: Partial<Deps> = {}, types?: ServerTypes): Promise<Harness> {
  const database = await testDatabase()
  const now = { value: Date.parse('2026-11-29T12:00:00Z') }
  const kv = testKv()
  const app = createApp(
    {
      database,
      kv,
      signingSecret: testSigningSecret,
      now: () => now.value,
      // Webhook receivers in tests listen on 127.0.0.1; the refusal of private addresses is tested on its own.
      webhookFetch: publicOnlyFetch(true),
      ...deps,
    },
    types,
  )
  const a = await createTenant(database, 'a')
  const b = await createTenant(database, 'b')
  return {
    app,
    database,
    a,
    b,
    now,
    close: async () => void (await Promise.all([database.close(), kv.close()])),
  }
}

export type Body = Record<string, unknown> | unknown[]

/** Small request helpers over `app.request`, so tests read like the HTTP they send. */
export function client(
  app: Harness['app'],
  auth?: { secretKey?: string; cookie?: string; csrf?: string; origin?: string },
) {
  const headers = (extra: Record<string, string> = {}) => {
    const h: Record<string, string> = { ...extra }
    if (auth?.secretKey) h.authorization = `Bearer ${auth.secretKey}`
    if (auth?.cookie) h.cookie = auth.cookie
    if (auth?.csrf) h['x-csrf-token'] = auth.csrf
    if (auth?.origin) h.origin = auth.origin
    return h
  }
  const send = (method: string, path: string, body?: Body | string, contentType = 'application/json') =>
    app.request(path, {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': contentType }),
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
  return {
    get: (path: string) => send('GET', path),
    post: (path: string, body?: Body | string, contentType?: string) =>
      send('POST', path, body ?? {}, contentType),
    patch: (path: string, body: Body) => send('PATCH', path, body),
    delete: (path: string) => send('DELETE', path),
    send,
  }
}

/**
 * A response's JSON body, checked against the schema the API documents for it (schema/api.ts) and typed by it:
 * an answer that drifts from its documented shape fails the test that reads it. It answers the body as sent,
 * not as parsed: the schemas' objects are open, and a test may look at fields beyond them.
 */
export async function readJson<T extends z.ZodType>(res: Response, schema: T): Promise<z.output<T>> {
  const body: unknown = await res.json()
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(
      `${res.status} answer does not match its schema: ${problems.join('; ')}\n${JSON.stringify(body)}`,
    )
  }
  return body as z.output<T>
}

/**
 * An error answer's `error`, checked against PRODUCT.md's shape `{"error":{"code","message","details"}}`, with
 * `paths`: the failing field paths of a validation error's details (none for other errors).
 */
export async function readError(res: Response) {
  const { error } = await readJson(res, errorAnswer)
  const details = Array.isArray(error.details) ? (error.details as unknown[]) : []
  const paths = details.flatMap((d) =>
    typeof d === 'object' && d !== null && typeof (d as { path?: unknown }).path === 'string'
      ? [(d as { path: string }).path]
      : [],
  )
  return { ...error, paths }
}

export async function login(app: Harness['app'], tenant: Tenant) {
  const res = await client(app).post('/api/v1/auth/login', { email: tenant.email, password: tenant.password })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!
  const body = (await res.json()) as { csrfToken: string }
  return { cookie, csrf: body.csrfToken }
}

export const awarenessCampaign = (overrides: Record<string, unknown> = {}) => ({
  name: 'Winter sale',
  type: 'awareness',
  placements: ['home-hero'],
  config: { format: 'hero' },
  variants: [
    {
      name: 'A',
      weight: 1,
      creative: {
        headline: 'Winter sale',
        body: 'Up to 40% off',
        ctaText: 'Shop now',
        ctaUrl: 'https://shop.example/sale',
        imageUrl: 'https://shop.example/a.jpg',
      },
    },
  ],
  ...overrides,
})

export async function orgIdOfUser(database: Database, email: string) {
  const [row] = await database.db
    .select({ org: users.organizationId })
    .from(users)
    .where(eq(users.email, email))
  return row?.org
}
