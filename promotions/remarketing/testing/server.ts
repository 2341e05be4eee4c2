import { publicOnlyFetch } from '../../../api/adapters/webhook-fetch'
import { createApp } from '../../../api/app'
import type { Database } from '../../../api/ports/database'
import { client, createTenant, type Tenant, testKv, testSigningSecret } from '../../../api/testing/harness'

type App = ReturnType<typeof createApp>

export const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'

/** An app with the registry's types (remarketing among them) over `database`, a test clock and two tenants. */
export async function remarketingHarness(database: Database) {
  const now = { value: Date.parse('2026-11-29T12:00:00Z') }
  const kv = testKv()
  const app = createApp({
    database,
    kv,
    signingSecret: testSigningSecret,
    now: () => now.value,
    webhookFetch: publicOnlyFetch(true),
  })
  const a = await createTenant(database, 'a')
  const b = await createTenant(database, 'b')
  return { app, a, b, now, close: async () => void (await Promise.all([database.close(), kv.close()])) }
}

/** A cart reminder as a marketer would make it: a popup with the visitor's products and a 10% code. */
export const remarketingCampaign = (
  config: Record<string, unknown> = {},
  more: Record<string, unknown> = {},
) => ({
  name: 'Your cart is waiting',
  type: 'remarketing',
  placements: [],
  config: {
    audience: { kind: 'cart_abandoners', lookbackDays: 7 },
    format: 'popup',
    dynamicContent: true,
    incentive: { type: 'percentage', value: 10, promoCode: 'COMEBACK10' },
    ...config,
  },
  variants: [
    {
      name: 'A',
      creative: {
        headline: 'Your cart is waiting',
        body: 'Finish your order today.',
        ctaText: 'Back to my cart',
        ctaUrl: 'https://a.example/cart',
      },
    },
  ],
  ...more,
})

/** Creates and activates the tenant's remarketing campaign through the admin API. */
export async function startRemarketing(
  app: App,
  tenant: Tenant,
  config: Record<string, unknown> = {},
  more: Record<string, unknown> = {},
): Promise<{ campaignId: string; variantId: string }> {
  const admin = client(app, { secretKey: tenant.secretKey })
  const created = await admin.post('/api/v1/campaigns', remarketingCampaign(config, more))
  if (created.status !== 201) throw new Error(`campaign not created: ${await created.text()}`)
  const campaign = (await created.json()) as { id: string; variants: { id: string }[] }
  const started = await admin.post(`/api/v1/campaigns/${campaign.id}/activate`)
  if (started.status !== 200) throw new Error(`campaign not activated: ${await started.text()}`)
  return { campaignId: campaign.id, variantId: campaign.variants[0]!.id }
}

/** Three catalog products of the tenant's site: two in stock, one out of stock. */
export async function putCatalog(app: App, tenant: Tenant) {
  const res = await client(app, { secretKey: tenant.secretKey }).send('PUT', '/api/v1/products', {
    products: [
      {
        id: 'SKU-1',
        title: 'Blue mug',
        url: 'https://a.example/p/1',
        imageUrl: 'https://a.example/1.jpg',
        price: 12,
        currency: 'EUR',
        availability: 'in_stock',
      },
      { id: 'SKU-2', title: 'Red scarf', url: 'https://a.example/p/2', price: 30, currency: 'EUR' },
      {
        id: 'SKU-3',
        title: 'Sold-out lamp',
        url: 'https://a.example/p/3',
        price: 80,
        currency: 'EUR',
        availability: 'out_of_stock',
      },
      { id: 'SKU-4', title: 'Green socks', url: 'https://a.example/p/4', price: 8, currency: 'EUR' },
    ],
  })
  if (res.status !== 200) throw new Error(`catalog not stored: ${await res.text()}`)
}
