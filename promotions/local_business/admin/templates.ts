import type { Template } from '../../../admin/promotion-type'

/** A starting point for bringing people to a shop: the nearest store with its hours and directions. */
export const localBusinessTemplates: readonly Template[] = [
  {
    id: 'nearest-store',
    name: 'Nearest store',
    summary: 'The stores closest to the visitor, with opening hours, directions and a call button.',
    config: {
      geolocation: 'precise',
      actions: ['directions', 'call', 'storePage'],
      maxStores: 3,
    },
    placements: ['store-locator'],
    creative: { headline: 'Try it on in our shop', ctaText: 'Get directions' },
  },
]
