import { sql } from 'drizzle-orm'
import { rowsOf } from '../../../api/ports/database'
import type { DecisionFiller } from '../../../api/promotion'
import type { Services } from '../../../api/services/index'
import type { OfferEventConfig } from '../config'

type Choice = Parameters<DecisionFiller['wanted']>[0][number]
type Campaign = Choice['campaign']
type TraceEntry = NonNullable<Parameters<DecisionFiller['fill']>[4]>[number]

/** What serving needs of an offer_event campaign's config, read once per loaded campaign. */
interface Plan {
  /** When the unit stops being served (ms): the countdown's fixed end, or the event's end, whichever is first. */
  endsAt?: number
  /** An evergreen countdown's length (ms) from the visitor's first view. */
  evergreenMs?: number
  /** A flash sale's stock: its total and the promo code whose live redemptions count it down. */
  stock?: { total: number; code: string }
  /** An event's capacity, when it takes RSVPs: the decision carries the seats left. */
  capacity?: number
}

/** How long a campaign's remaining stock is reused before it is read again (ms of the server's clock). */
export const stockTtlMs = 2_000

function planOf(config: Partial<OfferEventConfig>): Plan | undefined {
  const plan: Plan = {}
  const countdown = config.countdown
  if (countdown?.endsAt) plan.endsAt = Date.parse(countdown.endsAt)
  if (countdown?.evergreenHours) plan.evergreenMs = countdown.evergreenHours * 3_600_000
  const stock = config.offer?.stock
  if (stock && config.offer?.promoCode)
    plan.stock = { total: stock.total, code: config.offer.promoCode.toUpperCase() }
  const event = config.event
  // An event is over at its end (or its start, without one): its card is not served after that.
  const eventOver = event ? Date.parse(event.endsAt ?? event.startsAt) : Number.NaN
  if (!Number.isNaN(eventOver)) plan.endsAt = Math.min(plan.endsAt ?? eventOver, eventOver)
  if (event?.capacity && event.rsvp !== false) plan.capacity = event.capacity
  return plan.endsAt === undefined && plan.evergreenMs === undefined && !plan.stock && !plan.capacity
    ? undefined
    : plan
}

/**
 * Serving's part of offers: a unit whose time is up, or whose stock is gone, is not served at all (the page
 * never gets it, so no script can show it). A fixed deadline and the stock are judged before deciding
 * (`eligible`), with the plans made once per loaded campaign list, so serving without offers costs one map
 * lookup; an evergreen deadline depends on the visitor's first view, so it is judged after choosing (`fill`),
 * which also adds the decision's `deadline` (ISO), `remaining` (stock) and `seatsLeft` (an event's capacity less
 * its confirmed seats): see ../decision.ts.
 *
 * The first view is the visitor's first stored `impression` of the campaign: it exists only for an id the
 * browser keeps, which the SDK does only with consent to store (without it every page has a new id, so every
 * page is a first view, and the widget shows no evergreen clock at all).
 */
export class OfferServing {
  private readonly plans = new WeakMap<Campaign, Plan | null>()
  private readonly planned = new WeakMap<Campaign[], Campaign[]>()
  private readonly stock = new Map<string, { remaining: number; at: number }>()
  private readonly seats = new Map<string, { left: number; at: number }>()

  constructor(private readonly services: Services) {}

  plan(campaign: Campaign): Plan | undefined {
    if (campaign.type !== 'offer_event') return undefined
    let plan = this.plans.get(campaign)
    if (plan === undefined) {
      plan = planOf(campaign.config as Partial<OfferEventConfig>) ?? null
      this.plans.set(campaign, plan)
    }
    return plan ?? undefined
  }

  /** The campaigns with a fixed end or a stock, of a loaded list (the same array object until the list changes). */
  private timed(campaigns: Campaign[]): Campaign[] {
    let timed = this.planned.get(campaigns)
    if (!timed) {
      timed = campaigns.filter((campaign) => {
        const plan = this.plan(campaign)
        return plan !== undefined && (plan.endsAt !== undefined || plan.stock !== undefined)
      })
      this.planned.set(campaigns, timed)
    }
    return timed
  }

  /** Units left of a flash sale: its total less the live redemptions of its code, read at most every stockTtlMs. */
  async remaining(siteId: string, campaign: Campaign, stock: NonNullable<Plan['stock']>, now: number) {
    const known = this.stock.get(campaign.id)
    if (known && now - known.at < stockTtlMs && now >= known.at) return known.remaining
    const [row] = rowsOf<{ used: number | string | null }>(
      await this.services.db.execute(sql`
        select coalesce(sum(uses), 0) as used from promo_codes where site_id = ${siteId} and code = ${stock.code}`),
    )
    const remaining = Math.max(0, stock.total - Number(row?.used ?? 0))
    if (this.stock.size >= 10_000) this.stock.clear()
    this.stock.set(campaign.id, { remaining, at: now })
    return remaining
  }

  /** Seats not yet confirmed of an event (its RSVP counter, which every seat change locks), read at most every stockTtlMs. */
  async seatsLeft(campaign: Campaign, capacity: number, now: number) {
    const known = this.seats.get(campaign.id)
    if (known && now - known.at < stockTtlMs && now >= known.at) return known.left
    const [row] = rowsOf<{ confirmed: number | string }>(
      await this.services.db.execute(
        sql`select confirmed from rsvp_counters where campaign_id = ${campaign.id}`,
      ),
    )
    const left = Math.max(0, capacity - Number(row?.confirmed ?? 0))
    if (this.seats.size >= 10_000) this.seats.clear()
    this.seats.set(campaign.id, { left, at: now })
    return left
  }

  async eligible(siteId: string, campaigns: Campaign[]): Promise<Campaign[]> {
    const timed = this.timed(campaigns)
    if (timed.length === 0) return campaigns
    const now = this.services.now()
    const over = new Set<Campaign>()
    for (const campaign of timed) {
      const plan = this.plan(campaign)!
      const ended =
        (plan.endsAt !== undefined && now >= plan.endsAt) ||
        (plan.stock !== undefined && (await this.remaining(siteId, campaign, plan.stock, now)) <= 0)
      if (ended) over.add(campaign)
    }
    return over.size > 0 ? campaigns.filter((campaign) => !over.has(campaign)) : campaigns
  }

  wanted(choices: Choice[]): boolean {
    for (const choice of choices) {
      const plan = this.plan(choice.campaign)
      if (plan && (plan.evergreenMs !== undefined || plan.stock || plan.capacity)) return true
    }
    return false
  }

  /** The visitor's first stored view of the campaign (ms), if any. */
  private async firstView(siteId: string, campaignId: string, anonymousId: string) {
    if (anonymousId === 'anonymous') return undefined
    const [row] = rowsOf<{ first: string | Date | null }>(
      await this.services.db.execute(sql`
        select min(ts) as first from events where site_id = ${siteId} and anonymous_id = ${anonymousId}
          and name = 'impression' and campaign_id = ${campaignId}`),
    )
    return row?.first ? new Date(row.first).getTime() : undefined
  }

  async fill(
    siteId: string,
    choices: Choice[],
    visitor: { anonymousId: string },
    now: number,
    trace?: TraceEntry[],
  ) {
    const kept: Choice[] = []
    /** With `?debug=1`, the chosen entry of a unit left out here says why. */
    const leftOut = (choice: Choice, detail: string) => {
      const entry = trace?.find(
        (e) => e.outcome === 'chosen' && e.campaignId === choice.campaign.id && e.slot === choice.slot,
      )
      if (entry)
        Object.assign(entry, { outcome: 'skipped', reason: 'no_items', detail } satisfies Partial<TraceEntry>)
    }
    const fields = new Map<Choice, (clickBase: string, query: string) => string>()
    for (const choice of choices) {
      const plan = this.plan(choice.campaign)
      if (!plan || (plan.evergreenMs === undefined && !plan.stock && !plan.capacity)) {
        kept.push(choice)
        continue
      }
      let json = ''
      if (plan.evergreenMs !== undefined) {
        const first = (await this.firstView(siteId, choice.campaign.id, visitor.anonymousId)) ?? now
        const deadline = first + plan.evergreenMs
        if (now >= deadline) {
          leftOut(choice, "the visitor's evergreen countdown is over")
          continue
        }
        json += `,"deadline":"${new Date(deadline).toISOString()}"`
      }
      if (plan.stock) {
        const remaining = await this.remaining(siteId, choice.campaign, plan.stock, now)
        if (remaining <= 0) {
          leftOut(choice, 'the stock is gone')
          continue
        }
        json += `,"remaining":${remaining}`
      }
      if (plan.capacity) json += `,"seatsLeft":${await this.seatsLeft(choice.campaign, plan.capacity, now)}`
      kept.push(choice)
      fields.set(choice, () => json)
    }
    return { choices: kept, fields }
  }
}
