import { describe, expect, it } from 'vitest'
import { demoSession, keys } from '../examples/browser-harness'
import { sites } from '../schema/db'

const admin = demoSession()

/** The owner invites a viewer through the API, and the viewer joins, as the invitation's link does. */
async function joinAsViewer(email: string, password: string) {
  const origin = admin.server.origin
  const login = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: keys.email, password: keys.password }),
  })
  expect(login.status).toBe(200)
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
  const { csrfToken } = (await login.json()) as { csrfToken: string }
  const invited = await fetch(`${origin}/api/v1/team/invitations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ email, role: 'viewer' }),
  })
  expect(invited.status, await invited.clone().text()).toBe(201)
  const token = new URL(((await invited.json()) as { acceptUrl: string }).acceptUrl).searchParams.get('token')
  const accepted = await fetch(`${origin}/api/v1/auth/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ token, name: 'Vera', password }),
  })
  expect(accepted.status, await accepted.clone().text()).toBe(201)
}

describe('a viewer in Chromium', () => {
  it('reads campaigns and sites with nothing on screen to change them by', async () => {
    await joinAsViewer('vera@browser.test', 'viewer-test-password')
    const [site] = await admin.server.database.db.select().from(sites)
    const page = await admin.browser.newPage()
    await page.goto(`${admin.server.origin}/admin/sites/${site!.id}`)
    await page.getByLabel('Email').fill('vera@browser.test')
    await page.getByLabel('Password').fill('viewer-test-password')
    await page.getByRole('button', { name: /sign in/i }).click()

    await expect.poll(() => page.getByLabel('Origin 1').inputValue(), { timeout: 15_000 }).toMatch(/^http/)
    // Seen, not changeable: the settings' fields are disabled, and no save, rotate or new key is on screen.
    expect(await page.getByLabel('Origin 1').isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: 'Save settings' }).isVisible()).toBe(false)
    expect(await page.getByRole('button', { name: /Rotate key/ }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Create secret key' }).isVisible()).toBe(false)
    expect(await page.locator('.read-only-note').first().textContent()).toContain('Your role (viewer)')

    await page.goto(`${admin.server.origin}/admin/campaigns/${admin.ids['Winter sale hero']}`)
    await expect
      .poll(() => page.locator('#field-name').inputValue(), { timeout: 15_000 })
      .toBe('Winter sale hero')
    expect(await page.locator('#field-name').isDisabled()).toBe(true)
    expect(await page.getByRole('button', { name: 'Save changes' }).count()).toBe(0)
    expect(await page.locator('[data-action]').count()).toBe(0)

    await page.goto(`${admin.server.origin}/admin/campaigns`)
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe('Campaigns')
    expect(await page.getByRole('link', { name: 'New campaign' }).count()).toBe(0)
    await page.close()
  })
})
