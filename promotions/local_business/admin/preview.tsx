import { Preview } from '../../../admin/preview'
import type { Decision } from '../../../schema/serve'
import { localBusinessConfig } from '../config'
import { mount } from '../widget'

/**
 * The locator card as visitors see it, with the config's texts and buttons as they are typed. The stores come
 * from the site's Stores screen, per visitor's search, so the preview shows the card without results.
 */
export function LocalBusinessPreview({ decision }: { decision: Decision }) {
  const parsed = localBusinessConfig.safeParse(decision.config)
  if (!parsed.success) return <p class="muted preview-note">Fix the config to see the locator.</p>
  return <Preview decision={{ ...decision, config: parsed.data }} mount={mount} />
}
