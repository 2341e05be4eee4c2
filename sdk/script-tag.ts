export interface ScriptConfig {
  /** Publishable key from `data-site`. */
  site: string
  /** API origin from `data-api`, else the script's own origin. */
  api: string
  /** The script's URL; format chunks are resolved against it. */
  base: string
  /** `data-consent="pending"`: store nothing and send nothing until `Promo.consent(...)`. */
  pending: boolean
}

/** The `<script data-site=…>` that loaded the SDK: `currentScript` while it runs, else found by its attributes. */
export function findScriptTag(doc: Document): HTMLScriptElement | null {
  const current = doc.currentScript
  if (current instanceof HTMLScriptElement && current.dataset.site) return current
  return doc.querySelector<HTMLScriptElement>('script[data-site][src*="promo"]')
}

export function readScriptTag(script: HTMLScriptElement | null): ScriptConfig | undefined {
  const site = script?.dataset.site
  if (!script || !site) return undefined
  const base = script.src || location.href
  const api = script.dataset.api || new URL(base).origin
  return { site, api: api.replace(/\/+$/, ''), base, pending: script.dataset.consent === 'pending' }
}
