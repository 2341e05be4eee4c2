import { z } from 'zod'
import { limitVariables } from '../services/limits/rules'
import { publicUrl } from './public-url'

const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name like cf-ipcountry')
  .transform((name) => name.toLowerCase())

/** A User-Agent naming who asks, with a way to reach them (Nominatim's usage policy). */
export const geocoderUserAgent = z
  .string()
  .regex(/^[\x20-\x7e]{3,200}$/, 'use 3 to 200 printable characters')
  .refine((ua) => /@|https?:\/\//.test(ua), 'name a contact: an email address or a URL')

/** Every variable the Node server reads, each on its own (migrating reads them too); `nodeEnv` adds the rules. */
export const nodeVariables = z.object({
  /** Anything but unset, `development` or `test` is a deployment, which must name its PROMO_PUBLIC_URL. */
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().optional(),
  DATABASE_URL: z.string().url().optional(),
  /** Serving state (caps, budgets, pacing, profiles) in Redis; in this process when unset. */
  REDIS_URL: z.string().url().optional(),
  /** What serving does when Redis fails: `open` ignores caps for the moment, `closed` shows only uncapped campaigns. */
  PROMO_KV_FAILURE: z.enum(['open', 'closed']).default('open'),
  PROMO_DATA_DIR: z.string().default('./.promo'),
  /**
   * Where click and download links point (the URL visitors reach, with the path prefix a proxy adds, if any);
   * in development, when unset, the server's own http://localhost:PORT.
   */
  PROMO_PUBLIC_URL: publicUrl.optional(),
  PROMO_SIGNING_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  PROMO_PUBLISHABLE_KEY: z
    .string()
    .regex(/^pk_(live|test)_[A-Za-z0-9]{16,64}$/)
    .optional(),
  PROMO_SECRET_KEY: z
    .string()
    .regex(/^sk_(live|test)_[A-Za-z0-9]{16,64}$/)
    .optional(),
  PROMO_ADMIN_EMAIL: z.string().email().optional(),
  PROMO_ADMIN_PASSWORD: z.string().min(8).max(200).optional(),
  PROMO_ALLOWED_ORIGINS: list,
  PROMO_COUNTRY_HEADER: headerName.optional(),
  PROMO_REGION_HEADER: headerName.optional(),
  /** The header a proxy puts the visitor's city in; read only by the store locator, never stored. */
  PROMO_CITY_HEADER: headerName.optional(),
  /** A Nominatim-compatible search API for the store locator's typed places; the offline geocoder when unset. */
  PROMO_GEOCODER_URL: z.string().url().optional(),
  /** Who asks the geocoder, with a contact (`Promo (ops@example.com)`); required with PROMO_GEOCODER_URL. */
  PROMO_GEOCODER_USER_AGENT: geocoderUserAgent.optional(),
  PROMO_LOG: z.enum(['silent', 'info']).default('info'),
  /** Turns on `GET /metrics` (Prometheus text), which then asks for `Authorization: Bearer <this token>`. */
  PROMO_METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,200}$/, 'use 16 to 200 printable characters, no spaces')
    .optional(),
  /** Lead confirmation mail over SMTP (`smtp://user:pass@host:587`, `smtps://…`); without it, mail stays in the outbox the admin shows. */
  PROMO_SMTP_URL: z.string().url().optional(),
  PROMO_MAIL_FROM: z.string().min(3).max(200).optional(),
  /** Cloudflare Turnstile's secret, for lead forms with `captcha: true`. */
  TURNSTILE_SECRET_KEY: z.string().min(1).max(200).optional(),
  /** Behind a proxy: the header that carries the visitor's address (first entry), for rate limits. */
  PROMO_CLIENT_IP_HEADER: headerName.optional(),
  /** `1`: webhooks may point at this machine or a private network (local development); refused otherwise. */
  PROMO_WEBHOOKS_ALLOW_PRIVATE: z.enum(['0', '1']).default('0'),
  /** `PROMO_RATE_SERVE_ADDRESS=1200/60s` and the like (`off` turns one off); defaults in api/services/limits/rules.ts. */
  ...limitVariables,
})

const development = new Set(['', 'development', 'test'])

/** The variables and the rules across them: a deployment's links never fall back to localhost. */
export const nodeEnv = nodeVariables.superRefine((env, ctx) => {
  if (env.PROMO_GEOCODER_URL && !env.PROMO_GEOCODER_USER_AGENT) {
    ctx.addIssue({
      code: 'custom',
      path: ['PROMO_GEOCODER_USER_AGENT'],
      message: 'required with PROMO_GEOCODER_URL: who asks, with a contact (e.g. Promo (ops@example.com))',
    })
  }
  if (env.PROMO_PUBLIC_URL || development.has(env.NODE_ENV ?? '')) return
  ctx.addIssue({
    code: 'custom',
    path: ['PROMO_PUBLIC_URL'],
    message: `required when NODE_ENV=${env.NODE_ENV}: the URL visitors reach this server at (e.g. https://promo.example.com), which the links in mail and click URLs point to`,
  })
})
export type NodeEnv = z.infer<typeof nodeEnv>
