import type { DemoCampaign } from '../../../api/promotion'

/** The demo site's banners: a hero and a sticky bar running, a popup as a draft to try the editor on. */
export const awarenessDemo = (origin: string): DemoCampaign[] => [
  {
    name: 'Winter sale hero',
    status: 'active',
    objective: 'brand_awareness',
    placements: ['home-hero'],
    frequency: { countOn: 'viewable' },
    config: { format: 'hero', dismissible: false, mediaType: 'image' },
    creative: {
      headline: 'Winter sale: up to 40% off',
      body: 'Warm layers, cosy boots and everything for the cold months, while stocks last.',
      ctaText: 'Shop the sale',
      ctaUrl: `${origin}/demo/?utm_source=promo&utm_medium=banner&utm_campaign=winter-sale`,
      imageUrl: `${origin}/demo/assets/winter.svg`,
      imageAlt: 'Snowy mountains',
      backgroundColor: '#0f2a44',
      textColor: '#ffffff',
      accentColor: '#b45309',
    },
  },
  {
    name: 'Free shipping bar',
    status: 'active',
    objective: 'brand_awareness',
    placements: [],
    frequency: { countOn: 'viewable' },
    config: { format: 'sticky', dismissible: true, mediaType: 'image' },
    creative: {
      headline: 'Free shipping on orders over €50',
      ctaText: 'See details',
      ctaUrl: `${origin}/demo/?utm_source=promo&utm_medium=sticky&utm_campaign=free-shipping`,
      backgroundColor: '#1d3557',
      textColor: '#ffffff',
      accentColor: '#c1121f',
    },
  },
  {
    name: 'Newsletter popup',
    status: 'draft',
    objective: 'brand_awareness',
    placements: [],
    frequency: { countOn: 'viewable' },
    config: { format: 'popup', dismissible: true, mediaType: 'image' },
    creative: {
      headline: 'Get 10% off your first order',
      body: 'Join the list for early access to sales.',
      ctaText: 'Claim my code',
      ctaUrl: `${origin}/demo/?utm_source=promo&utm_medium=popup&utm_campaign=newsletter`,
    },
  },
]
