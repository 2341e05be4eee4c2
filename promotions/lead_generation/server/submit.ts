import { and, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { isBot } from '../../../api/core/bots'
import { ApiError } from '../../../api/core/errors'
import { deviceOf, geoOf, visitorContext } from '../../../api/core/visitor'
import { publicPreflight, publicSite } from '../../../api/http/auth/public'
import type { AppEnv } from '../../../api/http/env'
import { headerOf, readBody } from '../../../api/http/request'
import type { StoredEvent } from '../../../api/ports/events'
import type { Services } from '../../../api/services/index'
import { mirror } from '../../../api/services/ingest/mirror'
import { campaigns, type LeadConsent, type LeadSource, variants } from '../../../schema/db'
import { limits } from '../../../schema/limits'
import { type LeadGenerationConfig, leadGenerationConfig } from '../config'
import { checkLeadFields, type LeadValues } from '../lead-form'
import { matchPatternLinear } from '../lead-pattern'
import { confirmationFor } from './confirmation'
import type { Grade } from './scoring'
import { type LeadRow, type SubmissionRow, storeLead } from './store'

/** A lead form's submit, as the form widget (or any page) sends it. Every string has a bound. */
export const leadSubmit = z.strictObject({
  site: z.string().min(1).max(limits.id),
  campaignId: z.uuid(),
  variantId: z.uuid().optional(),
  fields: z
    .record(z.string().max(64), z.union([z.string().max(limits.text), z.boolean()]))
    .refine((fields) => Object.keys(fields).length <= 50, 'at most 50 fields'),
  anonymousId: z.string().min(1).max(limits.id).optional(),
  /** The serve answer's `visitorToken` for this anonymous id: without it the submit is not linked to the id. */
  visitorToken: z.string().max(64).optional(),
  /** What the visitor was shown and whether they agreed; the text is stored exactly as sent. */
  consent: z.strictObject({ granted: z.boolean(), text: z.string().max(limits.text) }).optional(),
  captchaToken: z.string().min(1).max(2_048).optional(),
  /** The honeypot: a field people never see, so never fill. */
  hp: z.string().max(limits.text).optional(),
  /** Milliseconds from the form being shown to its submit. */
  elapsedMs: z.number().finite().min(0).optional(),
  context: z
    .strictObject({
      url: z.string().max(limits.url).optional(),
      referrer: z.string().max(limits.url).optional(),
    })
    .optional(),
})
export type LeadSubmit = z.infer<typeof leadSubmit>

/** Nobody reads a form and types into it this fast; scripts do. */
export const minFillMs = 2_000
export interface Download {
  url: string
  expiresAt: string
}

/**
 * What happened, for the follow-ups (confirmation mail, download link, webhooks): api/followup's `LeadEvent`.
 */
export interface SubmittedLead {
  type: 'lead.created' | 'lead.updated'
  siteId: string
  lead: {
    id: string
    email: string
    fields: Record<string, string | boolean>
    score: number
    grade: Grade
    createdAt: string
    updatedAt: string
  }
  submission: { id: string; campaignId: string; variantId: string | null; createdAt: string }
  campaign: { id: string; name: string }
  offer?: { title?: string; assetUrl?: string }
  /** The confirmation mail to the person: the offer's title (or "Thank you") and the form's success message. */
  confirmation?: { subject: string; text: string }
}

export interface LeadSubmitOptions {
  /**
   * The follow-ups of a stored lead, run after it committed (app.ts passes api/followup's `followUp`). A
   * download it hands out goes back to the visitor; a failure there is logged and the lead is still answered
   * as stored.
   */
  followUp?: (event: SubmittedLead) => Promise<{ download?: Download }>
}

/** What the visitor gets back; `download` only when a follow-up handed one out. */
export interface LeadAnswer {
  leadId: string
  status: 'created' | 'updated'
  download?: Download
}

const fieldErrors = (errors: { path: string; message: string }[]) => {
  const details = errors.map((e) => ({ path: e.path ? `fields.${e.path}` : 'fields', message: e.message }))
  return new ApiError('validation_failed', `${details[0]!.path}: ${details[0]!.message}`, details)
}

/** Consent as the visitor saw it: sent with the submit, or else the form's consent box, its label as the text. */
function consentOf(body: LeadSubmit, config: LeadGenerationConfig, values: LeadValues, at: Date) {
  if (body.consent) return { granted: body.consent.granted, text: body.consent.text, at: at.toISOString() }
  // A box the submit leaves out says nothing; one sent unticked is a no.
  const box = config.fields.find((f) => f.type === 'consent' && f.name in values)
  if (!box) return null
  return { granted: values[box.name] === true, text: box.label, at: at.toISOString() } satisfies LeadConsent
}

function sourceOf(body: LeadSubmit): LeadSource {
  const url = body.context?.url || undefined
  const referrer = body.context?.referrer || undefined
  return {
    utm: visitorContext({ context: { url }, header: () => undefined }).utm,
    referrer: referrer ?? null,
    url: url ?? null,
  }
}

function submittedLead(
  siteId: string,
  lead: LeadRow,
  submission: SubmissionRow,
  created: boolean,
  campaign: { id: string; name: string },
  config: LeadGenerationConfig,
): SubmittedLead {
  return {
    type: created ? 'lead.created' : 'lead.updated',
    siteId,
    lead: {
      id: lead.id,
      email: lead.email,
      fields: lead.fields,
      score: lead.score,
      grade: lead.grade,
      createdAt: lead.createdAt.toISOString(),
      updatedAt: lead.updatedAt.toISOString(),
    },
    submission: {
      id: submission.id,
      campaignId: submission.campaignId,
      variantId: submission.variantId,
      createdAt: submission.createdAt.toISOString(),
    },
    campaign,
    ...(config.offer ? { offer: { title: config.offer.title, assetUrl: config.offer.assetUrl } } : {}),
    confirmation: confirmationFor(config),
  }
}

/**
 * `POST /api/v1/leads`: a lead form's submit. Spam is refused in the order it costs least to spot: too many
 * submits from one address (429, api/limits, before this route runs), then bots, the honeypot and inhumanly fast submits, which get an answer that
 * looks like success and store nothing, so a script learns nothing from it. Then the campaign (an active lead
 * form of this site), the fields (the same schema the form runs in the browser) and, last, the captcha, since a
 * token is good only once and a visitor fixing a typo should not have to solve it again.
 */
export function leadSubmitRoutes(services: Services, options: LeadSubmitOptions = {}) {
  const app = new Hono<AppEnv>()

  app.options('/leads', (c) => publicPreflight(c, services))

  app.post('/leads', async (c) => {
    const body = await readBody(c, leadSubmit, 'json-or-text')
    const site = await publicSite(c, services, body.site)

    const spam =
      isBot(headerOf(c, 'user-agent')) ||
      (body.hp !== undefined && body.hp !== '') ||
      (body.elapsedMs !== undefined && body.elapsedMs < minFillMs)
    if (spam) return c.json({ leadId: crypto.randomUUID(), status: 'created' } satisfies LeadAnswer, 201)

    const [campaign] = await services.db
      .select({ id: campaigns.id, name: campaigns.name, config: campaigns.config })
      .from(campaigns)
      .where(
        and(
          eq(campaigns.id, body.campaignId),
          eq(campaigns.siteId, site.id),
          eq(campaigns.type, 'lead_generation'),
          eq(campaigns.status, 'active'),
        ),
      )
      .limit(1)
    if (!campaign) {
      throw new ApiError('not_found', 'No active lead form with this id on this site', [
        { path: 'campaignId', message: 'no active lead form with this id' },
      ])
    }
    if (body.variantId) {
      const [variant] = await services.db
        .select({ id: variants.id })
        .from(variants)
        .where(and(eq(variants.id, body.variantId), eq(variants.campaignId, campaign.id)))
        .limit(1)
      if (!variant) {
        throw new ApiError('validation_failed', 'variantId: no such variant of this campaign', [
          { path: 'variantId', message: 'no such variant of this campaign' },
        ])
      }
    }
    // Stored configs were validated when saved; parsing again fills defaults added since. One saved under older,
    // looser rules (a pattern RE2 cannot run) waits for the marketer to save it again.
    const parsed = leadGenerationConfig.safeParse(campaign.config)
    if (!parsed.success) {
      services.log.error('a lead form’s stored config no longer validates: save it again', {
        campaignId: campaign.id,
        paths: parsed.error.issues.map((issue) => issue.path.join('.')),
      })
      throw new ApiError('unavailable', 'This form cannot be submitted right now')
    }
    const config = parsed.data

    const checked = checkLeadFields(config.fields, body.fields, { matchPattern: matchPatternLinear })
    if (!checked.ok) throw fieldErrors(checked.errors)
    const values = checked.values as LeadValues & { email: string }

    if (config.captcha) await checkCaptcha(services, body.captchaToken)

    // Only a browser served under this id holds its token; a submit that merely names an id stays unlinked, so
    // nobody can pull a stranger's browsing into their own privacy export (or have it erased).
    const anonymousId =
      body.anonymousId &&
      body.visitorToken &&
      services.signer.holdsVisitor(site.id, body.anonymousId, body.visitorToken)
        ? body.anonymousId
        : null
    const at = new Date(services.now())
    const source = sourceOf(body)
    const { lead, submission, created } = await storeLead(services.db, {
      siteId: site.id,
      campaignId: campaign.id,
      variantId: body.variantId ?? null,
      values,
      form: { fields: config.fields, scoring: config.scoring },
      anonymousId,
      consent: consentOf(body, config, values, at),
      source,
      at,
    })

    if (anonymousId) {
      await recordSubmitEvent(services, c, {
        id: submission.id,
        siteId: site.id,
        name: 'submit',
        timestamp: at,
        anonymousId,
        campaignId: campaign.id,
        variantId: body.variantId ?? null,
        url: source.url,
        referrer: source.referrer,
      })
    }

    // Follow-ups (confirmation mail, download link, webhooks): api/followup's followUp, wired in app.ts.
    let download: Download | undefined
    if (options.followUp) {
      const event = submittedLead(
        site.id,
        lead,
        submission,
        created,
        { id: campaign.id, name: campaign.name },
        config,
      )
      try {
        download = (await options.followUp(event)).download
      } catch (error) {
        services.log.error('lead follow-up failed', {
          siteId: site.id,
          leadId: lead.id,
          error: error instanceof Error ? error.name : typeof error,
        })
      }
    }

    const answer: LeadAnswer = { leadId: lead.id, status: created ? 'created' : 'updated' }
    if (download) answer.download = download
    return c.json(answer, 201)
  })

  return app
}

async function checkCaptcha(services: Services, token: string | undefined) {
  if (!token) {
    throw new ApiError('validation_failed', 'captchaToken: required', [
      { path: 'captchaToken', message: 'required' },
    ])
  }
  if (!services.captcha) {
    services.log.error('a lead form asks for a captcha but no captcha verifier is configured')
    throw new ApiError('unavailable', 'This form cannot be submitted right now')
  }
  let passed: boolean
  try {
    passed = await services.captcha.verify(token)
  } catch (error) {
    services.log.error('captcha not verified', { error: error instanceof Error ? error.name : typeof error })
    throw new ApiError('unavailable', 'The captcha could not be checked: try again', undefined, {
      'Retry-After': '5',
    })
  }
  if (!passed) {
    throw new ApiError('validation_failed', 'captchaToken: invalid or expired', [
      { path: 'captchaToken', message: 'invalid or expired' },
    ])
  }
}

/**
 * The form's `submit` event, so the campaign's form KPIs count it as they count the SDK's events. Written after
 * the lead committed, with the submission's id as the event id; a failure is logged, the lead stays stored.
 * Kept only for a visitor the SDK knows (an anonymous id): without one there is nobody to count it for.
 */
async function recordSubmitEvent(
  services: Services,
  c: Parameters<typeof headerOf>[0],
  row: Pick<
    StoredEvent,
    'id' | 'siteId' | 'name' | 'timestamp' | 'anonymousId' | 'campaignId' | 'variantId' | 'url' | 'referrer'
  >,
) {
  const userAgent = headerOf(c, 'user-agent')
  const country = geoOf({
    header: (name) => headerOf(c, name),
    cf: (c.req.raw as { cf?: unknown }).cf,
    geoHeaders: services.deps.geoHeaders,
  }).country
  try {
    const { stored, profiles, queued } = await services.writer.write(row.siteId, [
      { ...row, device: userAgent ? deviceOf(userAgent).device : null, country: country ?? null },
    ])
    if (!queued) await mirror(services, row.siteId, profiles, stored as StoredEvent[])
  } catch (error) {
    services.log.error('submit event not stored', {
      siteId: row.siteId,
      error: error instanceof Error ? error.name : typeof error,
    })
  }
}
