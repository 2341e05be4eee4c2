import { eventLimits as limits } from '../../../schema/limits'
import type { Decision } from '../../../schema/serve'
import type { Sender } from '../../../sdk/kit/context'
import { httpUrl } from '../../../sdk/kit/http-url'
import { checkLeadFields, type LeadValues } from '../lead-form'
import type { LeadConfig } from './config'
import { type LeadAnswer, sendLead } from './send'

/**
 * What the form fetches once a visitor starts on it (see `loadChecks` in form.tsx): the schema's check, the one
 * the API runs, the sending, and what shows after. zod is most of their weight, and most visitors never type
 * into a form.
 */

/** Messages by field name; the one under `''` is the form's own. */
export type Errors = Record<string, string>

/** Checks the fields of the steps up to `step` (the schema refuses the keys of others): the clean values, or each field's message. */
export function checkStep(
  { fields }: LeadConfig,
  values: Record<string, string | boolean>,
  step = Number.POSITIVE_INFINITY,
): { values: LeadValues } | { errors: Errors } {
  const shown: Record<string, unknown> = {}
  for (const field of fields) if (field.step <= step) shown[field.name] = values[field.name]
  // No pattern test: the API matches patterns (RE2), so the two never disagree on one.
  const result = checkLeadFields(fields, shown, { throughStep: step })
  return result.ok
    ? { values: result.values }
    : { errors: Object.fromEntries(result.errors.map(({ path, message }) => [path, message])) }
}

/** What a submit adds to the checked values. */
export interface Submission {
  /** The values as typed: the consent box's state, which the checked values leave out when unticked. */
  typed: Record<string, string | boolean>
  honeypot: string
  elapsedMs: number
  captchaToken: string
  retryMessage: string
}

/** Sends a checked lead with its consent (the label's exact text), the honeypot, the timing and the page. */
export function submitLead(
  sender: Sender,
  decision: Decision,
  config: LeadConfig,
  values: LeadValues,
  { typed, honeypot, elapsedMs, captchaToken, retryMessage }: Submission,
): Promise<LeadAnswer> {
  const consent = config.fields.find((field) => field.type === 'consent')
  return sendLead(
    sender.api,
    {
      site: sender.site,
      campaignId: decision.campaignId,
      variantId: decision.variantId,
      fields: values,
      anonymousId: sender.anonymousId ?? 'anonymous',
      visitorToken: decision.visitorToken,
      ...(consent ? { consent: { granted: typed[consent.name] === true, text: consent.label } } : {}),
      hp: honeypot,
      elapsedMs,
      context: {
        url: location.href.slice(0, limits.url),
        referrer: document.referrer.slice(0, limits.url),
      },
      ...(captchaToken ? { captchaToken } : {}),
    },
    retryMessage,
  )
}

/**
 * What takes the form's place once the API has the lead: the success message and the download, if there is one
 * (a new tab without an opener, only over http(s)). Without a download, a redirect URL is followed instead.
 */
export function Done({ config, download }: { config: LeadConfig; download?: string | undefined }) {
  const { texts, offer } = config
  return (
    // Focused once shown, so it is read out; no focus ring around a message.
    <div class="done" role="status" tabIndex={-1} style={{ outline: 0 }}>
      <p dir="auto">{config.successMessage}</p>
      {download && (
        <a class="cta" href={download} target="_blank" rel="noopener" dir="auto">
          {offer?.title ? `${texts.download} ${offer.title}` : texts.download}
        </a>
      )}
    </div>
  )
}

/** After a submit with no download to hand out, the page the campaign sends people to, if any. */
export function redirectAfter(config: LeadConfig, download: string | undefined) {
  const redirect = httpUrl(config.redirectUrl)
  if (redirect && !download) location.assign(redirect)
}
