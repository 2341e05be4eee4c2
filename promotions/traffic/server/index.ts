import type { ServerType } from '../../../api/promotion'
import type { TrafficConfig } from '../config'
import { catalogOf } from './cache'
import { trafficDocs } from './docs'
import { learnContent } from './learn'
import { itemsJson, Recommender } from './rails'
import { contentRoutes } from './routes'

/**
 * Promotion cards and recommendation rails: always in a marked slot (the config's `placements` say what kind of
 * surface), so they compete for slots as inline units do. The cards are the config's, or the catalog's items;
 * either way they reach the browser as the decision's `items`, each with its signed click URL (promotions/traffic/server/rails.ts),
 * so the config the browser gets leaves out the manual cards and how the catalog is scored.
 */
export const traffic: ServerType = {
  docs: trafficDocs,
  format: () => 'inline',
  adminRoutes: { '/content': contentRoutes },
  // What visitors' page views and clicks teach the catalog (pages seen, read lately, clicked), after profiles.
  projections: [
    { name: 'content', apply: (tx, batch) => learnContent(tx, batch.siteId, batch.stored, batch.now) },
  ],
  filler: (services) => {
    const recommender = new Recommender(catalogOf(services), services.signer)
    return {
      eligible: (siteId, campaigns) => recommender.eligible(siteId, campaigns),
      wanted: (choices) => recommender.wanted(choices),
      async fill(siteId, choices, visitor, now, trace) {
        const filled = await recommender.fill(siteId, choices, visitor, now, trace)
        const fields = new Map<(typeof choices)[number], (clickBase: string, query: string) => string>()
        for (const [choice, items] of filled.rails) {
          fields.set(choice, (clickBase, query) => `,"items":${itemsJson(items, clickBase, query)}`)
        }
        return { choices: filled.choices, fields }
      },
    }
  },
  publicConfig: (config) => {
    const { cards: _cards, scoring: _scoring, ...shown } = config as Partial<TrafficConfig>
    return shown
  },
}
