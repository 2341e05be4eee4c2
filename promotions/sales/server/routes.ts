import { and, eq, inArray } from 'drizzle-orm'
import { Hono, type MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { isBot } from '../../../api/core/bots'
import { ApiError } from '../../../api/core/errors'
import { adminPrincipal, requireAdmin, sitesInScope } from '../../../api/http/auth/admin'
import { publicPreflight, publicSite } from '../../../api/http/auth/public'
import { bodyLimit } from '../../../api/http/body-limit'
import type { AppEnv } from '../../../api/http/env'
import { headerOf, parseQuery, pathId, readBody } from '../../../api/http/request'
import type { Services } from '../../../api/services'
import { inAudience } from '../../../api/services/audiences/read'
import { sha256Hex } from '../../../api/services/auth/keys'
import { decodeCursor, encodeCursor } from '../../../api/services/cursor'
import type { CodeDiscount } from '../../../api/services/promo-code-types'
import { campaignAudienceKey } from '../../../schema/audiences'
import { campaigns, variants } from '../../../schema/db'
import { bodyLimits, isStorableTime, limits, unstorableTimeMessage } from '../../../schema/limits'
import {
  type CodeRow,
  codeOnSite,
  codesOfCampaign,
  insertCodes,
  liveRedemption,
  normalCode,
  type RedemptionRow,
  randomCode,
  redeem,
  redemptionsOfCampaign,
  release,
  reveal,
  revealedTo,
} from './store'

const money = z.number().min(0).max(1_000_000_000)
const codeText = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{3,50}$/, '3 to 50 letters, digits, _ and -')
const rules = {
  variantId: z.uuid().optional(),
  expiresAt: z.iso.datetime({ offset: true }).refine(isStorableTime, unstorableTimeMessage).optional(),
  minOrderValue: money.optional(),
  maxUses: z.number().int().min(1).max(1_000_000_000).optional(),
  maxUsesPerCustomer: z.number().int().min(1).max(1_000_000).optional(),
}

/** The most codes one pool request makes. */
export const maxPool = 10_000

/** A shared code (`code`) or a pool of `pool` unique random codes (each once, unless `maxUses` says more). */
export const createCodesRequest = z
  .strictObject({
    code: codeText.optional(),
    pool: z.number().int().min(1).max(maxPool).optional(),
    /** Before each pool code's random part. */
    prefix: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{0,20}$/, 'at most 20 letters, digits, _ and -')
      .optional(),
    ...rules,
  })
  .refine((body) => (body.code === undefined) !== (body.pool === undefined), {
    message: 'either code (a shared code) or pool (how many unique codes), not both',
    path: ['code'],
  })
  .refine((body) => body.prefix === undefined || body.pool !== undefined, {
    message: 'a prefix is for a pool',
    path: ['prefix'],
  })

export const codesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
})

const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code like EUR')

export const redeemRequest = z.strictObject({
  code: z.string().trim().min(1).max(50),
  orderId: z.string().trim().min(1).max(200),
  orderValue: money,
  currency: currency.optional(),
  customerId: z.string().trim().min(1).max(200).optional(),
  /** SHA-256 of the customer's normalised email, hex, as Meta's `em`. */
  emailHash: z
    .string()
    .regex(/^[A-Fa-f0-9]{64}$/, 'a SHA-256 hex digest')
    .transform((hash) => hash.toLowerCase())
    .optional(),
})

export const releaseRequest = z.strictObject({ orderId: z.string().trim().min(1).max(200) })

/** From the unit's copy button (the SDK): the publishable key, the campaign, and the visitor. */
export const revealRequest = z.strictObject({
  site: z.string().min(1).max(limits.id),
  campaignId: z.uuid(),
  variantId: z.uuid().optional(),
  anonymousId: z.string().min(1).max(limits.id),
  /** The serve answer's `visitorToken` for this anonymous id; when sent it must belong to it. */
  visitorToken: z.string().max(64).optional(),
})

const noStore: MiddlewareHandler = (c, next) => {
  c.header('Cache-Control', 'no-store')
  c.header('X-Content-Type-Options', 'nosniff')
  return next()
}

/**
 * The shop's checkout only: its site's secret key. A session cannot redeem (nor would an admin's click be an
 * order); no audit row per order either, which the admin guard would write for every checkout.
 */
const secretKeyOnly =
  (services: Services): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const principal = await adminPrincipal(c, services)
    if (principal.kind !== 'key') {
      throw new ApiError(
        'forbidden',
        'Redeeming and releasing take the site’s secret key (Authorization: Bearer sk_…)',
      )
    }
    c.set('principal', principal)
    return next()
  }

const codeJson = (row: CodeRow) => ({
  id: row.id,
  campaignId: row.campaignId,
  variantId: row.variantId,
  batchId: row.batchId,
  kind: row.kind,
  code: row.code,
  expiresAt: row.expiresAt?.toISOString() ?? null,
  minOrderValue: row.minOrderValue,
  maxUses: row.maxUses,
  maxUsesPerCustomer: row.maxUsesPerCustomer,
  uses: row.uses,
  createdAt: row.createdAt.toISOString(),
})

const redemptionJson = (row: RedemptionRow, replayed: boolean) => ({
  redemptionId: row.id,
  status: row.releasedAt ? ('released' as const) : ('redeemed' as const),
  replayed,
  code: row.code,
  campaignId: row.campaignId,
  variantId: row.variantId,
  orderId: row.orderId,
  orderValue: row.orderValue,
  currency: row.currency,
  discount: row.discount,
  createdAt: row.createdAt.toISOString(),
  releasedAt: row.releasedAt?.toISOString() ?? null,
})

const cents = (value: number) => Math.round(value * 100) / 100

/** What the code takes off the order, from the campaign's discount: its cost, for ROAS and CPA. */
export function discountOf(discount: CodeDiscount | undefined, orderValue: number): number {
  if (!discount) return 0
  switch (discount.type) {
    case 'percentage':
      return cents((orderValue * discount.value) / 100)
    case 'fixed_amount':
      return cents(Math.min(discount.value, orderValue))
    case 'free_shipping':
      return cents(discount.value)
  }
}

/** Statuses whose codes a checkout may redeem: a paused or ended campaign's handed-out codes still hold. */
const redeemable = new Set(['active', 'paused', 'completed'])

/** An order's redemption sent again: the same answer for the same code, 409 for another. */
function redemptionOrConflict(redemption: RedemptionRow, code: CodeRow) {
  if (redemption.codeId !== code.id) {
    throw new ApiError('conflict', 'This order has redeemed another code', [
      { path: 'orderId', message: `redeemed ${redemption.code}` },
    ])
  }
  return redemptionJson(redemption, true)
}

const unknownCode = () =>
  new ApiError('unknown_code', 'No such code on this site', [{ path: 'code', message: 'unknown code' }])

/**
 * The promo-code routes, mounted at /api/v1 by sales: the admin's codes of a campaign (secret key or session,
 * guarded here since the type's routes answer before the generic admin guard), the checkout's redeem and release
 * (the site's secret key) and the unit's reveal. They serve the campaigns of every type that declares
 * `ServerType.promoCodes` (sales, remarketing's incentive), under the terms it reads from the campaign's config.
 */
export function salesRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const db = services.db

  for (const path of ['/campaigns/:id/promo-codes', '/campaigns/:id/promo-codes/redemptions']) {
    app.use(path, noStore, bodyLimit(bodyLimits.admin), requireAdmin(services))
  }
  for (const path of ['/promo-codes/redeem', '/promo-codes/release']) {
    app.use(path, noStore, bodyLimit(bodyLimits.admin), secretKeyOnly(services))
  }

  const codeTypes = [...services.promoCodes.types]

  /** The principal's campaign with promo codes, or 404 (another site's is as unknown as none). */
  const codesCampaign = async (siteIds: string[], id: string) => {
    if (siteIds.length === 0) throw new ApiError('not_found', 'Campaign not found')
    const [row] = await db
      .select({ id: campaigns.id, siteId: campaigns.siteId, status: campaigns.status })
      .from(campaigns)
      .where(
        and(eq(campaigns.id, id), inArray(campaigns.siteId, siteIds), inArray(campaigns.type, codeTypes)),
      )
      .limit(1)
    if (!row) throw new ApiError('not_found', 'No campaign with promo codes has this id')
    return row
  }

  app.post('/campaigns/:id/promo-codes', async (c) => {
    const campaignId = pathId(c)
    const body = await readBody(c, createCodesRequest)
    const campaign = await codesCampaign(sitesInScope(c.get('principal'), undefined), campaignId)
    if (campaign.status === 'archived') throw new ApiError('conflict', 'This campaign is archived')
    if (body.variantId) {
      const [variant] = await db
        .select({ id: variants.id })
        .from(variants)
        .where(and(eq(variants.id, body.variantId), eq(variants.campaignId, campaign.id)))
        .limit(1)
      if (!variant) {
        throw new ApiError('validation_failed', 'variantId: no such variant of this campaign', [
          { path: 'variantId', message: 'no such variant of this campaign' },
        ])
      }
    }
    const batch = {
      siteId: campaign.siteId,
      campaignId: campaign.id,
      variantId: body.variantId ?? null,
      kind: body.code !== undefined ? ('shared' as const) : ('unique' as const),
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
      minOrderValue: body.minOrderValue ?? null,
      maxUses: body.maxUses ?? (body.pool !== undefined ? 1 : null),
      maxUsesPerCustomer: body.maxUsesPerCustomer ?? null,
      at: new Date(services.now()),
    }
    if (body.code !== undefined) {
      const rows = await insertCodes(db, { ...batch, codes: [normalCode(body.code)] })
      if (!rows) {
        throw new ApiError('conflict', 'This site has this code already', [
          { path: 'code', message: 'taken on this site' },
        ])
      }
      return c.json({ batchId: rows[0]!.batchId, data: rows.map(codeJson) }, 201)
    }
    // Random codes almost never collide; a pool that drew a taken one is drawn again, whole.
    for (let attempt = 0; attempt < 3; attempt++) {
      const codes = new Set<string>()
      while (codes.size < body.pool!) codes.add(randomCode(body.prefix ?? ''))
      const rows = await insertCodes(db, { ...batch, codes: [...codes] })
      if (rows) return c.json({ batchId: rows[0]!.batchId, data: rows.map(codeJson) }, 201)
    }
    throw new ApiError('conflict', 'Could not draw unique codes: try a longer prefix', [
      { path: 'prefix', message: 'codes drawn were taken' },
    ])
  })

  app.get('/campaigns/:id/promo-codes', async (c) => {
    const campaignId = pathId(c)
    const query = parseQuery(c, codesQuery)
    const campaign = await codesCampaign(sitesInScope(c.get('principal'), undefined), campaignId)
    const after = query.cursor ? decodeCursor(query.cursor) : undefined
    const rows = await codesOfCampaign(db, campaign.siteId, campaign.id, after, query.limit + 1)
    const shown = rows.slice(0, query.limit)
    const last = shown[shown.length - 1]
    return c.json({
      data: shown.map(codeJson),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    })
  })

  app.get('/campaigns/:id/promo-codes/redemptions', async (c) => {
    const campaignId = pathId(c)
    const query = parseQuery(c, codesQuery)
    const campaign = await codesCampaign(sitesInScope(c.get('principal'), undefined), campaignId)
    const before = query.cursor ? decodeCursor(query.cursor) : undefined
    const rows = await redemptionsOfCampaign(db, campaign.siteId, campaign.id, before, query.limit + 1)
    const shown = rows.slice(0, query.limit)
    const last = shown[shown.length - 1]
    return c.json({
      data: shown.map((row) => redemptionJson(row, false)),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    })
  })

  app.post('/promo-codes/redeem', async (c) => {
    const body = await readBody(c, redeemRequest)
    const siteId = c.get('principal').siteIds[0]!
    const found = await codeOnSite(db, siteId, body.code)
    if (!found || !redeemable.has(found.status)) throw unknownCode()
    const { code } = found
    // A retried checkout answers its redemption, whatever has changed since (the code expired, ran out).
    const live = await liveRedemption(db, siteId, body.orderId)
    if (live) return c.json(redemptionOrConflict(live, code), 200)
    const terms = services.promoCodes.terms(found.type, found.config as Record<string, unknown>)
    if (!terms) {
      services.log.error('a campaign’s stored config no longer validates: save it again', {
        campaignId: code.campaignId,
      })
      throw new ApiError('unavailable', 'This code cannot be redeemed right now')
    }
    if (body.currency !== undefined && body.currency !== terms.currency) {
      throw new ApiError('unprocessable', `This campaign’s amounts are in ${terms.currency}`, [
        { path: 'currency', message: `not the campaign’s currency (${terms.currency})` },
      ])
    }
    const now = services.now()
    if (code.expiresAt && now >= code.expiresAt.getTime()) {
      throw new ApiError('expired', 'This code has expired', [{ path: 'code', message: 'expired' }])
    }
    if (code.minOrderValue !== null && body.orderValue < code.minOrderValue) {
      throw new ApiError('min_order_value', `This code needs an order of at least ${code.minOrderValue}`, [
        { path: 'orderValue', message: `below the code’s minimum of ${code.minOrderValue}` },
      ])
    }
    const customer =
      body.customerId !== undefined
        ? `id:${body.customerId}`
        : body.emailHash !== undefined
          ? `em:${body.emailHash}`
          : null
    if (code.maxUsesPerCustomer !== null && customer === null) {
      throw new ApiError('validation_failed', 'customerId: this code is limited per customer', [
        { path: 'customerId', message: 'required (or emailHash): the code is limited per customer' },
      ])
    }
    const { redemption, replayed } = await redeem(db, {
      siteId,
      code,
      orderId: body.orderId,
      orderValue: body.orderValue,
      currency: terms.currency,
      discount: discountOf(terms.discount, body.orderValue),
      // One-way, and per site: the shop's customer id is not kept.
      customerKey: customer === null ? null : await sha256Hex(`${siteId}:${customer}`),
      at: new Date(now),
    })
    return c.json(replayed ? redemptionOrConflict(redemption, code) : redemptionJson(redemption, false), 200)
  })

  app.post('/promo-codes/release', async (c) => {
    const body = await readBody(c, releaseRequest)
    const siteId = c.get('principal').siteIds[0]!
    const released = await release(db, siteId, body.orderId, new Date(services.now()))
    return c.json(
      released ? { released: true, redemption: redemptionJson(released, false) } : { released: false },
    )
  })

  app.options('/promo-codes/reveal', (c) => publicPreflight(c, services))

  // The unit's copy button: the visitor's one code of the campaign, the same on every reveal.
  app.post('/promo-codes/reveal', async (c) => {
    const body = await readBody(c, revealRequest, 'json-or-text')
    const site = await publicSite(c, services, body.site)
    c.header('Cache-Control', 'private, no-store')
    if (body.visitorToken && !services.signer.holdsVisitor(site.id, body.anonymousId, body.visitorToken)) {
      throw new ApiError('validation_failed', 'visitorToken: not the token served to this anonymousId', [
        { path: 'visitorToken', message: 'not the token served to this anonymousId' },
      ])
    }
    const [campaign] = await db
      .select({ id: campaigns.id, type: campaigns.type, config: campaigns.config })
      .from(campaigns)
      .where(
        and(
          eq(campaigns.id, body.campaignId),
          eq(campaigns.siteId, site.id),
          inArray(campaigns.type, codeTypes),
          eq(campaigns.status, 'active'),
        ),
      )
      .limit(1)
    if (!campaign) {
      throw new ApiError('not_found', 'No running campaign with promo codes has this id on this site', [
        { path: 'campaignId', message: 'no running campaign with promo codes has this id' },
      ])
    }
    // A campaign shown to an audience of its own (remarketing) hands its codes to its members only, and only to
    // the browser that was served under this id.
    const audience =
      services.audiences.of(campaign.type, campaign.config as Record<string, unknown>) !== undefined
    if (audience && !body.visitorToken) {
      throw new ApiError('validation_failed', 'visitorToken: this campaign’s codes are for its audience', [
        { path: 'visitorToken', message: 'required: the serve answer’s visitorToken' },
      ])
    }
    const shown = (code: CodeRow | undefined) => ({
      code: code?.code ?? null,
      campaignId: campaign.id,
      variantId: code?.variantId ?? null,
      expiresAt: code?.expiresAt?.toISOString() ?? null,
    })
    // A crawler is answered as a visitor would be, without taking a code of the pool.
    if (isBot(headerOf(c, 'user-agent'))) return c.json(shown(undefined))
    const already = await revealedTo(db, campaign.id, body.anonymousId)
    if (already) return c.json(shown(already))
    if (audience && !(await inAudience(db, site.id, campaignAudienceKey(campaign.id), body.anonymousId))) {
      throw new ApiError('forbidden', 'This visitor is not in the campaign’s audience', [
        { path: 'anonymousId', message: 'not in the campaign’s audience' },
      ])
    }
    if (body.variantId) {
      const [variant] = await db
        .select({ id: variants.id })
        .from(variants)
        .where(and(eq(variants.id, body.variantId), eq(variants.campaignId, campaign.id)))
        .limit(1)
      if (!variant) {
        throw new ApiError('validation_failed', 'variantId: no such variant of this campaign', [
          { path: 'variantId', message: 'no such variant of this campaign' },
        ])
      }
    }
    const code = await reveal(db, {
      siteId: site.id,
      campaignId: campaign.id,
      variantId: body.variantId ?? null,
      anonymousId: body.anonymousId,
      at: new Date(services.now()),
    })
    if (!code) {
      throw new ApiError('exhausted', 'This campaign has no code left to show', [
        { path: 'campaignId', message: 'no code left' },
      ])
    }
    return c.json(shown(code))
  })

  return app
}
