import { client, type Harness, type Tenant } from '../../../api/testing/harness'

export const browser =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'

/** An engagement campaign as a marketer would make it: every action on, a poll and post-moderated comments. */
export const engagementCampaign = (config: Record<string, unknown> = {}) => ({
  name: 'Winter recipe',
  type: 'engagement',
  placements: ['article-end'],
  config: {
    engagementTypes: ['like', 'react', 'share', 'comment', 'vote'],
    contentId: 'recipe-42',
    contentType: 'article',
    poll: {
      question: 'Which soup tonight?',
      options: [
        { id: 'leek', label: 'Leek' },
        { id: 'pumpkin', label: 'Pumpkin' },
        { id: 'tomato', label: 'Tomato' },
      ],
    },
    ...config,
  },
  variants: [{ name: 'A', creative: { headline: 'Did you like this recipe?', body: 'Tell us' } }],
})

/** Creates the campaign for the tenant through the admin API and, unless told not to, activates it. */
export async function startEngagement(
  app: Harness['app'],
  tenant: Tenant,
  config: Record<string, unknown> = {},
  activate = true,
): Promise<{ campaignId: string; variantId: string }> {
  const admin = client(app, { secretKey: tenant.secretKey })
  const created = await admin.post('/api/v1/campaigns', engagementCampaign(config))
  if (created.status !== 201) throw new Error(`campaign not created: ${await created.text()}`)
  const campaign = (await created.json()) as { id: string; variants: { id: string }[] }
  if (activate) {
    const started = await admin.post(`/api/v1/campaigns/${campaign.id}/activate`)
    if (started.status !== 200) throw new Error(`campaign not activated: ${await started.text()}`)
  }
  return { campaignId: campaign.id, variantId: campaign.variants[0]!.id }
}

/** Sends one action as a browser would (text/plain JSON, a browser's User-Agent). */
export const act = (
  app: Harness['app'],
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) =>
  app.request('/api/v1/engagements', {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': browser, ...headers },
    body: JSON.stringify(body),
  })
