import type { ServerType } from '../../../api/promotions'

/** Awareness banners: the format comes from the config; hero and inline fill slots, the rest place themselves. */
export const awareness: ServerType = {
  format: (config) => (typeof config.format === 'string' ? config.format : 'hero'),
}
