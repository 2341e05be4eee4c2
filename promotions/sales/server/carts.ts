import { and, eq, gte, inArray, sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../../api/ports/database'
import { type StoredEvent, unknownVisitor } from '../../../api/ports/events'
import { type CartRowLine, carts, productPurchasesHourly } from '../../../schema/db'
import { type ContentLine, eventContents, maxContentLines } from '../../../schema/events'

/** The commerce events that change a cart. */
const cartEvents = new Set(['AddToCart', 'RemoveFromCart', 'Purchase'])

/** A cart left this long ago counts as abandoned when the request names no session (the SDK always does). */
export const abandonedAfterMs = 30 * 60_000

const hourMs = 3_600_000
const timeOf = (event: StoredEvent) => new Date(event.timestamp as Date | string).getTime()

/** The event's `contents` lines, when it has valid ones (the events route checked them; the conversions route too). */
function linesOf(event: StoredEvent): ContentLine[] {
  const parsed = eventContents.safeParse(event.props?.contents)
  return parsed.success ? parsed.data : []
}

export interface CartState {
  lines: CartRowLine[]
  currency: string | null
  sessionId: string | null
  changedAt: number
}

/**
 * One event applied to a cart: `AddToCart` adds its lines (the same id adds up, its latest price wins),
 * `RemoveFromCart` takes its quantities off (a line at zero goes), `Purchase` closes the cart (`undefined`).
 * A cart keeps at most 50 lines of at most 10 000 each.
 */
export function applyToCart(cart: CartState | undefined, event: StoredEvent): CartState | undefined {
  if (event.name === 'Purchase') return undefined
  const lines = new Map((cart?.lines ?? []).map((line) => [line.id, { ...line }]))
  for (const line of linesOf(event)) {
    const existing = lines.get(line.id)
    if (event.name === 'AddToCart') {
      if (!existing && lines.size >= maxContentLines) continue
      const next: CartRowLine = {
        id: line.id,
        quantity: Math.min(10_000, (existing?.quantity ?? 0) + line.quantity),
      }
      const price = line.item_price ?? existing?.price
      if (price !== undefined) next.price = price
      lines.set(line.id, next)
    } else if (existing) {
      existing.quantity -= line.quantity
      if (existing.quantity <= 0) lines.delete(line.id)
    }
  }
  return {
    lines: [...lines.values()],
    currency: event.currency ?? cart?.currency ?? null,
    sessionId: event.sessionId ?? cart?.sessionId ?? null,
    changedAt: Math.max(cart?.changedAt ?? 0, timeOf(event)),
  }
}

/**
 * Visitors' carts and products' purchase counts from the batch's newly stored commerce events, in ingest's
 * transaction: exactly once per event, since a resent event is not among `stored`. Each visitor's events apply
 * in their own time order to the cart as stored (locked, visitors in one order so two batches never deadlock).
 * A `Purchase` adds one to each of its products' count for the hour it happened in (never later than now).
 */
export async function projectCarts(tx: Db, siteId: string, stored: readonly StoredEvent[], now: number) {
  const byVisitor = new Map<string, StoredEvent[]>()
  const bought = new Map<string, number>()
  for (const event of stored) {
    if (!cartEvents.has(event.name)) continue
    // A server conversion of no known visitor has no cart to change; its purchase still counts below.
    if (event.anonymousId !== '' && event.anonymousId !== unknownVisitor) {
      const list = byVisitor.get(event.anonymousId) ?? []
      list.push(event)
      byVisitor.set(event.anonymousId, list)
    }
    if (event.name === 'Purchase') {
      const hour = Math.floor(Math.min(timeOf(event), now) / hourMs) * hourMs
      for (const id of new Set(linesOf(event).map((line) => line.id))) {
        const key = `${hour}\n${id}`
        bought.set(key, (bought.get(key) ?? 0) + 1)
      }
    }
  }
  if (byVisitor.size > 0) await applyCarts(tx, siteId, byVisitor)
  if (bought.size > 0) {
    const rows = [...bought]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, purchases]) => {
        const [hour, productId] = key.split('\n') as [string, string]
        return { siteId, productId, hour: new Date(Number(hour)), purchases }
      })
    await tx
      .insert(productPurchasesHourly)
      .values(rows)
      .onConflictDoUpdate({
        target: [
          productPurchasesHourly.siteId,
          productPurchasesHourly.productId,
          productPurchasesHourly.hour,
        ],
        set: { purchases: sql`${productPurchasesHourly.purchases} + excluded.purchases` },
      })
  }
}

async function applyCarts(tx: Db, siteId: string, byVisitor: Map<string, StoredEvent[]>) {
  const visitors = [...byVisitor.keys()].sort()
  // Each visitor's cart is read and written by one batch at a time, even before the cart's row exists (two
  // batches could otherwise both start from no cart): a transaction lock per visitor, taken in one order.
  for (const visitor of visitors) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`cart:${siteId}:${visitor}`}, 0))`)
  }
  const current = new Map<string, CartState>()
  const existing = rowsOf<{
    anonymousId: string
    lines: CartRowLine[]
    currency: string | null
    sessionId: string | null
    changedAt: Date | string
  }>(
    await tx.execute(sql`
      select anonymous_id as "anonymousId", lines, currency, session_id as "sessionId", changed_at as "changedAt"
      from carts where site_id = ${siteId} and anonymous_id in ${sql`(${sql.join(
        visitors.map((v) => sql`${v}`),
        sql`, `,
      )})`}
      order by anonymous_id for update`),
  )
  for (const row of existing) {
    current.set(row.anonymousId, {
      lines: row.lines,
      currency: row.currency,
      sessionId: row.sessionId,
      changedAt: new Date(row.changedAt).getTime(),
    })
  }
  const closed: string[] = []
  const open: (typeof carts.$inferInsert)[] = []
  for (const visitor of visitors) {
    const events = byVisitor.get(visitor)!.sort((a, b) => timeOf(a) - timeOf(b))
    let cart = current.get(visitor)
    for (const event of events) cart = applyToCart(cart, event)
    if (!cart || cart.lines.length === 0) {
      if (current.has(visitor)) closed.push(visitor)
      continue
    }
    open.push({
      siteId,
      anonymousId: visitor,
      lines: cart.lines,
      currency: cart.currency,
      sessionId: cart.sessionId,
      changedAt: new Date(cart.changedAt),
    })
  }
  if (closed.length > 0) {
    await tx.delete(carts).where(and(eq(carts.siteId, siteId), inArray(carts.anonymousId, closed)))
  }
  if (open.length > 0) {
    await tx
      .insert(carts)
      .values(open)
      .onConflictDoUpdate({
        target: [carts.siteId, carts.anonymousId],
        set: {
          lines: sql`excluded.lines`,
          currency: sql`excluded.currency`,
          sessionId: sql`excluded.session_id`,
          changedAt: sql`excluded.changed_at`,
        },
      })
  }
}

export type CartRow = typeof carts.$inferSelect

/** A visitor's open cart, or undefined. */
export async function cartOf(db: Db, siteId: string, anonymousId: string): Promise<CartRow | undefined> {
  const [row] = await db
    .select()
    .from(carts)
    .where(and(eq(carts.siteId, siteId), eq(carts.anonymousId, anonymousId)))
  return row
}

/**
 * Whether a cart was left earlier: changed in another session than the request's, or (a request without a
 * session id) more than 30 minutes ago.
 */
export function isAbandoned(
  cart: Pick<CartRow, 'sessionId' | 'changedAt'>,
  sessionId: string | undefined,
  now: number,
) {
  if (sessionId) return cart.sessionId !== sessionId
  return now - cart.changedAt.getTime() > abandonedAfterMs
}

/** Each product's purchases over the last `windowHours` (whole hours, the current one included). */
export async function purchasesOf(
  db: Db,
  siteId: string,
  productIds: readonly string[],
  windowHours: number,
  now: number,
) {
  const counts = new Map<string, number>()
  if (productIds.length === 0) return counts
  const since = new Date(Math.floor(now / hourMs) * hourMs - (windowHours - 1) * hourMs)
  const rows = await db
    .select({
      productId: productPurchasesHourly.productId,
      purchases: sql<number | string>`sum(${productPurchasesHourly.purchases})`,
    })
    .from(productPurchasesHourly)
    .where(
      and(
        eq(productPurchasesHourly.siteId, siteId),
        inArray(productPurchasesHourly.productId, [...productIds]),
        gte(productPurchasesHourly.hour, since),
      ),
    )
    .groupBy(productPurchasesHourly.productId)
  for (const row of rows) counts.set(row.productId, Number(row.purchases))
  return counts
}
