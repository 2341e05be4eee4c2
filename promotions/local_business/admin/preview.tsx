import { Preview } from '../../../admin/preview'
import type { Decision } from '../../../schema/serve'
import { localBusinessConfig } from '../config'
import { mount } from '../widget'

/**
 * The locator card as visitors see it, with the config's texts and buttons as they are typed. The stores come
 * from the site's Stores screen, per visitor's search, so the preview shows the card without results; a map keeps
 * its place and size there, empty: the admin loads nothing from OpenStreetMap.
 */
export function LocalBusinessPreview({ decision }: { decision: Decision }) {
  const parsed = localBusinessConfig.safeParse(decision.config)
  if (!parsed.success) return <p class="muted preview-note">Fix the config to see the locator.</p>
  return (
    <>
      <Preview decision={{ ...decision, config: parsed.data }} mount={mount} />
      {parsed.data.map.enabled && (
        <p class="muted preview-note">
          The map's space stays empty here; on the site it shows OpenStreetMap's map of the stores found.
        </p>
      )}
    </>
  )
}
