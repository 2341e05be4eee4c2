import { publicOnlyFetch } from '../../../api/adapters/webhook-fetch'
import { createApp } from '../../../api/app'
import type { Database } from '../../../api/ports/database'
import type { Deps } from '../../../api/services/deps'
import { client, createTenant, type Tenant, testKv, testSigningSecret } from '../../../api/testing/harness'

type App = ReturnType<typeof createApp>

/**
 * An app with the registry's types (sales among them) over `database`, with
 * two tenants for isolation tests; `deps` adds to its deps.
 */
export async function salesHarness(database: Database, deps: Partial<Deps> = {}) {
  const now = { value: Date.parse('2026-11-29T12:00:00Z') }
  const kv = testKv()
  const app = createApp({
    database,
    kv,
    signingSecret: testSigningSecret,
    now: () => now.value,
    webhookFetch: publicOnlyFetch(true),
    ...deps,
  })
  const a = await createTenant(database, 'a')
  const b = await createTenant(database, 'b')
  return { app, a, b, now, close: async () => void (await Promise.all([database.close(), kv.close()])) }
}

/** A sales campaign as a marketer would make it: a product promo with a 10% discount, in euros. */
export const salesCampaign = (config: Record<string, unknown> = {}) => ({
  name: 'Winter sale',
  type: 'sales',
  placements: ['home-hero'],
  config: {
    nudge: 'product_promo',
    discount: { type: 'percentage', value: 10 },
    currency: 'EUR',
    ...config,
  },
  variants: [
    {
      name: 'A',
      creative: { headline: '10% off this week', ctaText: 'Shop', ctaUrl: 'https://a.example/s' },
    },
  ],
})

/** Creates and activates the tenant's sales campaign through the admin API (a base URL for a real server). */
export async function startSales(
  target: App | string,
  tenant: Tenant,
  config: Record<string, unknown> = {},
): Promise<{ campaignId: string; variantId: string }> {
  const send = (path: string, body: unknown) =>
    typeof target === 'string'
      ? fetch(`${target}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tenant.secretKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      : client(target, { secretKey: tenant.secretKey }).post(path, body as Record<string, unknown>)
  const created = await send('/api/v1/campaigns', salesCampaign(config))
  if (created.status !== 201) throw new Error(`campaign not created: ${await created.text()}`)
  const campaign = (await created.json()) as { id: string; variants: { id: string }[] }
  const started = await send(`/api/v1/campaigns/${campaign.id}/activate`, {})
  if (started.status !== 200) throw new Error(`campaign not activated: ${await started.text()}`)
  return { campaignId: campaign.id, variantId: campaign.variants[0]!.id }
}
