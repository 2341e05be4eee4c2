import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import { type BrowserContext, chromium } from 'playwright-core'
import postgres from 'postgres'
import { afterAll, beforeAll } from 'vitest'
import type { Db } from '../api/ports/database'
import { start } from '../api/runtime/node'
import { campaigns, events } from '../schema/db'

export const keys = {
  publishable: 'pk_test_browserbrowserbrowser01',
  secret: 'sk_test_browserbrowserbrowserbrowser01',
  email: 'admin@browser.test',
  password: 'browser-test-password',
}

/**
 * The real Node server (built SDK, admin and demo) on a free port over a fresh database: PostgreSQL when
 * DATABASE_URL is set (a new database, dropped after), else PGlite in a temporary folder.
 */
export async function startServer(options: { now?: () => number } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'promo-browser-'))
  let databaseUrl: string | undefined
  let dropDatabase = async () => {}
  if (process.env.DATABASE_URL) {
    const name = `promo_browser_${Date.now().toString(36)}`
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
    await admin.end()
    const url = new URL(process.env.DATABASE_URL)
    url.pathname = `/${name}`
    databaseUrl = url.toString()
    dropDatabase = async () => {
      const cleanup = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
      await cleanup.unsafe(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    }
  }
  const server = await start(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      PROMO_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      PROMO_PUBLISHABLE_KEY: keys.publishable,
      PROMO_SECRET_KEY: keys.secret,
      PROMO_ADMIN_EMAIL: keys.email,
      PROMO_ADMIN_PASSWORD: keys.password,
      PROMO_LOG: 'silent',
      // The tests' webhook receivers listen on this machine.
      PROMO_WEBHOOKS_ALLOW_PRIVATE: '1',
    },
    options,
  )
  const origin = `http://127.0.0.1:${server.port}`
  return {
    ...server,
    origin,
    async close() {
      await server.close()
      await dropDatabase()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

const desktopChrome =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

/** Debian's chromium, headless, with the flags this closed network needs and a fresh profile. */
export async function launchChromium(): Promise<BrowserContext & { cleanup(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'promo-chromium-'))
  // Playwright passes the profile as --user-data-dir itself.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },

    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Headless Chromium names itself HeadlessChrome, which the API rightly takes for a bot and does not count;
      // the flag (unlike a per-page override) also covers beacons sent while a page unloads.
      `--user-agent=${desktopChrome}`,
    ],
  })
  return Object.assign(context, {
    async cleanup() {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  })
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `read` until `ok` holds; the error names what never came and the last value seen. */
export async function until<T>(
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`)
    await sleep(100)
  }
}

/** Rows of one event name for one campaign, as the server stored them. */
export function eventCounter(db: Db) {
  return async (campaignId: string, name: string) =>
    (
      await db
        .select({ id: events.id })
        .from(events)
        .where(and(eq(events.campaignId, campaignId), eq(events.name, name)))
    ).length
}

/**
 * Registers the suite's hooks: one real server and one Chromium for the file, the seeded campaigns' ids by
 * name, and an event counter over the server's database. Read the fields inside tests, after `beforeAll`.
 */
export function demoSession() {
  const session = {
    server: undefined as unknown as Awaited<ReturnType<typeof startServer>>,
    browser: undefined as unknown as Awaited<ReturnType<typeof launchChromium>>,
    ids: {} as Record<string, string>,
    count: (campaignId: string, name: string) => eventCounter(session.server.database.db)(campaignId, name),
  }
  beforeAll(async () => {
    session.server = await startServer()
    session.browser = await launchChromium()
    for (const row of await session.server.database.db.select().from(campaigns))
      session.ids[row.name] = row.id
  })
  afterAll(async () => {
    await session.browser?.cleanup()
    await session.server?.close()
  })
  return session
}
