import type { Mailer } from './mail'

export const leadEventTypes = ['lead.created', 'lead.updated'] as const
export type LeadEventType = (typeof leadEventTypes)[number]

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
  /** The fetch webhook deliveries use; the global one when absent. */
  webhookFetch?: typeof fetch
  /**
   * Whether webhooks may point at this machine or a private network (PROMO_WEBHOOKS_ALLOW_PRIVATE, for local
   * development and tests). Off: such a URL is refused when the webhook is created.
   */
  webhookPrivateNetworks?: boolean
  /**
   * Takes the work that must not hold up the answer (the first webhook attempt). On Workers, hand it to
   * `ctx.waitUntil` and close the database after it; when absent, it runs detached, which suits a long-running
   * Node process.
   */
  defer?: (task: Promise<unknown>) => void
}
