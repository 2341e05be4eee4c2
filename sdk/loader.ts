import { createClient } from './client'
import { chunkLoader, type FormatManifest } from './format-chunks'
import { install } from './install'
import { findScriptTag, readScriptTag } from './script-tag'

/** Written by the build: each campaign type's format chunk, named by its content hash. */
declare const __PROMO_MANIFEST__: FormatManifest

try {
  const tag = readScriptTag(findScriptTag(document))
  if (!tag) throw new Error('the script tag needs data-site="pk_…"')
  const client = createClient({ ...tag, loadFormat: chunkLoader(__PROMO_MANIFEST__, tag.base) })
  if (install(window, client)) client.start()
} catch (error) {
  console.warn('[promo]', error)
}
