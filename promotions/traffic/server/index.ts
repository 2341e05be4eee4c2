import type { ServerType } from '../../../api/promotions'
import type { TrafficConfig } from '../config'

/**
 * Promotion cards and recommendation rails: always in a marked slot (the config's `placements` say what kind of
 * surface), so they compete for slots as inline units do. The cards are the config's, or the catalog's items;
 * either way they reach the browser as the decision's `items`, each with its signed click URL (promotions/traffic/server/rails.ts),
 * so the config the browser gets leaves out the manual cards and how the catalog is scored.
 */
export const traffic: ServerType = {
  format: () => 'inline',
  publicConfig: (config) => {
    const { cards: _cards, scoring: _scoring, ...shown } = config as Partial<TrafficConfig>
    return shown
  },
}
