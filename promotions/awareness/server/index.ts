import type { ServerType } from '../../../api/promotion'
import { awarenessDemo } from './demo'

/** Awareness banners: the format comes from the config; hero and inline fill slots, the rest place themselves. */
export const awareness: ServerType = {
  format: (config) => (typeof config.format === 'string' ? config.format : 'hero'),
  demo: awarenessDemo,
}
