/**
 * `npm run screenshots`: the admin's main screens, on a desktop (1280 × 800) and a phone (390 × 844), saved to
 * docs/screenshots/<screen>-<device>.png from the real server over a fresh database with the demo data, plus two
 * weeks of visits to the demo hero so its results have something to show. Needs `npm run build` and Chromium
 * (`CHROMIUM_PATH`, else /usr/bin/chromium).
 */
import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { keys, launchChromium, startServer } from '../examples/browser-harness'
import { campaigns } from '../schema/db'

const outdir = fileURLToPath(new URL('../docs/screenshots/', import.meta.url))
const devices = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
}
const browserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

/** The screens shown in the README: a file name and a path, `:hero` standing for the demo hero's id. */
const screens: { file: string; path: string; signedOut?: boolean }[] = [
  { file: 'login', path: '/admin/login', signedOut: true },
  { file: 'campaigns', path: '/admin/campaigns' },
  { file: 'new-campaign', path: '/admin/campaigns/new' },
  { file: 'campaign-editor', path: '/admin/campaigns/:hero' },
  { file: 'results', path: '/admin/campaigns/:hero/results' },
  { file: 'audiences', path: '/admin/audiences' },
  { file: 'leads', path: '/admin/leads' },
  { file: 'experiments', path: '/admin/experiments' },
  { file: 'sites', path: '/admin/sites' },
  { file: 'team', path: '/admin/team' },
  { file: 'audit', path: '/admin/audit' },
]

/** A deterministic spread of visits: fewer long ago, some clicks, over the last 14 days. */
async function seedVisits(origin: string, campaignId: string) {
  const response = await fetch(`${origin}/api/v1/campaigns/${campaignId}`, {
    headers: { authorization: `Bearer ${keys.secret}` },
  })
  const campaign = (await response.json()) as { variants: { id: string }[] }
  const variantId = campaign.variants[0]?.id
  const now = Date.now()
  const events: Record<string, unknown>[] = []
  for (let day = 13; day >= 0; day--) {
    const visitors = 30 + ((13 - day) * 7 + ((day * 37) % 11))
    for (let visitor = 0; visitor < visitors; visitor++) {
      const anonymousId = `demo-visitor-${(visitor * 7 + day) % 400}`
      const at = (offset: number) =>
        new Date(now - day * 86_400_000 - visitor * 60_000 + offset).toISOString()
      const base = { campaignId, variantId, slot: 'home-hero', anonymousId, url: `${origin}/demo/` }
      events.push({ id: randomUUID(), name: 'page', timestamp: at(-500), anonymousId, url: base.url })
      events.push({ ...base, id: randomUUID(), name: 'impression', timestamp: at(0) })
      if (visitor % 5 !== 0)
        events.push({ ...base, id: randomUUID(), name: 'viewable', timestamp: at(1_000) })
      if (visitor % 9 === 0) events.push({ ...base, id: randomUUID(), name: 'click', timestamp: at(3_000) })
    }
  }
  for (let start = 0; start < events.length; start += 100) {
    const answer = await fetch(`${origin}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': browserAgent },
      body: JSON.stringify({ site: keys.publishable, batch: events.slice(start, start + 100) }),
    })
    const result = (await answer.json()) as { accepted?: number; rejected?: unknown[] }
    if (!answer.ok || result.rejected?.length)
      throw new Error(
        `the demo visits were refused: ${answer.status} ${JSON.stringify(result).slice(0, 300)}`,
      )
  }
}

async function signIn(page: Page, origin: string) {
  await page.goto(`${origin}/admin/login`)
  await page.getByLabel('Email').fill(keys.email)
  await page.getByLabel('Password').fill(keys.password)
  await page.getByRole('button', { name: /sign in/i }).click()
  await page.getByRole('heading', { name: 'Campaigns' }).waitFor()
}

/** Waits for the screen's heading and for nothing on it to say it is still loading. */
async function settled(page: Page) {
  await page.waitForFunction(() => {
    const main = document.querySelector('#main')
    return Boolean(main?.querySelector('h1')) && !/Loading[^\n]*…/.test(main?.textContent ?? '')
  })
  // The preview's unit draws from its own chunk; give it a moment to appear.
  await page.waitForLoadState('networkidle')
}

async function main() {
  await mkdir(outdir, { recursive: true })
  const server = await startServer()
  const browser = await launchChromium()
  try {
    const rows = await server.database.db.select().from(campaigns)
    const hero = rows.find((row) => row.name === 'Winter sale hero')
    if (!hero) throw new Error('the demo data has no “Winter sale hero” campaign')
    await seedVisits(server.origin, hero.id)

    const page = await browser.newPage()
    for (const [device, viewport] of Object.entries(devices)) {
      await page.setViewportSize(viewport)
      await browser.clearCookies()
      for (const screen of screens.filter((option) => option.signedOut)) {
        await page.goto(`${server.origin}${screen.path}`)
        await settled(page)
        await page.screenshot({ path: join(outdir, `${screen.file}-${device}.png`) })
      }
      await signIn(page, server.origin)
      for (const screen of screens.filter((option) => !option.signedOut)) {
        await page.goto(`${server.origin}${screen.path.replace(':hero', hero.id)}`)
        await settled(page)
        await page.screenshot({ path: join(outdir, `${screen.file}-${device}.png`) })
        console.log(`docs/screenshots/${screen.file}-${device}.png`)
      }
    }
  } finally {
    await browser.cleanup()
    await server.close()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
