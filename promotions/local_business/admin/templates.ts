import type { Template } from '../../../admin/promotion-type'

/** A starting point for bringing people to a shop: the nearest store with its hours and directions. */
export const localBusinessTemplates: readonly Template[] = [
  {
    id: 'nearest-store',
    name: 'Nearest store',
    summary: 'The stores closest to the visitor, with opening hours, directions and a call button.',
    config: {
      stores: [
        {
          id: 'paris-marais',
          name: 'Example Shop Marais',
          address: { street: '12 rue des Archives', city: 'Paris', postalCode: '75004', country: 'FR' },
          lat: 48.8589,
          lng: 2.3561,
          phone: '+33 1 23 45 67 89',
          timeZone: 'Europe/Paris',
          hours: [
            { days: [1, 2, 3, 4, 5], open: '10:00', close: '19:00' },
            { days: [6], open: '10:00', close: '18:00' },
          ],
        },
      ],
      actions: ['directions', 'call'],
      maxStores: 3,
    },
    placements: ['store-locator'],
    creative: { headline: 'Try it on in our shop', ctaText: 'Get directions' },
  },
]
