import type { WebhookFetch } from '../../core/webhook-destination'
import type { Mailer } from '../../ports/mail'

export const leadEventTypes = ['lead.created', 'lead.updated'] as const
export type LeadEventType = (typeof leadEventTypes)[number]
/** Every event a webhook can take: the lead events, and the audience engine's batched entries and exits. */
export const webhookEventTypes = [...leadEventTypes, 'audience.changed'] as const
export type WebhookEventType = (typeof webhookEventTypes)[number]

/** What happened to a lead, handed to the follow-ups by the lead submit route. */
export interface LeadEvent {
  type: LeadEventType
  siteId: string
  lead: {
    id: string
    email: string
    fields: Record<string, string | boolean>
    score: number
    grade: 'A' | 'B' | 'C' | 'D'
    createdAt: string
    updatedAt: string
  }
  submission: { id: string; campaignId: string; variantId?: string | null; createdAt: string }
  campaign: { id: string; name: string }
  /** The campaign's gated offer: with an `assetUrl`, the lead gets a signed, expiring download link. */
  offer?: { title?: string; assetUrl?: string }
  /** The confirmation mail to send the lead; none is sent without it. */
  confirmation?: { subject: string; text: string }
}

/**
 * What the follow-ups take from the runtime. Meant to join `Deps` (`interface Deps extends FollowUpDeps`), so
 * Node and Workers set them where they build the rest; until then they can be handed to `followUp` directly.
 */
export interface FollowUpDeps {
  /** Where confirmation mail goes; without one it stays in the outbox, which the admin shows. */
  mailer?: Mailer
  /** The From of every mail (PROMO_MAIL_FROM). */
  mailFrom?: string
  /**
   * How every webhook delivery is sent, first try and retries: the runtime's guard against this machine and
   * private networks (Node: `publicOnlyFetch`, Workers: Cloudflare's fetch behind the same literal-address
   * check), which also says whether such URLs may be saved. Absent: every try fails, none goes out unguarded.
   */
  webhookFetch?: WebhookFetch
  /**
   * Takes the work that must not hold up the answer (the first webhook attempt). On Workers, hand it to
   * `ctx.waitUntil` and close the database after it; when absent, it runs detached, which suits a long-running
   * Node process.
   */
  defer?: (task: Promise<unknown>) => void
}
