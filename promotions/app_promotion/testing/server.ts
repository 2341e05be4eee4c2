import { client, type Harness, type Tenant } from '../../../api/testing/harness'

export const agents = {
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
} as const

/** An app promotion as a marketer would make it: both stores, a deep link, a smart banner on top. */
export const appCampaign = (config: Record<string, unknown> = {}, name = 'Get the app') => ({
  name,
  type: 'app_promotion',
  config: {
    appName: 'Shop',
    iconUrl: 'https://a.example/icon.png',
    appStoreUrl: 'https://apps.apple.com/app/id1234567890',
    playStoreUrl: 'https://play.google.com/store/apps/details?id=com.example.shop',
    deepLink: 'shop://product/42?ref=banner',
    fallbackUrl: 'https://a.example/app',
    rating: 4.6,
    price: 'Free',
    ...config,
  },
  variants: [
    { name: 'A', creative: { headline: 'Shop faster in the app', ctaUrl: 'https://a.example/app' } },
  ],
})

/** Creates and activates an app promotion for the tenant through the admin API. */
export async function startApp(
  app: Harness['app'],
  tenant: Tenant,
  config: Record<string, unknown> = {},
  name?: string,
): Promise<{ campaignId: string; variantId: string }> {
  const admin = client(app, { secretKey: tenant.secretKey })
  const created = await admin.post('/api/v1/campaigns', appCampaign(config, name))
  if (created.status !== 201) throw new Error(`campaign not created: ${await created.text()}`)
  const campaign = (await created.json()) as { id: string; variants: { id: string }[] }
  const started = await admin.post(`/api/v1/campaigns/${campaign.id}/activate`)
  if (started.status !== 200) throw new Error(`campaign not activated: ${await started.text()}`)
  return { campaignId: campaign.id, variantId: campaign.variants[0]!.id }
}

/** A serve request as the SDK sends it from a browser with the given User-Agent. */
export const serveAs = (app: Harness['app'], tenant: Tenant, userAgent: string, anonymousId = 'v-app-1') =>
  app.request('/api/v1/serve', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({
      site: tenant.publishableKey,
      anonymousId,
      slots: [],
      context: { url: 'https://a.example/' },
    }),
  })

/** Serves the tenant's app promotion to an Android phone, follows its store link and claims the install. */
export async function installThrough(
  app: Harness['app'],
  tenant: Tenant,
  anonymousId: string,
): Promise<string> {
  const answer = (await (await serveAs(app, tenant, agents.android, anonymousId)).json()) as {
    decisions: { type: string; storeUrl?: string }[]
  }
  const decision = answer.decisions.find((d) => d.type === 'app_promotion')
  if (!decision?.storeUrl) throw new Error('no app promotion served')
  const url = new URL(decision.storeUrl)
  const res = await app.request(url.pathname + url.search, { headers: { 'user-agent': agents.android } })
  const store = new URL(res.headers.get('location') ?? '')
  const clickId = new URLSearchParams(store.searchParams.get('referrer') ?? '').get('promo_click')
  if (!clickId) throw new Error('no click id in the store link')
  const claimed = await app.request('/api/v1/app/claims', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site: tenant.publishableKey, clickId, platform: 'android', event: 'install' }),
  })
  if (claimed.status !== 201) throw new Error(`claim not recorded: ${await claimed.text()}`)
  return clickId
}
