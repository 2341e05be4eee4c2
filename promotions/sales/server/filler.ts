import { and, eq, inArray, or } from 'drizzle-orm'
import type { ClickSigner } from '../../../api/core/clicks'
import type { Choice, ServableCampaign } from '../../../api/core/decide'
import { configReader, ItemTokens } from '../../../api/core/fill'
import type { Db } from '../../../api/ports/database'
import type { DecisionFiller } from '../../../api/promotion'
import type { Services } from '../../../api/services/index'
import { products } from '../../../schema/db'
import { type SalesConfig, salesConfig } from '../config'
import type { CartLine, ProductCard, SalesFill, VisitorCart } from '../decision'
import { cartOf, isAbandoned, purchasesOf } from './carts'
import type { ProductRow } from './products'

/** Cards one decision shows at most. */
export const maxCards = 6
/** How long a campaign's catalog products and purchase counts are reused before they are read again. */
const cachedMs = 60_000

const round = (value: number) => Math.round(value * 100) / 100

/**
 * Sales decisions' `sales` field (promotions/sales/decision.ts): the visitor's open cart (lines merged with the
 * catalog's titles, URLs and images), the products the unit shows, each with a signed click URL, and social proof
 * from stored purchases. A nudge that has nothing true to say is not served (its choice is dropped):
 * - `cart_reminder`: only to a visitor whose cart was left in an earlier session (`abandoned`);
 * - `checkout`: only with an open cart;
 * - `free_shipping`: only while the cart's value (0 without a cart) is below `freeShippingThreshold`;
 * - `product_promo`, `upsell`, `cross_sell`: only with at least one product to show; upsell and cross-sell leave
 *   out what is already in the cart; catalog products out of stock are never promoted.
 * Products are the config's `products`, else catalog products by `productIds` (in that order), then by
 * `categoryIds`; at most 6. Catalog rows and purchase counts are cached per campaign for a minute.
 */
export class SalesFiller implements DecisionFiller {
  private readonly configOf = configReader(salesConfig)
  private readonly catalog = new Map<string, { at: number; rows: ProductRow[] }>()
  private readonly counts = new Map<string, { at: number; counts: Map<string, number> }>()
  private readonly tokens: ItemTokens

  constructor(
    private readonly db: Db,
    signer: ClickSigner,
  ) {
    this.tokens = new ItemTokens(signer)
  }

  eligible(_siteId: string, campaigns: ServableCampaign[]) {
    return campaigns
  }

  wanted(choices: Choice[]) {
    return choices.some((choice) => choice.campaign.type === 'sales')
  }

  async fill(
    siteId: string,
    choices: Choice[],
    visitor: { anonymousId: string; sessionId?: string | undefined },
    now: number,
  ) {
    const fields = new Map<Choice, (clickBase: string, query: string) => string>()
    const kept: Choice[] = []
    let cart: VisitorCart | undefined | null = null
    for (const choice of choices) {
      if (choice.campaign.type !== 'sales') {
        kept.push(choice)
        continue
      }
      const config = this.configOf(choice.campaign)
      if (!config) continue
      if (cart === null) cart = await this.cartOf(siteId, visitor, now)
      const fill = await this.fillOf(siteId, choice, config, cart, now)
      if (!fill) continue
      kept.push(choice)
      fields.set(choice, (clickBase, query) => {
        const shown: SalesFill = {
          ...fill,
          products: fill.products.map(({ token, ...card }) => ({
            ...card,
            clickUrl: `${clickBase}${token}${query}`,
          })),
        }
        return `,"sales":${JSON.stringify(shown)}`
      })
    }
    return { choices: kept, fields }
  }

  private async fillOf(
    siteId: string,
    choice: Choice,
    config: SalesConfig,
    cart: VisitorCart | undefined,
    now: number,
  ): Promise<(Omit<SalesFill, 'products'> & { products: (ProductCard & { token: string })[] }) | undefined> {
    const inCart = new Set(cart?.items.map((line) => line.id))
    switch (config.nudge) {
      case 'cart_reminder':
        if (!cart?.abandoned) return undefined
        break
      case 'checkout':
        if (!cart) return undefined
        break
      case 'free_shipping':
        if ((cart?.value ?? 0) >= (config.freeShippingThreshold ?? 0)) return undefined
        break
    }
    let cards = await this.productsOf(siteId, choice.campaign, config, now)
    if (config.nudge === 'upsell' || config.nudge === 'cross_sell')
      cards = cards.filter((card) => !inCart.has(card.id))
    cards = cards.slice(0, maxCards)
    if (cards.length === 0 && ['product_promo', 'upsell', 'cross_sell'].includes(config.nudge))
      return undefined
    if (config.socialProof && cards.length > 0) {
      const counts = await this.purchases(
        siteId,
        choice.campaign.id,
        cards,
        config.socialProof.windowHours,
        now,
      )
      for (const card of cards) {
        const bought = counts.get(card.id) ?? 0
        if (bought >= config.socialProof.minimum) card.bought = bought
      }
    }
    const signed = cards.map((card) => ({ ...card, token: this.tokens.of(siteId, choice, card.url) }))
    return cart ? { cart, products: signed } : { products: signed }
  }

  private async productsOf(siteId: string, campaign: ServableCampaign, config: SalesConfig, now: number) {
    if (config.products.length > 0) {
      return config.products.map((product): ProductCard => {
        const card: ProductCard = {
          id: product.id,
          title: product.name,
          url: product.url,
          currency: config.currency,
        }
        if (product.imageUrl) card.imageUrl = product.imageUrl
        if (product.price !== undefined) card.price = product.price
        if (product.compareAtPrice !== undefined) card.compareAtPrice = product.compareAtPrice
        return card
      })
    }
    if (config.productIds.length === 0 && config.categoryIds.length === 0) return []
    let cached = this.catalog.get(campaign.id)
    if (!cached || now - cached.at > cachedMs) {
      const rows = await this.db
        .select()
        .from(products)
        .where(
          and(
            eq(products.siteId, siteId),
            or(
              config.productIds.length ? inArray(products.productId, config.productIds) : undefined,
              config.categoryIds.length ? inArray(products.category, config.categoryIds) : undefined,
            ),
          ),
        )
        .limit(200)
      const order = new Map(config.productIds.map((id, i) => [id, i]))
      rows.sort(
        (a, b) =>
          (order.get(a.productId) ?? 1e6) - (order.get(b.productId) ?? 1e6) ||
          a.productId.localeCompare(b.productId),
      )
      cached = { at: now, rows }
      if (this.catalog.size > 10_000) this.catalog.clear()
      this.catalog.set(campaign.id, cached)
    }
    return cached.rows
      .filter((row) => row.availability !== 'out_of_stock')
      .map((row): ProductCard => {
        const card: ProductCard = { id: row.productId, title: row.title, url: row.url }
        if (row.imageUrl) card.imageUrl = row.imageUrl
        if (row.price !== null) card.price = row.price
        if (row.currency) card.currency = row.currency
        if (row.availability) card.availability = row.availability
        return card
      })
  }

  private async purchases(
    siteId: string,
    campaignId: string,
    cards: ProductCard[],
    windowHours: number,
    now: number,
  ) {
    const key = `${campaignId}\n${cards.map((card) => card.id).join('\n')}`
    let cached = this.counts.get(key)
    if (!cached || now - cached.at > cachedMs) {
      const counts = await purchasesOf(
        this.db,
        siteId,
        cards.map((card) => card.id),
        windowHours,
        now,
      )
      cached = { at: now, counts }
      if (this.counts.size > 10_000) this.counts.clear()
      this.counts.set(key, cached)
    }
    return cached.counts
  }

  /** The visitor's open cart, its lines completed from the catalog; undefined without one. */
  private async cartOf(
    siteId: string,
    visitor: { anonymousId: string; sessionId?: string | undefined },
    now: number,
  ) {
    if (visitor.anonymousId === 'anonymous') return undefined
    const row = await cartOf(this.db, siteId, visitor.anonymousId)
    if (!row || row.lines.length === 0) return undefined
    const known = await this.db
      .select()
      .from(products)
      .where(
        and(
          eq(products.siteId, siteId),
          inArray(
            products.productId,
            row.lines.map((line) => line.id),
          ),
        ),
      )
    const byId = new Map(known.map((product) => [product.productId, product]))
    let value = 0
    const items = row.lines.map((line): CartLine => {
      const product = byId.get(line.id)
      const item: CartLine = { id: line.id, quantity: line.quantity }
      const price = line.price ?? product?.price ?? undefined
      if (price !== undefined) {
        item.price = price
        value += price * line.quantity
      }
      if (product) {
        item.title = product.title
        item.url = product.url
        if (product.imageUrl) item.imageUrl = product.imageUrl
      }
      return item
    })
    const cart: VisitorCart = {
      items,
      value: round(value),
      updatedAt: row.changedAt.toISOString(),
      abandoned: isAbandoned(row, visitor.sessionId, now),
    }
    if (row.currency) cart.currency = row.currency
    return cart
  }
}

export const salesFiller = (services: Services) => new SalesFiller(services.db, services.signer)
