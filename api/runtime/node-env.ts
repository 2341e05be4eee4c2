import { z } from 'zod'
import { limitVariables } from '../limits/rules'

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

/** Every variable the Node server reads, validated once at start. */
export const nodeEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  HOST: z.string().optional(),
  DATABASE_URL: z.string().url().optional(),
  /** Serving state (caps, budgets, pacing, profiles) in Redis; in this process when unset. */
  REDIS_URL: z.string().url().optional(),
  /** What serving does when Redis fails: `open` ignores caps for the moment, `closed` shows only uncapped campaigns. */
  PROMO_KV_FAILURE: z.enum(['open', 'closed']).default('open'),
  PROMO_DATA_DIR: z.string().default('./.promo'),
  PROMO_PUBLIC_URL: z.string().url().optional(),
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
  PROMO_LOG: z.enum(['silent', 'info']).default('info'),
  /** Lead confirmation mail over SMTP (`smtp://user:pass@host:587`, `smtps://…`); without it, mail stays in the outbox the admin shows. */
  PROMO_SMTP_URL: z.string().url().optional(),
  PROMO_MAIL_FROM: z.string().min(3).max(200).optional(),
  /** Cloudflare Turnstile's secret, for lead forms with `captcha: true`. */
  TURNSTILE_SECRET_KEY: z.string().min(1).max(200).optional(),
  /** Behind a proxy: the header that carries the visitor's address (first entry), for rate limits. */
  PROMO_CLIENT_IP_HEADER: headerName.optional(),
  /** `1`: webhooks may point at this machine or a private network (local development); refused otherwise. */
  PROMO_WEBHOOKS_ALLOW_PRIVATE: z.enum(['0', '1']).default('0'),
  /** `PROMO_RATE_SERVE_ADDRESS=1200/60s` and the like (`off` turns one off); defaults in api/limits/rules.ts. */
  ...limitVariables,
})
export type NodeEnv = z.infer<typeof nodeEnv>
