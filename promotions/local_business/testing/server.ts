import { client, type Harness, type Tenant } from '../../../api/testing/harness'

export const browser =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'

/**
 * Five stores as a CSV file: three in Paris (75004, 75011, 75015), one in Lyon, one in New York. From 75011 the
 * nearest are Oberkampf (0 km), Marais (about 1.6 km) and Vaugirard (about 6 km); Lyon is 390 km away.
 */
export const storesCsv = [
  'ref,name,street,city,region,postal_code,country,lat,lng,phone,url,time_zone,hours,special_days,services,inventory',
  'paris-04,Marais,12 rue des Archives,Paris,,75004,FR,48.8589,2.3561,+33 1 23 45 67 89,https://shop.example/stores/paris-04,Europe/Paris,Mo-Sa 10:00-19:00,2026-12-25 closed,pickup;parking,SKU-1:3;SKU-2:0',
  'paris-11,Oberkampf,12 rue Oberkampf,Paris,,75011,FR,48.8649,2.3752,+33 1 98 76 54 32,https://shop.example/stores/paris-11,Europe/Paris,Mo-Fr 09:00-19:00; Fr 21:00-02:00,,pickup,SKU-1:0',
  'paris-15,Vaugirard,200 rue de Vaugirard,Paris,,75015,FR,48.8412,2.2997,,,Europe/Paris,Mo-Su 08:00-22:00,,,',
  'lyon-02,Bellecour,1 place Bellecour,Lyon,,69002,FR,45.7578,4.832,,,Europe/Paris,Mo-Sa 10:00-19:00,,,',
  'nyc-soho,SoHo,100 Spring St,New York,NY,10012,US,40.7243,-73.9985,(212) 555-0100,,America/New_York,Mo-Su 10:00-20:00,,,SKU-1:5',
].join('\r\n')

/** A store locator as a marketer would make it: the browser's position on tap, three stores, every action. */
export const locatorCampaign = (config: Record<string, unknown> = {}) => ({
  name: 'Find a store',
  type: 'local_business',
  placements: ['store-locator'],
  config: { geolocation: 'precise', actions: ['directions', 'call', 'storePage', 'inventory'], ...config },
  variants: [{ name: 'A', creative: { headline: 'Find a store near you' } }],
})

/** Imports the stores and creates (and activates) the locator for the tenant through the admin API. */
export async function startLocator(
  app: Harness['app'],
  tenant: Tenant,
  config: Record<string, unknown> = {},
): Promise<{ campaignId: string; variantId: string }> {
  const admin = client(app, { secretKey: tenant.secretKey })
  const imported = await admin.post('/api/v1/stores/import', storesCsv, 'text/csv')
  if (imported.status !== 200) throw new Error(`stores not imported: ${await imported.text()}`)
  const created = await admin.post('/api/v1/campaigns', locatorCampaign(config))
  if (created.status !== 201) throw new Error(`campaign not created: ${await created.text()}`)
  const campaign = (await created.json()) as { id: string; variants: { id: string }[] }
  const started = await admin.post(`/api/v1/campaigns/${campaign.id}/activate`)
  if (started.status !== 200) throw new Error(`campaign not activated: ${await started.text()}`)
  return { campaignId: campaign.id, variantId: campaign.variants[0]!.id }
}
