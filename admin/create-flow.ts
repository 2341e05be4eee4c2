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
    adminType?.defaultHoldoutPercent,
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
