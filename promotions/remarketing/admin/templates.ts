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
      body: 'Finish your order with 10% off: COMEBACK10.',
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
