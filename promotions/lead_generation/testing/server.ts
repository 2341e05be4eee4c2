import { ClickSigner } from '../../../api/core/clicks'
import { client, type Harness, type Tenant, testSigningSecret } from '../../../api/testing/harness'

/**
 * The `visitorToken` a serve answer hands a lead form for this visitor on the tenant's site (the harness's app),
 * for submits that stand for a browser the form was served to.
 */
export const visitorProof = (tenant: Tenant, anonymousId: string) => ({
  anonymousId,
  visitorToken: new ClickSigner(testSigningSecret).visitorToken(tenant.siteId, anonymousId),
})

/** A lead form as a marketer would make it: email, name, company, title and a consent box. */
export const leadCampaign = (
  config: Record<string, unknown> = {},
  overrides: Record<string, unknown> = {},
) => ({
  name: 'Winter guide',
  type: 'lead_generation',
  config: {
    fields: [
      { name: 'email', type: 'email', label: 'Email', required: true },
      { name: 'first_name', type: 'text', label: 'First name' },
      { name: 'company', type: 'text', label: 'Company' },
      { name: 'job_title', type: 'text', label: 'Job title' },
      { name: 'terms', type: 'consent', label: 'Send me the guide and related news' },
    ],
    scoring: {
      rules: [{ field: 'job_title', when: 'contains', values: ['ceo', 'vp', 'director'], points: 50 }],
      pointsPerFilledField: 10,
    },
    offer: { type: 'ebook', title: 'The winter guide', assetUrl: 'https://shop.example/guide.pdf' },
    ...config,
  },
  variants: [{ name: 'A', creative: { headline: 'Get the winter guide' } }],
  ...overrides,
})

/** Creates a lead campaign for the tenant through the admin API and, unless told not to, activates it. */
export async function startLeadCampaign(
  app: Harness['app'],
  tenant: Tenant,
  config: Record<string, unknown> = {},
  activate = true,
): Promise<{ campaignId: string; variantId: string }> {
  const admin = client(app, { secretKey: tenant.secretKey })
  const created = await admin.post('/api/v1/campaigns', leadCampaign(config))
  if (created.status !== 201) throw new Error(`campaign not created: ${await created.text()}`)
  const campaign = (await created.json()) as { id: string; variants: { id: string }[] }
  if (activate) {
    const started = await admin.post(`/api/v1/campaigns/${campaign.id}/activate`)
    if (started.status !== 200) throw new Error(`campaign not activated: ${await started.text()}`)
  }
  return { campaignId: campaign.id, variantId: campaign.variants[0]!.id }
}
