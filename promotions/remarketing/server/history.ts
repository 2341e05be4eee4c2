import { sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../../api/ports/database'
import { conversionEvents } from '../../../api/services/active-campaigns'
import type { AudienceKind } from '../../../schema/audiences'

const dayMs = 86_400_000

/** A product of the visitor's, as the catalog knows it, with when they last viewed or carted it. */
export interface TouchedProduct {
  productId: string
  title: string
  url: string
  imageUrl: string | null
  price: number | null
  currency: string | null
  at: number
}

/** What serving a remarketing campaign needs to know about one visitor, read in one statement. */
export interface VisitorHistory {
  /** Their first impression of the campaign (the sequence's start); null before any. */
  firstShownAt: number | null
  /** Their latest conversion (Purchase, Lead and the other standard conversions). */
  lastConversionAt: number | null
  /** Their latest Purchase: products touched before it are done with. */
  lastPurchaseAt: number | null
  /** Their latest ViewContent or AddToCart within the window. */
  lastTouchAt: number | null
  /** Their products, newest first, at most the asked number: in the catalog, not out of stock, touched since the last purchase. */
  products: TouchedProduct[]
}

/**
 * How far back the visitor's product views count: the audience's own lookback (a lapsed visitor's views are older
 * than their inactivity, so a month before it); 30 days for a saved audience.
 */
export function productWindowDays(audience: AudienceKind): number {
  switch (audience.kind) {
    case 'cart_abandoners':
    case 'viewers':
    case 'past_buyers':
      return audience.lookbackDays
    case 'lapsed':
      return Math.min(540, audience.inactiveDays + 30)
    case 'saved':
      return 30
  }
}

const at = (value: unknown) => (value === null || value === undefined ? null : Number(value))
const contents = sql.raw(
  `case when jsonb_typeof(e.props->'contents') = 'array' then e.props->'contents' else '[]'::jsonb end`,
)

/**
 * One visitor's remarketing history for one campaign, in one statement (the serve path reads the database once
 * per filled decision): their first impression of it, their latest conversion and purchase, and the products they
 * viewed (`ViewContent` events' `contents`) or still have in their cart (the cart's lines, timed by their latest
 * `AddToCart`), joined to the catalog, newest first. Every read goes by the events' (site, visitor, name, time)
 * index and the carts' and products' keys.
 */
export async function historyOf(
  db: Db,
  input: {
    siteId: string
    campaignId: string
    anonymousId: string
    windowDays: number
    maxProducts: number
    now: number
  },
): Promise<VisitorHistory> {
  const { siteId, campaignId, anonymousId } = input
  const since = new Date(input.now - input.windowDays * dayMs).toISOString()
  const until = new Date(input.now).toISOString()
  const visitor = sql`site_id = ${siteId}::uuid and anonymous_id = ${anonymousId}`
  const conversions = sql.join(
    conversionEvents.map((name) => sql`${name}`),
    sql`, `,
  )
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with cart_lines as (
        select line->>'id' as product_id, c.changed_at as at
        from carts c cross join lateral jsonb_array_elements(c.lines) as line
        where c.site_id = ${siteId}::uuid and c.anonymous_id = ${anonymousId}
      ),
      touches as (
        select e.name, line->>'id' as product_id, e.ts as at
        from events e cross join lateral jsonb_array_elements(${contents}) as line
        where e.site_id = ${siteId}::uuid and e.anonymous_id = ${anonymousId}
          and e.name in ('ViewContent', 'AddToCart')
          and e.ts >= ${since}::timestamptz and e.ts <= ${until}::timestamptz
      ),
      candidates as (
        select product_id, at from touches where name = 'ViewContent'
        union all
        select t.product_id, t.at from touches t join cart_lines l on l.product_id = t.product_id
        where t.name = 'AddToCart'
        union all
        select l.product_id, l.at from cart_lines l
        where not exists (select 1 from touches t where t.name = 'AddToCart' and t.product_id = l.product_id)
      ),
      newest as (
        select product_id, max(at) as at from candidates where product_id is not null group by product_id
      ),
      facts as (
        select
          (select min(ts) from events where ${visitor} and name = 'impression'
            and campaign_id = ${campaignId}::uuid) as first_shown,
          (select max(ts) from events where ${visitor} and name in (${conversions})
            and ts <= ${until}::timestamptz) as last_conversion,
          (select max(ts) from events where ${visitor} and name = 'Purchase'
            and ts <= ${until}::timestamptz) as last_purchase,
          (select max(at) from touches) as last_touch
      )
      select
        extract(epoch from f.first_shown) * 1000 as first_shown,
        extract(epoch from f.last_conversion) * 1000 as last_conversion,
        extract(epoch from f.last_purchase) * 1000 as last_purchase,
        extract(epoch from f.last_touch) * 1000 as last_touch,
        p.product_id, p.title, p.url, p.image_url, p.price, p.currency,
        extract(epoch from p.at) * 1000 as at
      from facts f
      left join lateral (
        select pr.product_id, pr.title, pr.url, pr.image_url, pr.price, pr.currency, n.at
        from newest n join products pr on pr.site_id = ${siteId}::uuid and pr.product_id = n.product_id
        where pr.availability is distinct from 'out_of_stock'
          and (f.last_purchase is null or n.at > f.last_purchase)
        order by n.at desc, pr.product_id
        limit ${input.maxProducts}
      ) p on true`),
  )
  const first = rows[0] ?? {}
  return {
    firstShownAt: at(first.first_shown),
    lastConversionAt: at(first.last_conversion),
    lastPurchaseAt: at(first.last_purchase),
    lastTouchAt: at(first.last_touch),
    products: rows
      .filter((row) => row.product_id !== null && row.product_id !== undefined)
      .map((row) => ({
        productId: String(row.product_id),
        title: String(row.title),
        url: String(row.url),
        imageUrl: (row.image_url as string | null) ?? null,
        price: row.price === null || row.price === undefined ? null : Number(row.price),
        currency: (row.currency as string | null) ?? null,
        at: Number(row.at),
      })),
  }
}
