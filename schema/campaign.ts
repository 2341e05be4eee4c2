import { z } from 'zod'
import { limits } from './limits'
import { targeting } from './targeting'

export const campaignTypes = [
  'awareness',
  'traffic',
  'engagement',
  'lead_generation',
  'sales',
  'app_promotion',
  'local_business',
  'remarketing',
  'offer_event',
] as const
export type CampaignType = (typeof campaignTypes)[number]
export const campaignType = z.enum(campaignTypes)

export { type CampaignStatus, campaignStatuses, type TransitionAction, transitions } from './status'

/** Only absolute http(s) URLs: creative links and images never carry javascript:, data: or relative targets. */
export const httpUrl = z
  .string()
  .max(limits.url)
  .refine((value) => {
    try {
      const url = new URL(value)
      return url.protocol === 'http:' || url.protocol === 'https:'
    } catch {
      return false
    }
  }, 'must be an absolute http(s) URL')

const cssColor = z
  .string()
  .max(32)
  .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'must be a hex color like #1a2b3c')

const plainText = (max: number) => z.string().trim().max(max)

/** What a variant shows. Text is plain text (rendered as text, never as HTML). */
export const creative = z.strictObject({
  headline: plainText(limits.shortText).min(1),
  body: plainText(limits.text).optional(),
  ctaText: plainText(40).optional(),
  ctaUrl: httpUrl.optional(),
  imageUrl: httpUrl.optional(),
  imageAlt: plainText(limits.shortText).optional(),
  videoUrl: httpUrl.optional(),
  posterUrl: httpUrl.optional(),
  backgroundColor: cssColor.optional(),
  textColor: cssColor.optional(),
  accentColor: cssColor.optional(),
})
export type Creative = z.infer<typeof creative>

export const variantInput = z.strictObject({
  id: z.uuid().optional(),
  name: plainText(limits.name).min(1),
  weight: z.number().int().min(0).max(10_000).default(1),
  creative,
})
export type VariantInput = z.infer<typeof variantInput>

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')

export const schedule = z
  .strictObject({
    start: z.iso.datetime({ offset: true }).optional(),
    end: z.iso.datetime({ offset: true }).optional(),
    timezone: z
      .string()
      .max(64)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz })
          return true
        } catch {
          return false
        }
      }, 'unknown IANA time zone')
      .default('UTC'),
    dayparting: z
      .array(
        z.strictObject({
          days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
          from: hhmm,
          to: hhmm,
        }),
      )
      .max(28)
      .optional(),
  })
  .refine((s) => !s.start || !s.end || Date.parse(s.start) < Date.parse(s.end), {
    message: 'end must be after start',
    path: ['end'],
  })
export type Schedule = z.infer<typeof schedule>

export { type Targeting, targeting } from './targeting'

export const frequency = z.strictObject({
  perHour: z.number().int().min(1).max(1_000).optional(),
  perDay: z.number().int().min(1).max(1_000).optional(),
  perWeek: z.number().int().min(1).max(10_000).optional(),
  lifetime: z.number().int().min(1).max(100_000).optional(),
  minHoursBetween: z.number().min(0).max(8_760).optional(),
  countOn: z.enum(['viewable', 'serve']).default('viewable'),
  /** Interruptive units (popups, slide-ins) share one budget per visitor session; true lets this one past it. */
  exemptFromFatigue: z.boolean().optional(),
})
export type Frequency = z.infer<typeof frequency>

/**
 * The campaign's experiment over its variants: a salt (change it to reshuffle visitors), a holdout that is shown
 * nothing so lift can be measured, and optionally a Thompson-sampling bandit that shifts traffic to the variant
 * that wins on clicks or conversions.
 */
export const experiment = z.strictObject({
  salt: z.string().trim().min(1).max(64).optional(),
  holdoutPercent: z.number().min(0).max(50).default(0),
  bandit: z.strictObject({ metric: z.enum(['click', 'conversion']) }).optional(),
})
export type Experiment = z.infer<typeof experiment>

/** An impression goal delivered evenly between the schedule's start and end. */
export const pacing = z.strictObject({ impressionGoal: z.number().int().min(1).max(1_000_000_000) })
export type Pacing = z.infer<typeof pacing>

/**
 * What the campaign cost over its life (the discount given, a media or production budget): analytics divides
 * revenue by it for ROAS and it by conversions for CPA. Revenue in another currency is not converted.
 */
export const cost = z.strictObject({
  amount: z.number().finite().min(0).max(1e12),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code like EUR'),
})
export type Cost = z.infer<typeof cost>

const slotName = z
  .string()
  .min(1)
  .max(limits.slot)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, _ . : - only')

export { slotName }

const campaignFields = {
  name: plainText(limits.name).min(1),
  objective: plainText(100),
  priority: z.number().int().min(0).max(1_000),
  weight: z.number().int().min(0).max(10_000),
  placements: z.array(slotName).max(limits.placements),
  schedule,
  targeting,
  frequency,
  experiment,
  pacing: pacing.nullable(),
  cost: cost.nullable(),
  config: z.unknown(),
  variants: z.array(variantInput).min(1).max(limits.variants),
}

/** Creating a campaign: everything but name, type and variants has a default. */
export const campaignCreate = z
  .strictObject({
    ...campaignFields,
    type: campaignType.optional(),
    siteId: z.uuid().optional(),
    objective: campaignFields.objective.optional(),
    priority: campaignFields.priority.default(0),
    weight: campaignFields.weight.default(1),
    placements: campaignFields.placements.default([]),
    schedule: schedule.default({ timezone: 'UTC' }),
    targeting: targeting.default({}),
    frequency: frequency.optional(),
    // No default here: a type may start with a holdout (schema/types/index.ts `defaultExperiment`).
    experiment: experiment.optional(),
    pacing: pacing.nullable().default(null),
    cost: cost.nullable().default(null),
    config: z.unknown().default({}),
  })
  .superRefine((campaign, ctx) => {
    const problem = pacingProblem(campaign.pacing, campaign.schedule)
    if (problem) ctx.addIssue({ code: 'custom', path: ['pacing'], message: problem })
  })
export type CampaignCreate = z.infer<typeof campaignCreate>

/** Even pacing needs a flight to spread the goal over. */
export function pacingProblem(p: Pacing | null | undefined, s: Schedule): string | undefined {
  if (p && (!s.start || !s.end)) return 'an impression goal needs schedule.start and schedule.end'
  return undefined
}

/** Patching: any subset, with no defaults, so an absent field is left as it is. Type and site never change. */
export const campaignPatch = z.strictObject(campaignFields).partial()
export type CampaignPatch = z.infer<typeof campaignPatch>
