import { z } from 'zod'
import type { QueueProducer } from '../services/ingest/queue'
import { limitVariables } from '../services/limits/rules'
import { geocoderUserAgent } from './node-env'
import { publicUrl } from './public-url'

/** A queue producer binding, kept as it is: its methods live on the binding, which a parse must not copy. */
const queueBinding = z.custom<QueueProducer>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as QueueProducer).send === 'function' &&
    typeof (value as QueueProducer).sendBatch === 'function',
  'must be a queue producer binding',
)

/** The Worker's bindings and variables, validated on every request before anything else runs. */
export const workerEnv = z
  .object({
    DATABASE_URL: z.string().url().optional(),
    HYPERDRIVE: z.object({ connectionString: z.string().url() }).optional(),
    PROMO_SIGNING_SECRET: z.string().min(32, 'use at least 32 characters'),
    /** Upstash Redis over REST for serving state shared by every isolate; without it, each isolate keeps its own. */
    UPSTASH_REDIS_REST_URL: z.string().url().optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    /** The queue ingest sends events to (`[[queues.producers]]`); without it, each request writes directly. */
    INGEST_QUEUE: queueBinding.optional(),
    PROMO_KV_FAILURE: z.enum(['open', 'closed']).default('open'),
    /** Lead confirmation mail through an HTTP provider (Resend's API shape); without a key, the outbox only. */
    PROMO_MAIL_HTTP_URL: z.string().url().optional(),
    PROMO_MAIL_HTTP_KEY: z.string().min(1).optional(),
    PROMO_MAIL_FROM: z.string().min(3).max(200).optional(),
    TURNSTILE_SECRET_KEY: z.string().min(1).max(200).optional(),
    /** A Nominatim-compatible search API for the store locator; the offline geocoder when unset. */
    PROMO_GEOCODER_URL: z.string().url().optional(),
    PROMO_GEOCODER_USER_AGENT: geocoderUserAgent.optional(),
    /**
     * Required: where click and download links point. A Worker answers for every name its routes match
     * (custom domains, wildcard routes, workers.dev), so the request's Host is no origin to put into mail.
     */
    PROMO_PUBLIC_URL: publicUrl,
    /** `PROMO_RATE_SERVE_ADDRESS=1200/60s` and the like (`off` turns one off); defaults in api/services/limits/rules.ts. */
    ...limitVariables,
  })
  .refine((env) => env.DATABASE_URL || env.HYPERDRIVE, {
    message: 'bind HYPERDRIVE or set DATABASE_URL',
    path: ['DATABASE_URL'],
  })
  .refine((env) => !env.PROMO_GEOCODER_URL || env.PROMO_GEOCODER_USER_AGENT, {
    message: 'required with PROMO_GEOCODER_URL: who asks, with a contact (e.g. Promo (ops@example.com))',
    path: ['PROMO_GEOCODER_USER_AGENT'],
  })
  .refine((env) => !env.UPSTASH_REDIS_REST_URL === !env.UPSTASH_REDIS_REST_TOKEN, {
    message: 'set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN together',
    path: ['UPSTASH_REDIS_REST_TOKEN'],
  })
export type WorkerEnv = z.infer<typeof workerEnv>
