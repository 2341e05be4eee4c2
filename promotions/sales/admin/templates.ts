import type { Template } from '../../../admin/promotion-type'

/** Starting points for selling on the page: a product in front of the deciders, and the free-shipping nudge. */
export const salesTemplates: readonly Template[] = [
  {
    id: 'product-spotlight',
    name: 'Product spotlight',
    summary: 'One product with its price and a 10% discount, in a slot of the home page.',
    config: {
      nudge: 'product_promo',
      products: [
        {
          id: 'sku-1001',
          name: 'Merino travel sweater',
          url: 'https://example.com/products/merino-sweater',
          price: 89,
          compareAtPrice: 99,
        },
      ],
      discount: { type: 'percentage', value: 10 },
      currency: 'EUR',
    },
    placements: ['home-hero'],
    creative: {
      headline: 'Our warmest sweater, 10% off this week',
      ctaText: 'Shop it',
      ctaUrl: 'https://example.com/products/merino-sweater',
    },
  },
  {
    id: 'free-shipping-nudge',
    name: 'Free-shipping nudge',
    summary: 'Tells a shopper how far their cart is from free shipping.',
    config: {
      nudge: 'free_shipping',
      freeShippingThreshold: 50,
      currency: 'EUR',
      optimizationGoal: 'add_to_cart',
    },
    placements: ['cart-inline'],
    creative: {
      headline: 'Free shipping from €50',
      ctaText: 'Keep shopping',
      ctaUrl: 'https://example.com/shop',
    },
  },
]
