import { createApp } from '../../../api/app'
import { serverTypes } from '../../../api/promotions'
import type { Deps } from '../../../api/services/deps'
import type { FollowUpDeps } from '../../../api/services/followup/types'
import { client, type Harness, type Tenant, testKv, testSigningSecret } from '../../../api/testing/harness'

/** The harness's database and clock, served by an app with the registry's types and the given deps (a mailer). */
export function eventApp(h: Harness, deps: Partial<Deps & FollowUpDeps> = {}) {
  return createApp(
    {
      database: h.database,
      kv: testKv(),
      signingSecret: testSigningSecret,
      now: () => h.now.value,
      ...deps,
    },
    serverTypes,
  )
}

/** An in-person event on 2026-12-20, as a marketer would set it up; `event` adds to its event. */
export const eventCampaign = (event: Record<string, unknown> = {}) => ({
  name: 'Winter meetup',
  type: 'offer_event',
  config: {
    kind: 'event',
    event: {
      startsAt: '2026-12-20T18:00:00+01:00',
      venue: { name: 'Hall 4', city: 'Lyon', country: 'FR' },
      capacity: 2,
      ...event,
    },
  },
  variants: [{ name: 'A', creative: { headline: 'Join us' } }],
})

/** Creates the event campaign for the tenant through the admin API and, unless told not to, activates it. */
export async function startEvent(
  app: ReturnType<typeof eventApp>,
  tenant: Tenant,
  event: Record<string, unknown> = {},
  activate = true,
): Promise<string> {
  const admin = client(app, { secretKey: tenant.secretKey })
  const created = await admin.post('/api/v1/campaigns', eventCampaign(event))
  if (created.status !== 201) throw new Error(`campaign not created: ${await created.text()}`)
  const campaign = (await created.json()) as { id: string }
  if (activate) {
    const started = await admin.post(`/api/v1/campaigns/${campaign.id}/activate`)
    if (started.status !== 200) throw new Error(`campaign not activated: ${await started.text()}`)
  }
  return campaign.id
}
