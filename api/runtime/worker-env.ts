import { z } from 'zod'

/** The Worker's bindings and variables, validated on every request before anything else runs. */
export const workerEnv = z
  .object({
    DATABASE_URL: z.string().url().optional(),
    HYPERDRIVE: z.object({ connectionString: z.string().url() }).optional(),
    PROMO_SIGNING_SECRET: z.string().min(32, 'use at least 32 characters'),
    PROMO_PUBLIC_URL: z
      .string()
      .url()
      .optional()
      .or(z.literal('').transform(() => undefined)),
  })
  .refine((env) => env.DATABASE_URL || env.HYPERDRIVE, {
    message: 'bind HYPERDRIVE or set DATABASE_URL',
    path: ['DATABASE_URL'],
  })
export type WorkerEnv = z.infer<typeof workerEnv>
