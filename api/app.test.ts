import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, createHarness, type Harness } from './testing/harness'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

describe('what a browser may open', () => {
  it('tells browsers not to sniff its type: admin JSON and CSV, health, and every error', async () => {
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const answers = [
      await client(h.app).get('/healthz'),
      await client(h.app).get('/api/v1/nothing-here'),
      await client(h.app).get('/api/v1/serve'),
      await admin.get('/api/v1/leads/export.csv'),
      await admin.get('/api/v1/campaigns'),
      await client(h.app).get('/r/not-a-signed-click'),
      await client(h.app).get('/d/not-a-token'),
      await client(h.app).post('/api/v1/serve', '{not json'),
    ]
    expect(answers.map((res) => [res.status, res.headers.get('x-content-type-options')])).toEqual(
      answers.map((res) => [res.status, 'nosniff']),
    )
    expect(answers.map((res) => res.status)).toContain(200)
  })
})
