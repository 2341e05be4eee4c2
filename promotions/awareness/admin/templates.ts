import type { Template } from '../../../admin/promotion-type'

/** Starting points for a banner: a bar every page shows, and the hero of a home page. */
export const awarenessTemplates: readonly Template[] = [
  {
    id: 'free-shipping-bar',
    name: 'Free-shipping bar',
    summary: 'A thin bar pinned to the top of every page, announcing free shipping over a threshold.',
    config: { format: 'sticky_top', dismissible: true, trigger: { on: 'load' } },
    creative: {
      headline: 'Free shipping on orders over €50',
      ctaText: 'Shop now',
      ctaUrl: 'https://example.com/shop',
      backgroundColor: '#14213d',
      textColor: '#ffffff',
    },
  },
  {
    id: 'announcement-hero',
    name: 'Announcement hero',
    summary: 'A large banner at the top of the home page for a launch, a collection or news.',
    config: { format: 'hero', dismissible: false },
    placements: ['home-hero'],
    creative: {
      headline: 'The spring collection is here',
      body: 'Light fabrics, bright colours and our first range made from recycled cotton.',
      ctaText: 'See the collection',
      ctaUrl: 'https://example.com/collections/spring',
    },
  },
  {
    id: 'sale-popup',
    name: 'Sale popup on exit',
    summary: 'A popup shown when the visitor is about to leave, reminding them of a sale that ends soon.',
    config: { format: 'popup', dismissible: true, trigger: { on: 'exit' } },
    creative: {
      headline: 'The summer sale ends Sunday',
      body: 'Up to 40% off everything in the outlet.',
      ctaText: 'See the sale',
      ctaUrl: 'https://example.com/sale',
    },
  },
]
