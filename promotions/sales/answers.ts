import { z } from 'zod'
import { time, uuid } from '../../schema/api'

/**
 * What sales' promo-code endpoints answer (promotions/sales/server/routes.ts): the schemas its OpenAPI docs
 * (server/docs.ts) and its tests read the answers through.
 */
export const promoCode = z
  .object({
    id: uuid,
    campaignId: uuid,
    variantId: uuid.nullable(),
    batchId: uuid,
    kind: z.enum(['shared', 'unique']),
    code: z.string(),
    expiresAt: time.nullable(),
    minOrderValue: z.number().nullable(),
    maxUses: z.number().int().nullable(),
    maxUsesPerCustomer: z.number().int().nullable(),
    uses: z.number().int(),
    createdAt: time,
  })
  .meta({ id: 'PromoCode' })

/** `POST /campaigns/{id}/promo-codes`: the batch made (one shared code, or the pool). */
export const createdCodes = z.object({ batchId: uuid, data: z.array(promoCode) })

export const redemption = z
  .object({
    redemptionId: uuid,
    status: z.enum(['redeemed', 'released']),
    /** True when the order had redeemed already: this is that redemption, not a second use. */
    replayed: z.boolean(),
    code: z.string(),
    campaignId: uuid,
    variantId: uuid.nullable(),
    orderId: z.string(),
    orderValue: z.number(),
    currency: z.string(),
    discount: z.number(),
    createdAt: time,
    releasedAt: time.nullable(),
  })
  .meta({ id: 'PromoCodeRedemption' })

/** `POST /promo-codes/release`: the redemption released now, or `released: false` when the order had none live. */
export const releaseAnswer = z.object({
  released: z.boolean(),
  redemption: redemption.optional(),
})

/** `POST /promo-codes/reveal` (public): the visitor's one code of the campaign; `code: null` for a crawler. */
export const revealAnswer = z.object({
  code: z.string().nullable(),
  campaignId: uuid,
  variantId: uuid.nullable(),
  expiresAt: time.nullable(),
})

/** A catalog product (`/api/v1/products`). */
export const product = z.object({
  id: uuid,
  siteId: uuid,
  productId: z.string(),
  title: z.string(),
  url: z.string(),
  imageUrl: z.string().nullable(),
  price: z.number().nullable(),
  currency: z.string().nullable(),
  availability: z.enum(['in_stock', 'out_of_stock', 'preorder', 'backorder']).nullable(),
  category: z.string().nullable(),
  source: z.enum(['admin', 'csv', 'page']),
  createdAt: time,
  updatedAt: time,
})

export const productUpsertMany = z.object({
  data: z.array(product),
  created: z.number().int(),
  updated: z.number().int(),
})

export const productImport = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(
    z.object({
      line: z.number().int(),
      errors: z.array(z.object({ path: z.string(), message: z.string() })),
    }),
  ),
})
