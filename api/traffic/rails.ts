import { type TrafficConfig, trafficConfig } from '../../schema/types/traffic'
import type { ClickSigner } from '../clicks'
import type { Choice, ServableCampaign, TraceEntry } from '../engine/decide'
import type { CatalogCache, CatalogItem, SiteCatalog } from './cache'
import { normaliseUrl } from './catalog'
import { type Breakdown, recommend } from './recommend'

/** A card of a rail: a catalog item, its signed click token and why it was picked. */
export interface RailItem {
  item: CatalogItem
  token: string
  score: Breakdown
}

/** The cards of each traffic decision of an answer. */
export type Rails = Map<Choice, RailItem[]>

type RailSettings = Pick<TrafficConfig, 'scoring' | 'maxCards' | 'appendUtm'>

/** A traffic campaign with no manual `cards` shows recommendations from the site's catalog. */
export const fedByCatalog = (campaign: ServableCampaign) =>
  campaign.type === 'traffic' && !(Array.isArray(campaign.config.cards) && campaign.config.cards.length > 0)

/** `utm_campaign` from the campaign's name: lower case, words joined by hyphens. */
const utmCampaign = (campaign: ServableCampaign) =>
  campaign.name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100) || campaign.id

/**
 * Recommendation rails in serve answers. A traffic campaign fed by the catalog competes only while the site's
 * catalog has items (so an empty catalog never takes a slot another campaign could fill); once chosen, it gets
 * the visitor's top `maxCards` items, scored against their recent views and the current page, each with a
 * signed click URL. The catalog comes from the per-site cache; the visitor's views are read only when an answer
 * has such a decision.
 */
export class Recommender {
  private readonly hasRails = new WeakMap<ServableCampaign[], boolean>()
  private readonly withoutRails = new WeakMap<ServableCampaign[], ServableCampaign[]>()
  private readonly settings = new WeakMap<ServableCampaign, RailSettings>()

  constructor(
    private readonly catalog: CatalogCache,
    private readonly signer: ClickSigner,
  ) {}

  /** The campaigns that may compete: all of them, but for catalog-fed ones while the catalog is empty. */
  async eligible(siteId: string, campaigns: ServableCampaign[]): Promise<ServableCampaign[]> {
    let rails = this.hasRails.get(campaigns)
    if (rails === undefined) {
      rails = campaigns.some(fedByCatalog)
      this.hasRails.set(campaigns, rails)
    }
    if (!rails || (await this.catalog.forSite(siteId)).items.length > 0) return campaigns
    let without = this.withoutRails.get(campaigns)
    if (!without) {
      without = campaigns.filter((campaign) => !fedByCatalog(campaign))
      this.withoutRails.set(campaigns, without)
    }
    return without
  }

  /** Whether an answer needs rails filled (so answers without them await nothing). */
  wanted(choices: Choice[]): boolean {
    return choices.some((choice) => fedByCatalog(choice.campaign))
  }

  /**
   * Each catalog-fed decision's cards, no item in two rails of one answer. A decision left with no card (the
   * visitor has seen every item) is dropped; with a trace, its entry says so and every chosen one lists its
   * cards' scores.
   */
  async fill(
    siteId: string,
    choices: Choice[],
    visitor: { anonymousId: string; url?: string },
    now: number,
    trace?: TraceEntry[],
  ): Promise<{ choices: Choice[]; rails: Rails }> {
    const catalog = await this.catalog.forSite(siteId)
    const viewed = await this.catalog.recentViews(siteId, visitor.anonymousId)
    const current = normaliseUrl(visitor.url)
    const exclude = new Set(viewed)
    if (current) exclude.add(current)
    const interests: CatalogItem[] = []
    for (const url of current ? [current, ...viewed] : viewed) {
      const item = catalog.byUrl.get(url)
      if (item) interests.push(item)
    }
    const rails: Rails = new Map()
    const kept: Choice[] = []
    for (const choice of choices) {
      if (!fedByCatalog(choice.campaign)) {
        kept.push(choice)
        continue
      }
      const settings = this.settingsOf(choice.campaign)
      const picked = recommend({
        items: catalog.items,
        interests,
        exclude,
        now,
        scoring: settings.scoring,
        limit: settings.maxCards,
        siteCtr: catalog.siteCtr,
      })
      const entry = trace?.find(
        (e) => e.outcome === 'chosen' && e.campaignId === choice.campaign.id && e.slot === choice.slot,
      )
      if (picked.length === 0) {
        if (entry)
          Object.assign(entry, { outcome: 'skipped', reason: 'no_items' } satisfies Partial<TraceEntry>)
        continue
      }
      const items = picked.map(({ item, score }) => {
        exclude.add(item.url)
        return { item, score, token: this.tokenOf(siteId, catalog, choice, item, settings) }
      })
      if (entry) entry.items = items.map(({ item, score }) => ({ url: item.url, ...rounded(score) }))
      rails.set(choice, items)
      kept.push(choice)
    }
    return { choices: kept, rails }
  }

  private settingsOf(campaign: ServableCampaign): RailSettings {
    let settings = this.settings.get(campaign)
    if (!settings) {
      const parsed = trafficConfig.safeParse(campaign.config)
      settings = parsed.success ? parsed.data : trafficConfig.parse({})
      this.settings.set(campaign, settings)
    }
    return settings
  }

  /** A token names a variant's destination, so one is signed per item and variant while the catalog is loaded. */
  private tokenOf(
    siteId: string,
    catalog: SiteCatalog,
    choice: Choice,
    item: CatalogItem,
    settings: RailSettings,
  ): string {
    let destination = item.url
    if (settings.appendUtm) {
      const url = new URL(item.url)
      url.searchParams.set('utm_source', 'promo')
      url.searchParams.set('utm_medium', 'onsite')
      url.searchParams.set('utm_campaign', utmCampaign(choice.campaign))
      destination = url.href
    }
    const key = `${choice.variant.id}\n${destination}`
    let token = catalog.tokens.get(key)
    if (!token) {
      token = this.signer.sign({ s: siteId, c: choice.campaign.id, v: choice.variant.id, u: destination })
      if (catalog.tokens.size > 50_000) catalog.tokens.clear()
      catalog.tokens.set(key, token)
    }
    return token
  }
}

const round = (value: number) => Math.round(value * 10_000) / 10_000
const rounded = (score: Breakdown): Breakdown => ({
  relevance: round(score.relevance),
  ctr: round(score.ctr),
  recency: round(score.recency),
  diversity: round(score.diversity),
  total: round(score.total),
})

/**
 * A rail's cards as the decision's `items` JSON. `query` is what every click URL of the decision carries
 * (`?a=visitor` and the slot); `i=1` tells the redirect to record the click as the item's.
 */
export function itemsJson(items: RailItem[], clickBase: string, query: string): string {
  return JSON.stringify(
    items.map(({ item, token }) => ({
      url: item.url,
      title: item.title,
      ...(item.imageUrl ? { imageUrl: item.imageUrl } : {}),
      ...(item.summary ? { summary: item.summary } : {}),
      clickUrl: `${clickBase}${token}${query}&i=1`,
    })),
  )
}
