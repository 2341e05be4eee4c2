import { createClient } from './client'
import { chunkLoader, fromBuild } from './format-chunks'
import { install } from './install'
import { findScriptTag, readScriptTag } from './script-tag'

/** Written by the build: the id every lazy chunk's file name ends with (rollup.config.ts). */
declare const __PROMO_BUILD__: string

try {
  const tag = readScriptTag(findScriptTag(document))
  if (!tag) throw new Error('the script tag needs data-site="pk_…"')
  const client = createClient({ ...tag, loadFormat: chunkLoader(fromBuild(__PROMO_BUILD__), tag.base) })
  if (install(window, client)) client.start()
} catch (error) {
  console.warn('[promo]', error)
}
