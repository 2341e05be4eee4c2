/**
 * The ESM entry, for apps that bundle the SDK instead of loading the script tag:
 * `import { init } from 'promo/sdk'`, then `const promo = init({ site, api })`.
 */
import { createClient } from './client'
import { chunkLoader, type FormatManifest, fromManifest } from './format-chunks'
import { install } from './install'
import type { FormatModule } from './kit/context'
// With its extension: the emitted declarations keep this path, and Node's ESM resolution (`nodenext`) needs it.
import type { PromoApi, PromoOptions } from './types.js'

export type * from './types.js'

type LoadFormat = (type: string) => Promise<FormatModule | undefined>

/**
 * Format chunks as the API serves them right now: `sdk/manifest.json` names each type's chunk. The manifest is
 * fetched when a decision first needs a format, not built in, so a bundled SDK keeps working after the API
 * deploys new chunks. A failed fetch is tried again at the next need.
 */
function servedChunks(sdkUrl: string): LoadFormat {
  let loader: Promise<LoadFormat> | undefined
  const fetchManifest = async () => {
    const response = await fetch(new URL('manifest.json', sdkUrl))
    if (!response.ok) throw new Error(`the SDK manifest answered ${response.status}`)
    return chunkLoader(fromManifest((await response.json()) as FormatManifest), sdkUrl)
  }
  return async (type) => {
    if (!loader) {
      loader = fetchManifest()
      loader.catch(() => {
        loader = undefined
      })
    }
    return (await loader)(type)
  }
}

/**
 * Starts the SDK in the browser and returns its API, the same one `window.Promo` is for the script tag. Call it
 * once per page. Nothing is put on `window` unless `global: true`, which also replays the stub's queued calls;
 * if the script tag already installed `window.Promo`, that one is returned and no second SDK starts.
 */
export function init(options: PromoOptions): PromoApi {
  if (options.global && typeof window.Promo?.track === 'function') return window.Promo
  const api = options.api.replace(/\/+$/, '')
  const client = createClient({
    site: options.site,
    api,
    pending: options.consent === 'pending',
    loadFormat: servedChunks(new URL(`${api}/sdk/`, location.href).href),
    loadUnits: () => import('./units'),
  })
  const host: { Promo?: PromoApi } = options.global ? window : {}
  install(host, client)
  client.start()
  return host.Promo!
}
