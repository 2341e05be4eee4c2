import { z } from 'zod'

/**
 * How long a site keeps what it collects, in days, before the retention sweep deletes it. Rollups (what
 * dashboards read) are kept whatever these say. All four are given so the stored setting reads on its own.
 *
 * - `eventsDays`: raw events. 396 (13 months): a whole year back plus the month in progress, so a segment's
 *   longest lookback (365 days) and a month compared with the same month last year still read raw events.
 * - `leadsDays`: a lead with every submission, counted from its last submit: 730 (24 months), a sales cycle and
 *   a season again, and the consent given in its first submission goes with it, never before it.
 * - `mailDays` and `webhookDeliveriesDays`: the outbox and the webhook delivery log, whose copies of a lead
 *   only serve to see that a message or a delivery went out: 30, long past the last retry (about 16 minutes).
 */
export const retentionSettings = z.strictObject({
  eventsDays: z.number().int().min(30).max(3650).default(396),
  leadsDays: z.number().int().min(1).max(3650).default(730),
  mailDays: z.number().int().min(1).max(3650).default(30),
  webhookDeliveriesDays: z.number().int().min(1).max(3650).default(30),
})
export type RetentionSettings = z.infer<typeof retentionSettings>

export const defaultRetentionSettings: RetentionSettings = retentionSettings.parse({})
