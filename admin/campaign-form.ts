import type { CampaignType, Creative, Frequency, Schedule, Targeting } from '../schema/campaign'
import type { Decision } from '../schema/serve'
import { slotFormats } from '../schema/status'
import type { Campaign, CampaignBody, CampaignPatch, FieldProblem, VariantBody } from './api'
import { type CostForm, costBody, costFromCampaign } from './cost-form'
import { type DeliveryForm, deliveryBody, deliveryFromCampaign, newDelivery } from './delivery-form'
import { typedNumber } from './typed-number'

export const creativeFields = [
  'headline',
  'body',
  'ctaText',
  'ctaUrl',
  'imageUrl',
  'imageAlt',
  'backgroundColor',
  'textColor',
] as const
export type CreativeField = (typeof creativeFields)[number]

export interface VariantForm {
  id?: string
  name: string
  weight: string
  creative: Record<CreativeField, string>
  /** Creative fields this editor does not show (video, accent colour…), sent back untouched. */
  otherCreative: Partial<Creative>
}

/** The editor's state: every input as the string the marketer typed. */
export interface CampaignForm {
  /** The campaign type: fixed once created. */
  type: string
  name: string
  /** The type's config as its editor keeps it (parsed from `configText` for a type edited as JSON). */
  config: Record<string, unknown>
  /** For a type without its own config editor: the JSON as typed; null when the type has an editor. */
  configText: string | null
  placements: string
  priority: string
  start: string
  end: string
  delivery: DeliveryForm
  cost: CostForm
  variants: VariantForm[]
  /** Who sees it (schema/targeting.ts), as the targeting editor builds it. */
  targeting: Targeting
  /** The schedule's time zone: dayparting hours are read in it. */
  timezone: string
  /** The hours it runs (the dayparting grid); undefined runs at every hour. */
  dayparting?: Schedule['dayparting']
}

const emptyCreative: Record<CreativeField, string> = {
  headline: '',
  body: '',
  ctaText: '',
  ctaUrl: '',
  imageUrl: '',
  imageAlt: '',
  backgroundColor: '',
  textColor: '',
}

export function newVariant(
  name: string,
  creative: Record<CreativeField, string> = emptyCreative,
): VariantForm {
  return { name, weight: '1', creative: { ...creative }, otherCreative: {} }
}

/**
 * A new campaign of `type`, starting from its default config and caps; `asJson` when the type has no config
 * editor.
 */
export function emptyForm(
  type: string,
  config: Record<string, unknown>,
  asJson: boolean,
  frequency?: Frequency,
  holdoutPercent?: number,
): CampaignForm {
  return {
    type,
    name: '',
    config,
    configText: asJson ? configJson(config) : null,
    placements: '',
    priority: '0',
    start: '',
    end: '',
    delivery: newDelivery(frequency, holdoutPercent),
    cost: costFromCampaign(null),
    variants: [newVariant('A')],
    targeting: {},
    timezone: browserTimeZone(),
  }
}

/** A config as the JSON editor shows it. */
export function configJson(config: Record<string, unknown>): string {
  return JSON.stringify(config, null, 2)
}

/**
 * The config the form holds: the typed JSON parsed for a type edited as JSON, else the editor's object. Text
 * that is not a JSON object is a problem at `config`, found before anything is sent.
 */
export function configFrom(
  form: CampaignForm,
): { config: Record<string, unknown> } | { problem: FieldProblem } {
  if (form.configText === null) return { config: form.config }
  let parsed: unknown
  try {
    parsed = JSON.parse(form.configText)
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unreadable'
    return { problem: { path: 'config', message: `is not valid JSON (${reason})` } }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { problem: { path: 'config', message: 'must be a JSON object, like {"format": "inline"}' } }
  return { config: parsed as Record<string, unknown> }
}

/**
 * Hero and inline fill a marked slot and so need placements; the other formats place themselves. A config
 * without a format (as typed JSON may be) keeps the placements, so nothing typed is dropped.
 */
export function needsPlacements(format: string | undefined): boolean {
  return format === undefined || (slotFormats as readonly string[]).includes(format)
}

const pad = (n: number) => String(n).padStart(2, '0')

/** An ISO instant as the value of a `datetime-local` input, in the browser's time zone. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/** A `datetime-local` value (browser time zone) as an ISO instant; invalid text passes through for the API to refuse. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? value : date.toISOString()
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** The form for a saved campaign; `asJson` when its type has no config editor. */
export function formFromCampaign(campaign: Campaign, asJson: boolean): CampaignForm {
  return {
    type: campaign.type,
    name: campaign.name,
    config: campaign.config,
    configText: asJson ? configJson(campaign.config) : null,
    placements: campaign.placements.join(', '),
    priority: String(campaign.priority),
    start: toLocalInput(campaign.schedule.start),
    end: toLocalInput(campaign.schedule.end),
    delivery: deliveryFromCampaign(campaign),
    cost: costFromCampaign(campaign.cost),
    variants: campaign.variants.map((variant) => {
      const creative = { ...emptyCreative }
      const otherCreative: Record<string, unknown> = { ...variant.creative }
      for (const field of creativeFields) {
        creative[field] = variant.creative[field] ?? ''
        delete otherCreative[field]
      }
      return {
        id: variant.id,
        name: variant.name,
        weight: String(variant.weight),
        creative,
        otherCreative: otherCreative as Partial<Creative>,
      }
    }),
    targeting: campaign.targeting,
    timezone: campaign.schedule.timezone,
    ...(campaign.schedule.dayparting ? { dayparting: campaign.schedule.dayparting } : {}),
  }
}

export function parsePlacements(text: string): string[] {
  return text
    .split(',')
    .map((slot) => slot.trim())
    .filter(Boolean)
}

const numberFrom = (text: string, fallback: number): number => typedNumber(text) ?? fallback

function creativeBody(variant: VariantForm): Creative {
  const creative: Record<string, unknown> = { ...variant.otherCreative }
  for (const field of creativeFields) {
    const value = variant.creative[field].trim()
    if (field === 'headline' || value !== '') creative[field] = value
  }
  return creative as Creative
}

function variantBody(variant: VariantForm): VariantBody {
  return {
    ...(variant.id ? { id: variant.id } : {}),
    name: variant.name.trim(),
    weight: numberFrom(variant.weight, 1),
    creative: creativeBody(variant),
  }
}

/**
 * The fields create and update share. `config` is the form's (configFrom); `format` the unit's, which decides
 * whether placements are sent. `previous` keeps what this editor does not show of the schedule.
 */
export function bodyFromForm(
  form: CampaignForm,
  config: Record<string, unknown>,
  format: string | undefined,
  previous?: Campaign,
): CampaignPatch & Required<Pick<CampaignPatch, 'name'>> {
  const schedule: CampaignBody['schedule'] = {
    ...(previous?.schedule ?? {}),
    timezone: form.timezone,
  }
  delete schedule.start
  delete schedule.end
  delete schedule.dayparting
  if (form.dayparting) schedule.dayparting = form.dayparting
  const start = fromLocalInput(form.start)
  const end = fromLocalInput(form.end)
  if (start) schedule.start = start
  if (end) schedule.end = end
  return {
    name: form.name.trim(),
    placements: needsPlacements(format) ? parsePlacements(form.placements) : [],
    priority: numberFrom(form.priority, 0),
    schedule,
    ...deliveryBody(form.delivery),
    cost: costBody(form.cost),
    config,
    variants: form.variants.map(variantBody),
    targeting: form.targeting,
  }
}

export function createBody(
  form: CampaignForm,
  config: Record<string, unknown>,
  format: string | undefined,
  siteId: string,
): CampaignBody {
  const body = bodyFromForm(form, config, format)
  return {
    siteId,
    name: body.name,
    type: form.type as CampaignBody['type'],
    placements: body.placements ?? [],
    priority: body.priority ?? 0,
    schedule: body.schedule ?? { timezone: browserTimeZone() },
    frequency: body.frequency,
    experiment: body.experiment,
    pacing: body.pacing,
    cost: body.cost,
    config: body.config ?? {},
    variants: body.variants ?? [],
    targeting: body.targeting ?? {},
  }
}

/**
 * What the SDK would be handed for this variant, as typed so far. The widget applies its own guards (http(s)
 * links only, hex colours only) exactly as it does on a site; an empty headline gets a placeholder.
 */
export function previewDecision(
  form: CampaignForm,
  config: Record<string, unknown>,
  format: string | undefined,
  variantIndex: number,
  campaignId = 'preview',
): Decision {
  const variant = form.variants[variantIndex] ?? form.variants[0] ?? newVariant('A')
  const typed = variant.creative
  const creative: Record<string, unknown> = { ...variant.otherCreative }
  for (const field of creativeFields) {
    const value = typed[field].trim()
    if (value) creative[field] = value
  }
  creative.headline ||= 'Your headline'
  const slot = parsePlacements(form.placements)[0] ?? 'preview'
  return {
    ...(needsPlacements(format) ? { slot } : {}),
    campaignId,
    variantId: variant.id ?? 'preview',
    type: form.type as CampaignType,
    format: format ?? 'inline',
    creative: creative as Creative,
    config,
    token: 'preview',
  }
}
