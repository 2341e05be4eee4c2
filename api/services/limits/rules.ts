import { z } from 'zod'

/** At most `limit` requests in a fixed window of `windowMs`. */
export interface Limit {
  limit: number
  windowMs: number
}

/** A public route's two limits: per visitor address and site, and per site for everyone; null turns one off. */
export interface RouteLimits {
  address: Limit | null
  site: Limit | null
}

const perMinute = (limit: number): Limit => ({ limit, windowMs: 60_000 })
const perTenSeconds = (limit: number): Limit => ({ limit, windowMs: 10_000 })

/**
 * The defaults, meant never to touch real traffic. Per address: one browser sends a serve per page view (and
 * per SPA route change), a few event batches per page and a click now and then, but one address can be a
 * whole office or a mobile carrier's NAT, so each allows many people's worth. Per site: a very large site
 * (a billion page views a month) averages about 400 serves a second and peaks at a few times that; the site
 * limits sit about ten times above such a peak. Leads keep 5 a minute per address (a person fills a form in
 * once; more is someone mailing strangers through the confirmation mail).
 */
export const defaultLimits = {
  serve: { address: perMinute(1_200), site: perTenSeconds(200_000) },
  events: { address: perMinute(2_400), site: perTenSeconds(500_000) },
  leads: { address: perMinute(5), site: perTenSeconds(1_000) },
  clicks: { address: perMinute(600), site: perTenSeconds(20_000) },
  engagements: { address: perMinute(600), site: perTenSeconds(50_000) },
  reveals: { address: perMinute(60), site: perTenSeconds(10_000) },
  claims: { address: perMinute(60), site: perTenSeconds(10_000) },
  locator: { address: perMinute(300), site: perTenSeconds(50_000) },
} satisfies Record<string, RouteLimits>

export type LimitName = keyof typeof defaultLimits
export type LimitOverrides = Partial<Record<LimitName, Partial<RouteLimits>>>

const scopes = ['address', 'site'] as const

type Scope = (typeof scopes)[number]
type LimitVariable = `PROMO_RATE_${Uppercase<LimitName>}_${Uppercase<Scope>}`

/** `PROMO_RATE_SERVE_ADDRESS` and the like: one variable per route and scope. */
export const limitVariable = (name: LimitName, scope: Scope) =>
  `PROMO_RATE_${name.toUpperCase()}_${scope.toUpperCase()}` as LimitVariable

/** `1200/60s`, `5/1m` or `off`. */
const limitSpec = z
  .string()
  .regex(/^(off|\d{1,9}\/\d{1,5}[sm])$/, 'must be like 1200/60s, 5/1m, or off')
  .transform((spec): Limit | null => {
    if (spec === 'off') return null
    const [count, window] = spec.split('/') as [string, string]
    const unit = window.endsWith('m') ? 60_000 : 1_000
    return { limit: Number(count), windowMs: Number(window.slice(0, -1)) * unit }
  })
  .refine((limit) => limit === null || limit.windowMs > 0, 'the window must be longer than 0')

/** The variables, for the Node and Workers environment schemas. */
export const limitVariables = Object.fromEntries(
  Object.keys(defaultLimits).flatMap((name) =>
    scopes.map((scope) => [limitVariable(name as LimitName, scope), limitSpec.optional()]),
  ),
) as Record<LimitVariable, z.ZodOptional<typeof limitSpec>>

/** The overrides a validated environment sets (a variable left unset keeps its default). */
export function limitsFromEnv(env: Partial<Record<LimitVariable, Limit | null>>): LimitOverrides {
  const overrides: LimitOverrides = {}
  for (const name of Object.keys(defaultLimits) as LimitName[]) {
    for (const scope of scopes) {
      const value = env[limitVariable(name, scope)]
      if (value !== undefined) overrides[name] = { ...overrides[name], [scope]: value }
    }
  }
  return overrides
}

export function limitsOf(name: LimitName, overrides: LimitOverrides = {}): RouteLimits {
  return { ...defaultLimits[name], ...overrides[name] }
}
