import type { Targeting } from '../schema/targeting'
import type { Campaign } from './api'
import { type CampaignForm, type CreativeField, creativeFields, emptyForm } from './campaign-form'
import type { AdminType, Config, CreateStep, Template } from './promotion-type'

/** Every step of the guided creation: the objective first, the review last, the type's own steps between. */
export type FlowStep = 'objective' | CreateStep | 'review'

export const stepTitles: Record<FlowStep, string> = {
  objective: 'Objective',
  creative: 'Format and creative',
  audience: 'Audience and targeting',
  triggers: 'Trigger',
  schedule: 'Schedule',
  delivery: 'Delivery',
  review: 'Review',
}

/** A unit in a slot appears with the page, so the trigger step is only for types that declare it. */
const defaultSteps: readonly CreateStep[] = ['creative', 'audience', 'schedule', 'delivery']

export function flowSteps(type: AdminType | undefined): FlowStep[] {
  return ['objective', ...(type?.createSteps ?? defaultSteps), 'review']
}

/** The step the address asks for when the flow has it; else the first. */
export function stepFrom(asked: string | null, steps: readonly FlowStep[]): FlowStep {
  return steps.find((step) => step === asked) ?? 'objective'
}

/** The step that shows the field an API error path is about, so the error summary can go there. */
export function stepOfPath(path: string, steps: readonly FlowStep[]): FlowStep {
  const has = (step: FlowStep) => steps.includes(step)
  if (path === 'name' || path === 'type') return 'objective'
  if (path.startsWith('config.trigger') && has('triggers')) return 'triggers'
  if (
    path === 'config' ||
    path.startsWith('config.') ||
    path.startsWith('variants') ||
    path.startsWith('placements')
  )
    return 'creative'
  if (path.startsWith('targeting')) return 'audience'
  if (path.startsWith('schedule')) return 'schedule'
  return 'delivery'
}

/** A new campaign of `type`, starting from its default config and caps. */
export function newFlowForm(type: string, adminType: AdminType | undefined): CampaignForm {
  return emptyForm(
    type,
    adminType?.defaultConfig() ?? {},
    !adminType?.ConfigEditor,
    adminType?.defaultFrequency,
  )
}

/**
 * The form with a template's config, placements and creative (the first variant's); the name too while none is
 * typed. `asJson` when the type's config is edited as JSON.
 */
export function applyTemplate(form: CampaignForm, template: Template, asJson: boolean): CampaignForm {
  const config: Config = structuredClone(template.config)
  const [first, ...rest] = form.variants
  const creative = { ...(first?.creative ?? {}) } as Record<CreativeField, string>
  for (const field of creativeFields) creative[field] = template.creative[field] ?? ''
  return {
    ...form,
    name: form.name.trim() ? form.name : template.name,
    config,
    configText: asJson ? JSON.stringify(config, null, 2) : null,
    placements: (template.placements ?? []).join(', '),
    variants: [{ ...(first ?? { name: 'A', weight: '1', otherCreative: {} }), creative }, ...rest],
  }
}

/** The devices the audience step offers (schema/targeting.ts `devices`, kept out of the bundle with zod). */
export const deviceChoices = ['desktop', 'mobile', 'tablet'] as const
export type DeviceChoice = (typeof deviceChoices)[number]

/** The audience step's simple rule: every condition set must hold. Text fields hold codes, comma separated. */
export interface AudienceForm {
  devices: DeviceChoice[]
  countries: string
  languages: string
  utmSource: string
}

export const emptyAudience: AudienceForm = { devices: [], countries: '', languages: '', utmSource: '' }

const codes = (text: string) =>
  text
    .split(',')
    .map((code) => code.trim())
    .filter(Boolean)

type Condition = Record<string, unknown>

/** The targeting the simple form stands for: nothing set is everyone. */
export function targetingFromAudience(form: AudienceForm): Targeting {
  const conditions: Condition[] = []
  if (form.devices.length > 0) conditions.push({ field: 'device', op: 'in', values: form.devices })
  const countries = codes(form.countries).map((code) => code.toUpperCase())
  if (countries.length > 0) conditions.push({ field: 'country', op: 'in', values: countries })
  const languages = codes(form.languages).map((code) => code.toLowerCase())
  if (languages.length > 0) conditions.push({ field: 'language', op: 'in', values: languages })
  const sources = codes(form.utmSource).map((code) => code.toLowerCase())
  if (sources.length === 1) conditions.push({ field: 'utm_source', op: 'equals', value: sources[0] })
  else if (sources.length > 1) conditions.push({ field: 'utm_source', op: 'in', values: sources })
  if (conditions.length === 0) return {}
  const include = conditions.length === 1 ? conditions[0] : { all: conditions }
  return { include } as Targeting
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined

/**
 * The simple form for a targeting, or null when the targeting holds more than it can show (an exclude, an
 * any/not group, other fields): such a targeting is kept as it is.
 */
export function audienceFromTargeting(targeting: Targeting | undefined): AudienceForm | null {
  if (!targeting || (!targeting.include && !targeting.exclude)) return { ...emptyAudience }
  if (targeting.exclude || !targeting.include) return null
  const include = targeting.include as Condition
  const conditions = Array.isArray(include.all) ? (include.all as Condition[]) : [include]
  const form: AudienceForm = { ...emptyAudience }
  const seen = new Set<string>()
  for (const condition of conditions) {
    const field = condition.field
    if (typeof field !== 'string' || seen.has(field)) return null
    seen.add(field)
    const values = strings(condition.values)
    if (field === 'device' && values) form.devices = values as DeviceChoice[]
    else if (field === 'country' && values) form.countries = values.join(', ')
    else if (field === 'language' && values) form.languages = values.join(', ')
    else if (field === 'utm_source' && condition.op === 'equals' && typeof condition.value === 'string')
      form.utmSource = condition.value
    else if (field === 'utm_source' && values) form.utmSource = values.join(', ')
    else return null
  }
  return form
}

/** Where the flow remembers a draft's step, so the campaign's page can send the marketer back to it. */
const stepKey = (id: string) => `promo.create-step.${id}`

export function rememberStep(id: string, step: FlowStep) {
  try {
    localStorage.setItem(stepKey(id), step)
  } catch {
    // Storage may be off (private mode); the step is in the address anyway.
  }
}

export function rememberedStep(id: string): string | null {
  try {
    return localStorage.getItem(stepKey(id))
  } catch {
    return null
  }
}

/** The campaign's page for a draft: where the guided flow resumes it. */
export function resumePath(root: string, campaign: Pick<Campaign, 'id'>): string {
  const step = rememberedStep(campaign.id)
  const query = new URLSearchParams({ draft: campaign.id, ...(step ? { step } : {}) })
  return `${root}/campaigns/new?${query}`
}
