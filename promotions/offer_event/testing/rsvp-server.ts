/**
 * A Promo server (the registry's types, offer_event among them), run as its own process by the RSVP kill-mid-run test, which kills it with
 * SIGKILL and starts it again: `RSVP_TEST_DATABASE_URL=… RSVP_TEST_PORT=… tsx promotions/offer_event/testing/rsvp-server.ts`.
 * Prints `listening` once it takes requests.
 */
import { serve } from '@hono/node-server'
import { openPostgres } from '../../../api/adapters/db/postgres'
import { MemoryKv } from '../../../api/adapters/kv/memory'
import { createApp } from '../../../api/app'
import { serverTypes } from '../../../api/promotions'
import { testSigningSecret } from '../../../api/testing/harness'

const database = openPostgres(process.env.RSVP_TEST_DATABASE_URL!, { max: 40 })
const app = createApp(
  {
    database,
    kv: new MemoryKv(),
    signingSecret: testSigningSecret,
    now: () => Date.parse(process.env.RSVP_TEST_NOW!),
    rateLimits: { leads: { address: null, site: null } },
  },
  serverTypes,
)
serve({ fetch: app.fetch, port: Number(process.env.RSVP_TEST_PORT), hostname: '127.0.0.1' }, () => {
  process.stdout.write('listening\n')
})
