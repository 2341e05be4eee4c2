import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maxBodyDepth } from '../../schema/limits'
import { createApp } from '../app'
import { awarenessCampaign, client, createHarness, type Harness, login, readError } from '../testing/harness'

/**
 * Every JSON body the API reads, public or admin, is refused with a 400 at the body when its arrays and objects
 * nest deeper than `maxBodyDepth`: counted before parsing, so no recursion (ours or a schema's) ever walks it.
 */
let h: Harness
let app: ReturnType<typeof createApp>
const logged: string[] = []
const ids = { campaign: '', audience: '' }
let session: { cookie: string; csrf: string }

beforeAll(async () => {
  h = await createHarness()
  app = createApp({
    database: h.database,
    signingSecret: 'test-signing-secret-0123456789abcdef',
    now: () => h.now.value,
    log: { info() {}, error: (message, fields) => void logged.push(`${message} ${JSON.stringify(fields)}`) },
  })
  session = await login(app, h.a)
  const admin = client(app, session)
  ids.campaign = ((await (await admin.post('/api/v1/campaigns', awarenessCampaign())).json()) as any).id
  const audience = await admin.post('/api/v1/audiences', {
    key: 'pricing_twice',
    name: 'Viewed pricing twice',
    lookbackDays: 14,
    rule: { field: 'event', name: 'page', op: 'gte', count: 2 },
  })
  expect(audience.status).toBe(201)
  ids.audience = ((await audience.json()) as any).id
})
afterAll(() => h.close())

const nested = (depth: number, inner = '0') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`

/** Each route that takes a body, with real ids in its path, so the body is what it answers about. */
function bodyRoutes() {
  const seen = new Set<string>()
  const routes: { method: string; path: string; route: string }[] = []
  for (const { method, path } of app.routes) {
    // Signing out and rotating the key would end the session and the key the other calls use; neither reads a body.
    if (!['POST', 'PUT', 'PATCH'].includes(method) || /\/(logout|rotate)$/.test(path)) continue
    if (seen.has(`${method} ${path}`)) continue
    seen.add(`${method} ${path}`)
    const area = path.split('/')[3]
    const real = area === 'sites' ? h.a.siteId : area === 'audiences' ? ids.audience : ids.campaign
    const filled = path
      .replace(/:type\{[^}]*\}/, 'awareness')
      .replace(/:action\{[^}]*\}/, 'pause')
      .replace(/:id/, real)
    routes.push({ method, path: filled, route: `${method} ${path}` })
  }
  return routes
}

const send = (method: string, path: string, body: string, contentType = 'application/json') =>
  app.request(path, {
    method,
    headers: { 'content-type': contentType, cookie: session.cookie, 'x-csrf-token': session.csrf },
    body,
  })

describe('a JSON body nested too deep', () => {
  it(`is a 400 at the body on every route that reads one, past ${maxBodyDepth} levels, never a 500 or a logged stack`, async () => {
    const site = h.a.publishableKey
    const bodies = [
      nested(100_000),
      `{"site":"${site}","batch":[${nested(100_000, '{}')}]}`,
      `{"site":"${site}","fields":{"a":${nested(maxBodyDepth)}}}`,
    ]
    const answers: Record<string, number[]> = {}
    const bodyErrors: unknown[] = []
    for (const { method, path, route } of bodyRoutes()) {
      answers[route] = []
      for (const body of bodies) {
        const res = await send(method, path, body)
        answers[route].push(res.status)
        const error = res.status === 400 ? ((await res.json()) as any).error : undefined
        if (error?.details?.[0]?.path === '') bodyErrors.push(error)
      }
    }
    expect(Object.entries(answers).filter(([, statuses]) => statuses.some((s) => s >= 500))).toEqual([])
    expect(logged).toEqual([])
    const tooDeep = `nested more than ${maxBodyDepth} levels deep`
    expect(bodyErrors.length).toBeGreaterThan(0)
    for (const error of bodyErrors) {
      expect(error).toEqual({
        code: 'validation_failed',
        message: `body: ${tooDeep}`,
        details: [{ path: '', message: tooDeep }],
      })
    }
    // Every route that reads JSON says so at the body: those that answer before reading (a path that names
    // nothing, an action that takes no body, CSV only) are left out of this list by what they answer.
    const refusedAtBody = Object.entries(answers)
      .filter(([, statuses]) => statuses.every((s) => s === 400))
      .map(([route]) => route)
    for (const route of [
      'POST /api/v1/serve',
      'POST /api/v1/events',
      'POST /api/v1/leads',
      'POST /api/v1/auth/login',
      'POST /api/v1/sites',
      'PATCH /api/v1/sites/:id',
      'POST /api/v1/sites/:id/attribution/recompute',
      'POST /api/v1/audiences',
      'PATCH /api/v1/audiences/:id',
      'POST /api/v1/conversions',
      'PUT /api/v1/content',
      'POST /api/v1/webhooks',
      'POST /api/v1/campaigns',
      'PATCH /api/v1/campaigns/:id',
    ]) {
      expect(refusedAtBody, route).toContain(route)
    }
  })

  it('as text/plain on the public routes too; one level less is read as usual', async () => {
    const res = await send('POST', '/api/v1/events', nested(maxBodyDepth + 1), 'text/plain')
    expect(res.status).toBe(400)
    expect((await readError(res)).details).toEqual([
      { path: '', message: `nested more than ${maxBodyDepth} levels deep` },
    ])
    const atLimit = await send(
      'POST',
      '/api/v1/events',
      `{"site":"${h.a.publishableKey}","batch":[${nested(maxBodyDepth - 2)}]}`,
      'text/plain',
    )
    expect(atLimit.status).toBe(200)
    expect(((await atLimit.json()) as any).rejected).toHaveLength(1)
    // Brackets inside strings are text, not nesting.
    const inText = await send(
      'POST',
      '/api/v1/events',
      `{"site":"${h.a.publishableKey}","batch":[{"id":"${'['.repeat(100)}\\"{"}]}`,
    )
    expect(inText.status).toBe(200)
  })
})
