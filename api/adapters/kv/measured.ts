import type { Kv } from '../../ports/kv'
import type { Metrics } from '../../ports/metrics'

/**
 * The key-value port with each operation timed and its failures counted, for the metrics port. Wrapped around
 * the store only when metrics are collected, so elsewhere the store is called directly.
 */
export function measuredKv(kv: Kv, metrics: Metrics): Kv {
  const timed =
    <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now()
      try {
        const result = await call(...args)
        metrics.kv(operation, (performance.now() - started) / 1000, true)
        return result
      } catch (error) {
        metrics.kv(operation, (performance.now() - started) / 1000, false)
        throw error
      }
    }
  return {
    claim: timed('claim', (request) => kv.claim(request)),
    viewed: timed('viewed', (site, visitor, campaigns, now) => kv.viewed(site, visitor, campaigns, now)),
    setProfiles: timed('setProfiles', (updates) => kv.setProfiles(updates)),
    version: timed('version', (site) => kv.version(site)),
    bump: timed('bump', (site) => kv.bump(site)),
    hit: timed('hit', (...args: Parameters<Kv['hit']>) => kv.hit(...args)),
    close: () => kv.close(),
  }
}
