import type { Client } from './client'

/** The methods of `window.Promo`, also callable as `Promo('name', ...args)` like the stub. */
export const publicMethods = [
  'track',
  'page',
  'identify',
  'reset',
  'consent',
  'refresh',
  'show',
  'on',
  'off',
] as const

type Method = (...args: unknown[]) => unknown
/** The stub (`q` holds its queued `arguments`) or the installed SDK. */
type PromoFunction = { (...args: unknown[]): void; q?: ArrayLike<unknown>[] } & Record<string, unknown>

/**
 * Replaces the stub `window.Promo` with the real one and replays the calls the stub queued, in order.
 * A second copy of the script finds the real one installed and leaves it alone. The ESM entry may install
 * on a host object of its own rather than on `window`.
 */
export function install(host: { Promo?: unknown }, client: Client): boolean {
  const target = host as { Promo?: PromoFunction }
  const stub = target.Promo
  if (stub && typeof stub.track === 'function') return false
  const methods = client as unknown as Record<string, Method>
  const promo = ((name: string, ...args: unknown[]) => {
    const method = (publicMethods as readonly string[]).includes(name) ? methods[name] : undefined
    if (method) method(...args)
    else client.report(new Error(`Promo: no method named ${String(name)}`))
  }) as PromoFunction
  for (const name of publicMethods) promo[name] = methods[name]
  target.Promo = promo
  for (const call of Array.from(stub?.q ?? [])) promo(...(Array.from(call) as [string, ...unknown[]]))
  return true
}
