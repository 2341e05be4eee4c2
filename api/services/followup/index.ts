import type { Deps } from '../deps'
import type { Services } from '../index'
import { downloadLink } from './downloads'
import { defaultMailFrom, sendMail } from './mail'
import type { FollowUpDeps, LeadEvent } from './types'
import { deliverDue, enqueueDeliveries, webhookFetchOf } from './webhooks'

export { guardWebhooks, type WebhookFetch } from '../../core/webhook-destination'
export { type Mailer, outboxMailer } from '../../ports/mail'
export { downloadLink, downloadRoutes, verifyDownload } from './downloads'
export { sendMail } from './mail'
export type { FollowUpDeps, LeadEvent } from './types'
export { deliverDue, enqueueDeliveries, startWebhookRunner, verifySignature } from './webhooks'

export type FollowUpOptions = FollowUpDeps

export interface FollowUpResult {
  download?: { url: string; expiresAt: string }
}

const plausibleAddress = /^[^\s@<>]+@[^\s@<>]+$/

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error)

/**
 * What follows a lead's submit: the download link for a gated offer, the confirmation mail (written to the
 * outbox, then sent), and the site's webhooks (queued, with a first attempt that does not hold up the answer).
 * Nothing here fails the submit: each step's failure is logged, and the lead is already stored.
 */
export async function followUp(
  services: Services,
  event: LeadEvent,
  options: FollowUpOptions = {},
): Promise<FollowUpResult> {
  const deps = services.deps as Deps & FollowUpDeps
  const log = services.log
  const now = services.now()
  const result: FollowUpResult = {}
  const fields = { leadId: event.lead.id, campaignId: event.campaign.id }

  const assetUrl = event.offer?.assetUrl
  if (assetUrl) {
    try {
      result.download = downloadLink(
        deps.signingSecret,
        { leadId: event.lead.id, campaignId: event.campaign.id, assetUrl },
        { origin: services.publicUrl, now },
      )
    } catch (error) {
      log.error('download link not made', { ...fields, error: errorName(error) })
    }
  }

  if (event.confirmation && plausibleAddress.test(event.lead.email)) {
    const download = result.download?.url.startsWith('http') ? result.download : undefined
    const text = download
      ? `${event.confirmation.text}\n\n${event.offer?.title ?? 'Your download'}: ${download.url}\n` +
        `(This link works until ${download.expiresAt}.)`
      : event.confirmation.text
    try {
      await sendMail(
        services.db,
        options.mailer ?? deps.mailer,
        {
          siteId: event.siteId,
          leadId: event.lead.id,
          to: event.lead.email,
          subject: event.confirmation.subject,
          text,
        },
        { from: options.mailFrom ?? deps.mailFrom ?? defaultMailFrom, now, log },
      )
    } catch (error) {
      log.error('confirmation not written', { ...fields, error: errorName(error) })
    }
  }

  try {
    const ids = await enqueueDeliveries(services.db, event, now)
    if (ids.length > 0) {
      const attempt = deliverDue(services.db, options.webhookFetch ?? webhookFetchOf(deps), now, {
        ids,
        log,
      }).catch((error) => log.error('webhook attempt not run', { ...fields, error: errorName(error) }))
      const defer = options.defer ?? deps.defer
      if (defer) defer(attempt)
    }
  } catch (error) {
    log.error('webhook deliveries not queued', { ...fields, error: errorName(error) })
  }

  return result
}
