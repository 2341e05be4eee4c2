import { sql } from 'drizzle-orm'
import { ApiError } from '../../../api/core/errors'
import { type Db, rowsOf } from '../../../api/ports/database'

/** The rules a code is redeemed under; null is no limit. */
export interface CodeRules {
  expiresAt: Date | null
  minOrderValue: number | null
  maxUses: number | null
  maxUsesPerCustomer: number | null
}

export interface CodeRow extends CodeRules {
  id: string
  siteId: string
  campaignId: string
  variantId: string | null
  batchId: string
  kind: 'shared' | 'unique'
  code: string
  uses: number
  createdAt: Date
}

export interface RedemptionRow {
  id: string
  campaignId: string
  variantId: string | null
  codeId: string
  code: string
  orderId: string
  orderValue: number
  currency: string
  discount: number
  createdAt: Date
  releasedAt: Date | null
}

type RawCode = {
  id: string
  site_id: string
  campaign_id: string
  variant_id: string | null
  batch_id: string
  kind: 'shared' | 'unique'
  code: string
  expires_at: string | Date | null
  min_order_value: number | string | null
  max_uses: number | null
  max_uses_per_customer: number | null
  uses: number | string
  created_at: string | Date
}

const dateOrNull = (value: string | Date | null) => (value === null ? null : new Date(value))
const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value))

const codeOf = (row: RawCode): CodeRow => ({
  id: row.id,
  siteId: row.site_id,
  campaignId: row.campaign_id,
  variantId: row.variant_id,
  batchId: row.batch_id,
  kind: row.kind,
  code: row.code,
  expiresAt: dateOrNull(row.expires_at),
  minOrderValue: numberOrNull(row.min_order_value),
  maxUses: row.max_uses,
  maxUsesPerCustomer: row.max_uses_per_customer,
  uses: Number(row.uses),
  createdAt: new Date(row.created_at),
})

type RawRedemption = {
  id: string
  campaign_id: string
  variant_id: string | null
  code_id: string
  code: string
  order_id: string
  order_value: number | string
  currency: string
  discount: number | string
  created_at: string | Date
  released_at: string | Date | null
}

const redemptionOf = (row: RawRedemption): RedemptionRow => ({
  id: row.id,
  campaignId: row.campaign_id,
  variantId: row.variant_id,
  codeId: row.code_id,
  code: row.code,
  orderId: row.order_id,
  orderValue: Number(row.order_value),
  currency: row.currency,
  discount: Number(row.discount),
  createdAt: new Date(row.created_at),
  releasedAt: dateOrNull(row.released_at),
})

const codeColumnNames = [
  'id',
  'site_id',
  'campaign_id',
  'variant_id',
  'batch_id',
  'kind',
  'code',
  'expires_at',
  'min_order_value',
  'max_uses',
  'max_uses_per_customer',
  'uses',
  'created_at',
]
const codeColumns = sql.raw(codeColumnNames.join(', '))
const codeColumnsOf = (alias: string) => sql.raw(codeColumnNames.map((name) => `${alias}.${name}`).join(', '))

/** Codes as shoppers type them: any case, compared in upper case. */
export const normalCode = (code: string) => code.trim().toUpperCase()

/** Letters and digits that cannot be misread for each other (no 0/O, 1/I/L). */
const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/** A random code of `length` characters, from the crypto source (unbiased: 256 is not a multiple of 31, so retry). */
export function randomCode(prefix: string, length = 10): string {
  let out = ''
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 248 && out.length < length) out += alphabet[byte % alphabet.length]
    }
  }
  return normalCode(prefix) + out
}

export interface NewCodes extends CodeRules {
  siteId: string
  campaignId: string
  variantId: string | null
  kind: 'shared' | 'unique'
  codes: string[]
  /** Stored in milliseconds, as list cursors carry it. */
  at: Date
}

/**
 * Inserts one batch of codes; answers null (nothing written) when any of them is taken on the site already, so a
 * shared code is refused whole and a pool is drawn again.
 */
export async function insertCodes(db: Db, batch: NewCodes): Promise<CodeRow[] | null> {
  const batchId = crypto.randomUUID()
  return db
    .transaction(async (tx) => {
      const rows = rowsOf<RawCode>(
        await tx.execute(sql`
        insert into promo_codes (site_id, campaign_id, variant_id, batch_id, kind, code, expires_at,
          min_order_value, max_uses, max_uses_per_customer, created_at)
        select ${batch.siteId}::uuid, ${batch.campaignId}::uuid, ${batch.variantId}::uuid, ${batchId}::uuid,
          ${batch.kind}, u.code, ${batch.expiresAt?.toISOString() ?? null}::timestamptz,
          ${batch.minOrderValue}::double precision, ${batch.maxUses}::int, ${batch.maxUsesPerCustomer}::int,
          ${batch.at.toISOString()}::timestamptz
        from unnest(${sql.param(batch.codes)}::text[]) as u(code)
        on conflict (site_id, code) do nothing
        returning ${codeColumns}`),
      )
      if (rows.length !== batch.codes.length) {
        // Rolls the partial batch back: a batch is stored whole or not at all.
        throw new TakenCode()
      }
      return rows.map(codeOf)
    })
    .catch((error: unknown) => {
      if (error instanceof TakenCode) return null
      throw error
    })
}

class TakenCode extends Error {}

export async function codesOfCampaign(
  db: Db,
  siteId: string,
  campaignId: string,
  after: { createdAt: Date; id: string } | undefined,
  limit: number,
): Promise<CodeRow[]> {
  const rows = rowsOf<RawCode>(
    await db.execute(sql`
      select ${codeColumns} from promo_codes
      where site_id = ${siteId} and campaign_id = ${campaignId}
        ${after ? sql`and (created_at, id) > (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)` : sql``}
      order by created_at, id
      limit ${limit}`),
  )
  return rows.map(codeOf)
}

/**
 * The site's code as typed, with its campaign's status, type and config; undefined when the site has none. A pool
 * code made for no variant credits the variant whose unit revealed it.
 */
export async function codeOnSite(db: Db, siteId: string, code: string) {
  const [row] = rowsOf<RawCode & { status: string; type: string; config: unknown; shown_by: string | null }>(
    await db.execute(sql`
      select ${codeColumnsOf('p')}, c.status, c.type, c.config, r.variant_id as shown_by
      from promo_codes p join campaigns c on c.id = p.campaign_id
        left join promo_code_reveals r on r.code_id = p.id and p.kind = 'unique'
      where p.site_id = ${siteId} and p.code = ${normalCode(code)}
      limit 1`),
  )
  if (!row) return undefined
  const found = codeOf(row)
  found.variantId ??= row.shown_by
  return { code: found, status: row.status, type: row.type, config: row.config }
}

const redemptionColumns = sql.raw(
  'r.id, r.campaign_id, r.variant_id, r.code_id, p.code, r.order_id, r.order_value, r.currency, r.discount, r.created_at, r.released_at',
)

/** The order's live redemption on the site, if any. */
export async function liveRedemption(db: Db, siteId: string, orderId: string) {
  const [row] = rowsOf<RawRedemption>(
    await db.execute(sql`
      select ${redemptionColumns} from promo_code_redemptions r join promo_codes p on p.id = r.code_id
      where r.site_id = ${siteId} and r.order_id = ${orderId} and r.released_at is null`),
  )
  return row ? redemptionOf(row) : undefined
}

export interface Redeem {
  siteId: string
  code: CodeRow
  orderId: string
  orderValue: number
  currency: string
  discount: number
  customerKey: string | null
  at: Date
}

/**
 * Redeems a code for an order in one transaction, taking its locks in one order for every writer (the order's
 * slot in the live-order index, then the code's row, then the customer's row), so racing redemptions and releases
 * queue rather than deadlock:
 * 1. the redemption row, inserted or, when the order has a live one, nothing (a concurrent insert of the same
 *    order waits on the unique index, then finds the first's row): the same order answers its one redemption;
 * 2. the code's uses, moved only while below `max_uses` (a conditional update, the row locked till commit);
 * 3. the customer's uses of the batch, likewise below `max_uses_per_customer`.
 * A refusal at 2 or 3 rolls the whole back: nothing is written.
 */
export async function redeem(
  db: Db,
  input: Redeem,
): Promise<{ redemption: RedemptionRow; replayed: boolean }> {
  const { code } = input
  const created = await db.transaction(async (tx) => {
    const inserted = rowsOf<{ id: string }>(
      await tx.execute(sql`
        insert into promo_code_redemptions (site_id, campaign_id, variant_id, code_id, batch_id, order_id,
          order_value, currency, discount, customer_key, created_at)
        values (${input.siteId}, ${code.campaignId}, ${code.variantId}, ${code.id}, ${code.batchId},
          ${input.orderId}, ${input.orderValue}, ${input.currency}, ${input.discount}, ${input.customerKey},
          ${input.at.toISOString()}::timestamptz)
        on conflict (site_id, order_id) where released_at is null do nothing
        returning id`),
    )
    if (inserted.length === 0) return false
    const counted = rowsOf(
      await tx.execute(sql`
        update promo_codes set uses = uses + 1
        where id = ${code.id} and (max_uses is null or uses < max_uses)
        returning uses`),
    )
    if (counted.length === 0) {
      throw new ApiError('exhausted', 'This code has been used as many times as it may be', [
        { path: 'code', message: 'no uses left' },
      ])
    }
    if (input.customerKey !== null && code.maxUsesPerCustomer !== null) {
      const mine = rowsOf(
        await tx.execute(sql`
          insert into promo_code_customers as u (site_id, batch_id, customer_key, uses)
          values (${input.siteId}, ${code.batchId}, ${input.customerKey}, 1)
          on conflict (batch_id, customer_key) do update set uses = u.uses + 1
            where u.uses < ${code.maxUsesPerCustomer}
          returning uses`),
      )
      if (mine.length === 0) {
        throw new ApiError('per_customer_limit', 'This customer has used this code as often as they may', [
          { path: 'customerId', message: 'per-customer limit reached' },
        ])
      }
    }
    return true
  })
  const redemption = await liveRedemption(db, input.siteId, input.orderId)
  // Released between this transaction and the read (a cancellation racing its own checkout): the order has none.
  if (!redemption)
    throw new ApiError('conflict', 'This order’s redemption was released meanwhile: send it again')
  return { redemption, replayed: !created }
}

/**
 * Releases an order's live redemption: marks it released, then gives its use back to the code and the customer,
 * in the same lock order as `redeem`. The second release of an order finds nothing live and changes nothing.
 */
export async function release(db: Db, siteId: string, orderId: string, at: Date) {
  return db.transaction(async (tx) => {
    const [gone] = rowsOf<RawRedemption & { batch_id: string; customer_key: string | null }>(
      await tx.execute(sql`
        update promo_code_redemptions r set released_at = ${at.toISOString()}::timestamptz
        from promo_codes p
        where p.id = r.code_id and r.site_id = ${siteId} and r.order_id = ${orderId} and r.released_at is null
        returning ${redemptionColumns}, r.batch_id, r.customer_key`),
    )
    if (!gone) return undefined
    await tx.execute(sql`update promo_codes set uses = uses - 1 where id = ${gone.code_id} and uses > 0`)
    if (gone.customer_key !== null) {
      await tx.execute(sql`
        update promo_code_customers set uses = uses - 1
        where batch_id = ${gone.batch_id} and customer_key = ${gone.customer_key} and uses > 0`)
    }
    return redemptionOf(gone)
  })
}

/** A campaign's redemption totals: live redemptions, their order value and discount (its cost). */
export async function redemptionTotals(db: Db, siteId: string, campaignId: string) {
  const [row] = rowsOf<{
    n: number | string
    revenue: number | string | null
    discount: number | string | null
  }>(
    await db.execute(sql`
      select count(*) as n, sum(order_value) as revenue, sum(discount) as discount
      from promo_code_redemptions
      where site_id = ${siteId} and campaign_id = ${campaignId} and released_at is null`),
  )
  return {
    redemptions: Number(row?.n ?? 0),
    revenue: Number(row?.revenue ?? 0),
    discount: Number(row?.discount ?? 0),
  }
}

export interface Reveal {
  siteId: string
  campaignId: string
  variantId: string | null
  anonymousId: string
  at: Date
}

/** The code the visitor was shown by the campaign, if any. */
export async function revealedTo(db: Db, campaignId: string, anonymousId: string) {
  const [row] = rowsOf<RawCode>(
    await db.execute(sql`
      select ${codeColumnsOf('p')} from promo_code_reveals r join promo_codes p on p.id = r.code_id
      where r.campaign_id = ${campaignId} and r.anonymous_id = ${anonymousId}`),
  )
  return row ? codeOf(row) : undefined
}

/**
 * Shows the visitor a code of the campaign, once: the first free code of its pool (taken with `skip locked`, so
 * racing visitors each get their own without waiting on one another), or else its shared code, for the visitor's
 * variant or for any. One visitor's reveals of one campaign queue on a transaction lock on the pair, so a visitor
 * racing themselves gets the first reveal's code, never a second one nor a refusal once the pool has run out
 * meanwhile. Undefined: nothing left to show.
 */
export async function reveal(db: Db, input: Reveal): Promise<CodeRow | undefined> {
  const at = input.at.toISOString()
  const usable = sql`campaign_id = ${input.campaignId}
    and (expires_at is null or expires_at > ${at}::timestamptz)
    and (max_uses is null or uses < max_uses)
    and (variant_id is null ${input.variantId ? sql`or variant_id = ${input.variantId}` : sql``})`
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`promo-reveal:${input.campaignId}:${input.anonymousId}`}, 0))`,
    )
    const already = await revealedTo(tx, input.campaignId, input.anonymousId)
    if (already) return already
    let [row] = rowsOf<RawCode>(
      await tx.execute(sql`
        update promo_codes set revealed_at = ${at}::timestamptz
        where id = (
          select id from promo_codes where ${usable} and kind = 'unique' and revealed_at is null
          order by created_at, id limit 1 for update skip locked)
        returning ${codeColumns}`),
    )
    if (!row) {
      ;[row] = rowsOf<RawCode>(
        await tx.execute(sql`
          select ${codeColumns} from promo_codes where ${usable} and kind = 'shared'
          order by created_at, id limit 1`),
      )
    }
    if (!row) return undefined
    await tx.execute(sql`
      insert into promo_code_reveals (site_id, campaign_id, variant_id, anonymous_id, code_id, created_at)
      values (${input.siteId}, ${input.campaignId}, ${input.variantId}, ${input.anonymousId}, ${row.id},
        ${at}::timestamptz)`)
    return codeOf(row)
  })
}

/** A campaign's redemptions, newest first, released ones included (with when). */
export async function redemptionsOfCampaign(
  db: Db,
  siteId: string,
  campaignId: string,
  before: { createdAt: Date; id: string } | undefined,
  limit: number,
): Promise<RedemptionRow[]> {
  const rows = rowsOf<RawRedemption>(
    await db.execute(sql`
      select ${redemptionColumns} from promo_code_redemptions r join promo_codes p on p.id = r.code_id
      where r.site_id = ${siteId} and r.campaign_id = ${campaignId}
        ${before ? sql`and (r.created_at, r.id) < (${before.createdAt.toISOString()}::timestamptz, ${before.id}::uuid)` : sql``}
      order by r.created_at desc, r.id desc
      limit ${limit}`),
  )
  return rows.map(redemptionOf)
}
