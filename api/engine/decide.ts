import type { Creative, Schedule, Targeting } from '../../schema/campaign'
import { pageFormats, slotFormats } from '../../schema/serve'
import { inSchedule } from './schedule'
import { matches } from './targeting'
import type { VisitorContext } from './visitor'

export interface ServableVariant {
  id: string
  weight: number
  creative: Creative
  /** Signed click token for the creative's ctaUrl, made when the campaign was loaded. */
  clickToken?: string
}

export interface ServableCampaign {
  id: string
  type: string
  format: string
  priority: number
  weight: number
  placements: string[]
  schedule: Schedule
  targeting: Targeting
  config: Record<string, unknown>
  variants: ServableVariant[]
}

export interface DecisionInput {
  slots: string[]
  anonymousId: string
  now: number
  /** Uniform in [0, 1); handed in so the decision stays a pure function. */
  random: () => number
  visitor: VisitorContext
}

export interface Choice {
  slot?: string
  campaign: ServableCampaign
  variant: ServableVariant
}

const isSlotFormat = (format: string) => (slotFormats as readonly string[]).includes(format)
const isPageFormat = (format: string) => (pageFormats as readonly string[]).includes(format)

/** FNV-1a, 32 bit: a stable, fast hash so one visitor keeps one variant across requests and restarts. */
export function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

function pickWeighted<T extends { weight: number }>(items: T[], unit: number): T | undefined {
  const total = items.reduce((sum, item) => sum + Math.max(0, item.weight), 0)
  if (total <= 0) return items[0]
  let target = unit * total
  for (const item of items) {
    target -= Math.max(0, item.weight)
    if (target < 0) return item
  }
  return items[items.length - 1]
}

export function chooseVariant(campaign: ServableCampaign, anonymousId: string): ServableVariant | undefined {
  const bucket = hash32(`${campaign.id}:${anonymousId}`) / 2 ** 32
  return pickWeighted(campaign.variants, bucket)
}

/** Highest priority tier first, then a weighted draw inside the tier. */
function pickCampaign(candidates: ServableCampaign[], random: () => number): ServableCampaign | undefined {
  if (candidates.length === 0) return undefined
  const top = Math.max(...candidates.map((c) => c.priority))
  return pickWeighted(
    candidates.filter((c) => c.priority === top),
    random(),
  )
}

/** Page-level units compete by position: one popup, one bottom bar, one top bar at most. */
const pagePosition = (format: string) => (format === 'sticky' ? 'sticky_bottom' : format)

/**
 * Chooses what to render: one campaign per requested slot and the page-level units, never the same campaign
 * twice on one page. Pure: everything it needs is in its arguments.
 */
export function decide(campaigns: ServableCampaign[], input: DecisionInput): Choice[] {
  const live = campaigns.filter(
    (c) => c.variants.length > 0 && inSchedule(c.schedule, input.now) && matches(c.targeting, input.visitor),
  )
  const used = new Set<string>()
  const choices: Choice[] = []
  const add = (campaign: ServableCampaign | undefined, slot?: string) => {
    if (!campaign) return
    const variant = chooseVariant(campaign, input.anonymousId)
    if (!variant) return
    used.add(campaign.id)
    choices.push(slot === undefined ? { campaign, variant } : { slot, campaign, variant })
  }

  for (const slot of new Set(input.slots)) {
    const candidates = live.filter(
      (c) => !used.has(c.id) && isSlotFormat(c.format) && c.placements.includes(slot),
    )
    add(pickCampaign(candidates, input.random), slot)
  }

  const positions = new Map<string, ServableCampaign[]>()
  for (const c of live) {
    if (used.has(c.id) || !isPageFormat(c.format)) continue
    const key = pagePosition(c.format)
    positions.set(key, [...(positions.get(key) ?? []), c])
  }
  for (const candidates of positions.values()) add(pickCampaign(candidates, input.random))
  return choices
}
