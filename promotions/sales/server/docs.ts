import { z } from 'zod'
import { noContent, operation, type RouteDoc } from '../../../api/http/contract/docs'
import { pageOf } from '../../../schema/api'
import {
  createdCodes,
  product,
  productImport,
  productUpsertMany,
  promoCode,
  redemption,
  releaseAnswer,
  revealAnswer,
} from '../answers'
import { productListQuery, productSiteQuery, putProduct, putProducts } from './product-routes'
import { codesQuery, createCodesRequest, redeemRequest, releaseRequest, revealRequest } from './routes'

export const salesDocs: RouteDoc[] = [
  operation('post', '/api/v1/campaigns/{id}/promo-codes', {
    summary:
      'Add a shared promo code or a pool of unique codes to a campaign (sales, a remarketing incentive)',
    description:
      '`{code}` for one shared code, `{pool: n, prefix?}` for n random unique codes (each used once unless ' +
      '`maxUses` says more). Rules: `expiresAt`, `minOrderValue`, `maxUses`, `maxUsesPerCustomer`.',
    tag: 'Sales',
    access: 'admin',
    body: createCodesRequest,
    answers: { 201: { description: 'The codes made, one batch', schema: createdCodes } },
    errors: [409],
  }),
  operation('get', '/api/v1/campaigns/{id}/promo-codes', {
    summary: 'A sales campaign’s promo codes with their uses',
    tag: 'Sales',
    access: 'admin',
    query: codesQuery,
    answers: { 200: { description: 'A page of codes, oldest first', schema: pageOf(promoCode) } },
  }),
  operation('get', '/api/v1/campaigns/{id}/promo-codes/redemptions', {
    summary: 'A sales campaign’s redemptions: orders, values, discounts, variants',
    description: 'Newest first; released ones carry `releasedAt`.',
    tag: 'Sales',
    access: 'admin',
    query: codesQuery,
    answers: { 200: { description: 'A page of redemptions', schema: pageOf(redemption) } },
  }),
  operation('post', '/api/v1/promo-codes/redeem', {
    summary: 'Redeem a code for an order (the shop’s checkout, secret key)',
    description:
      'Atomic against `maxUses` and `maxUsesPerCustomer`; the same `orderId` again answers its one redemption ' +
      '(`replayed: true`). Refusals: `unknown_code` (404), `exhausted` and `per_customer_limit` (409), ' +
      '`expired` and `min_order_value` (422).',
    tag: 'Sales',
    access: 'admin',
    body: redeemRequest,
    answers: { 200: { description: 'The order’s redemption and its discount', schema: redemption } },
    errors: [409, 422],
  }),
  operation('post', '/api/v1/promo-codes/release', {
    summary: 'Release an order’s redemption (the order was cancelled)',
    description: 'Gives the use back once; releasing again answers `released: false` and changes nothing.',
    tag: 'Sales',
    access: 'admin',
    body: releaseRequest,
    answers: { 200: { description: 'What was released', schema: releaseAnswer } },
  }),
  operation('post', '/api/v1/promo-codes/reveal', {
    summary: 'Show a visitor their code (the unit’s copy button)',
    description:
      'One code per visitor and campaign: the first free code of its pool, else its shared code; the same ' +
      'code on every later reveal. `exhausted` (409) when none is left. From the SDK (`text/plain` JSON taken). ' +
      'A campaign shown to an audience of its own (remarketing) reveals to its members only (403 otherwise), ' +
      'and takes the serve answer’s `visitorToken`.',
    tag: 'Sales',
    access: 'public',
    body: revealRequest,
    bodyMedia: 'json-or-text',
    answers: { 200: { description: 'The visitor’s code', schema: revealAnswer } },
    errors: [403, 404, 409],
  }),
  operation('get', '/api/v1/products', {
    summary: 'List the product catalog',
    description:
      'Newest first, by cursor; `q` searches titles and ids; `format=csv` answers the rows as a spreadsheet ' +
      '(formula-safe), in the columns an import takes.',
    tag: 'Sales',
    access: 'admin',
    query: productListQuery,
    answers: { 200: { description: 'A page of products', schema: pageOf(product) } },
  }),
  operation('get', '/api/v1/products/{id}', {
    summary: 'Read a product',
    tag: 'Sales',
    access: 'admin',
    answers: { 200: { description: 'The product', schema: product } },
  }),
  operation('put', '/api/v1/products', {
    summary: 'Create or update products by product id (SKU)',
    description:
      'One product, or `{siteId, products: [...]}` for up to 500; what an admin writes is never overwritten ' +
      'by what product pages report.',
    tag: 'Sales',
    access: 'admin',
    body: z.union([putProduct, putProducts]),
    answers: {
      200: {
        description: 'The updated product, or the counts of a list',
        schema: z.union([product, productUpsertMany]),
      },
      201: { description: 'The created product', schema: product },
    },
  }),
  operation('post', '/api/v1/products/import', {
    summary: 'Import products from a CSV file',
    description: 'Columns id, title, url (required), image, price, currency, availability, category.',
    tag: 'Sales',
    access: 'admin',
    query: productSiteQuery,
    body: z.string(),
    bodyMedia: 'csv',
    answers: {
      200: { description: 'Rows created and updated, and refused rows by line', schema: productImport },
    },
  }),
  operation('delete', '/api/v1/products/{id}', {
    summary: 'Delete a product',
    tag: 'Sales',
    access: 'admin',
    answers: { 204: noContent },
  }),
]
