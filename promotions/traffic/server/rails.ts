import type { ClickSigner } from '../../../api/core/clicks'
import type { Choice, ServableCampaign, ServableVariant, TraceEntry } from '../../../api/core/decide'
import type { RecommendedItem } from '../../../schema/content'
import { type TrafficConfig, trafficConfig } from '../config'
import type { CatalogCache, CatalogItem, SiteCatalog } from './cache'
import { normaliseUrl } from './catalog'
import { type Breakdown, recommend, type ScoringItem } from './recommend'

/** A card of a rail: what the decision shows of it, the page it leads to as the catalog keys it, its click token. */
export interface RailItem {
  shown: Omit<RecommendedItem, 'clickUrl'>
  key: string
  token: string
}

/** A hand-made card, ready to be scored: its topics are its tags, its place in the list breaks ties. */
interface ManualCard extends RailItem {
  scoring: Omit<ScoringItem, 'impressions' | 'clicks'>
}

/** The cards of each traffic decision of an answer. */
export type Rails = Map<Choice, RailItem[]>

type RailSettings = Pick<TrafficConfig, 'scoring' | 'maxCards' | 'appendUtm' | 'cards'>

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

/** Where a card's click goes: its page, with the UTM parameters the campaign appends that the link does not set. */
function destinationOf(url: string, campaign: ServableCampaign, settings: RailSettings): string {
  if (!settings.appendUtm) return url
  const destination = new URL(url)
  const utm = { utm_source: 'promo', utm_medium: 'onsite', utm_campaign: utmCampaign(campaign) }
  for (const [name, value] of Object.entries(utm)) {
    if (!destination.searchParams.has(name)) destination.searchParams.set(name, value)
  }
  return destination.href
}

/**
 * The rails of traffic decisions in serve answers. Every card gets its own signed click URL through the click
 * redirect (with UTM when the campaign appends it), and a rail shows at most `maxCards`; no page is the card of
 * two rails of one answer, nor of the page being viewed.
 * - A campaign fed by the catalog competes only while the site's catalog has items (so an empty catalog never
 *   takes a slot another campaign could fill); once chosen, it gets the visitor's top items, scored against
 *   their recent views and the current page.
 * - A campaign with manual `cards` gets its best cards by the same scoring (a card's `topics` as its tags, its
 *   `publishedAt`, its page's clicks and impressions where the catalog has them); cards that score alike keep
 *   the list's order. Signed once per variant.
 * The catalog comes from the per-site cache; the visitor's views are read only when an answer has a rail.
 */
export class Recommender {
  private readonly hasRails = new WeakMap<ServableCampaign[], boolean>()
  private readonly withoutRails = new WeakMap<ServableCampaign[], ServableCampaign[]>()
  private readonly settings = new WeakMap<ServableCampaign, RailSettings>()
  private readonly manual = new WeakMap<ServableVariant, ManualCard[]>()

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

  /** Whether an answer has rails to fill (so answers without them await nothing). */
  wanted(choices: Choice[]): boolean {
    return choices.some((choice) => choice.campaign.type === 'traffic')
  }

  /**
   * Each traffic decision's cards. A decision left with no card (the visitor has seen every catalog item, or
   * every manual card leads to a page already shown) is dropped; with a trace, its entry says so and every chosen
   * catalog-fed one lists its cards' scores.
   */
  async fill(
    siteId: string,
    choices: Choice[],
    visitor: { anonymousId: string; url?: string },
    now: number,
    trace?: TraceEntry[],
  ): Promise<{ choices: Choice[]; rails: Rails }> {
    const current = normaliseUrl(visitor.url)
    /** The pages no further card of this answer may lead to: the current one, then each card's as it is placed. */
    const taken = new Set<string>(current ? [current] : [])
    const fromCatalog = choices.some((choice) => choice.campaign.type === 'traffic')
      ? await this.catalogFor(siteId, visitor.anonymousId, current)
      : undefined
    const rails: Rails = new Map()
    const kept: Choice[] = []
    for (const choice of choices) {
      if (choice.campaign.type !== 'traffic') {
        kept.push(choice)
        continue
      }
      const settings = this.settingsOf(choice.campaign)
      const entry = trace?.find(
        (e) => e.outcome === 'chosen' && e.campaignId === choice.campaign.id && e.slot === choice.slot,
      )
      let items: RailItem[] = []
      if (fromCatalog) {
        const { catalog, interests, exclude } = fromCatalog
        const scoringOf = {
          interests,
          exclude,
          now,
          scoring: settings.scoring,
          limit: settings.maxCards,
          siteCtr: catalog.siteCtr,
        }
        let picked: { url: string; score: Breakdown }[]
        if (fedByCatalog(choice.campaign)) {
          const chosen = recommend({ items: catalog.items, ...scoringOf })
          picked = chosen.map(({ item, score }) => ({ url: item.url, score }))
          items = chosen.map(({ item }) => ({
            shown: {
              url: item.url,
              title: item.title,
              ...(item.imageUrl ? { imageUrl: item.imageUrl } : {}),
              ...(item.summary ? { summary: item.summary } : {}),
            },
            key: item.url,
            token: this.catalogToken(
              siteId,
              catalog,
              choice,
              destinationOf(item.url, choice.campaign, settings),
            ),
          }))
        } else {
          const cards = this.cardsOf(siteId, choice, settings)
          const stats = (url: string) => catalog.byUrl.get(url) ?? { impressions: 0, clicks: 0 }
          const chosen = recommend({
            items: cards.map((card) => ({
              ...card.scoring,
              impressions: stats(card.key).impressions,
              clicks: stats(card.key).clicks,
              card,
            })),
            ...scoringOf,
            exclude: new Set([...exclude, ...taken]),
          })
          picked = chosen.map(({ item, score }) => ({ url: item.url, score }))
          items = chosen.map(({ item }) => item.card)
        }
        if (entry && items.length) entry.items = picked.map(({ url, score }) => ({ url, ...rounded(score) }))
      }
      if (items.length === 0) {
        if (entry)
          Object.assign(entry, { outcome: 'skipped', reason: 'no_items' } satisfies Partial<TraceEntry>)
        continue
      }
      for (const item of items) {
        taken.add(item.key)
        fromCatalog?.exclude.add(item.key)
      }
      rails.set(choice, items)
      kept.push(choice)
    }
    return { choices: kept, rails }
  }

  /** The catalog, the visitor's interests, and what is never recommended to them: what they read lately, this page. */
  private async catalogFor(siteId: string, anonymousId: string, current: string | undefined) {
    const catalog = await this.catalog.forSite(siteId)
    const viewed = await this.catalog.recentViews(siteId, anonymousId)
    const exclude = new Set(viewed)
    if (current) exclude.add(current)
    const interests: CatalogItem[] = []
    for (const url of current ? [current, ...viewed] : viewed) {
      const item = catalog.byUrl.get(url)
      if (item) interests.push(item)
    }
    return { catalog, interests, exclude }
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

  /** A variant's manual cards, each signed once while the campaign is loaded; a card whose URL is no page is left out. */
  private cardsOf(siteId: string, choice: Choice, settings: RailSettings): ManualCard[] {
    let items = this.manual.get(choice.variant)
    if (!items) {
      items = settings.cards.flatMap((card, order): ManualCard[] => {
        const key = normaliseUrl(card.url)
        if (!key) return []
        const destination = destinationOf(card.url, choice.campaign, settings)
        const shown: RailItem['shown'] = { url: card.url, title: card.title }
        if (card.imageUrl) shown.imageUrl = card.imageUrl
        if (card.imageAlt) shown.imageAlt = card.imageAlt
        if (card.description) shown.summary = card.description
        if (card.badge) shown.badge = card.badge
        const token = this.signer.sign({
          s: siteId,
          c: choice.campaign.id,
          v: choice.variant.id,
          u: destination,
        })
        const scoring = {
          url: key,
          tags: card.topics.map((topic) => topic.toLowerCase()),
          category: null,
          publishedAt: card.publishedAt ? Date.parse(card.publishedAt) : 0,
          order,
        }
        return [{ shown, key, token, scoring }]
      })
      this.manual.set(choice.variant, items)
    }
    return items
  }

  /** A token names a variant's destination, so one is signed per item and variant while the catalog is loaded. */
  private catalogToken(siteId: string, catalog: SiteCatalog, choice: Choice, destination: string): string {
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
 * (`?a=visitor` and the slot); `i=1` tells the redirect to record the click as the card's page's.
 */
export function itemsJson(items: RailItem[], clickBase: string, query: string): string {
  return JSON.stringify(
    items.map(({ shown, token }) => ({ ...shown, clickUrl: `${clickBase}${token}${query}&i=1` })),
  )
}
