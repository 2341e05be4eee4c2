import type { ServerType } from './index'

/**
 * Promotion cards and recommendation rails: always in a marked slot (the config's `placements` say what kind of
 * surface), so they compete for slots as inline units do. The cards are the config's, or the catalog's items.
 */
export const traffic: ServerType = {
  format: () => 'inline',
}
