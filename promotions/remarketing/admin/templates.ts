import type { Template } from '../../../admin/promotion-type'

/** Starting points for winning visitors back: the cart they left, and the products they looked at. */
export const remarketingTemplates: readonly Template[] = [
  {
    id: 'cart-reminder',
    name: 'Cart reminder',
    summary: 'A popup for visitors who left items in their cart this week, with the items and a code.',
    config: {
      audience: { kind: 'cart_abandoners', lookbackDays: 7 },
      format: 'popup',
      dynamicContent: true,
      incentive: { type: 'percentage', value: 10, promoCode: 'COMEBACK10' },
    },
    creative: {
      headline: 'Your cart is waiting',
      // The unit shows the deal and the code (or, with a code per visitor, a button revealing it) on its own:
      // copy that repeated them would go stale when either changes.
      body: 'The items you picked are still here.',
      ctaText: 'Back to my cart',
      ctaUrl: 'https://example.com/cart',
    },
  },
  {
    id: 'viewed-products',
    name: 'Still thinking about it?',
    summary: 'A bar for visitors who viewed products in the last month without buying.',
    config: {
      audience: { kind: 'viewers', lookbackDays: 30, minViews: 2 },
      format: 'sticky_bottom',
      dynamicContent: true,
    },
    creative: {
      headline: 'Still thinking about it?',
      ctaText: 'Take another look',
      ctaUrl: 'https://example.com/shop',
    },
  },
]
