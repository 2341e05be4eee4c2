import { describe, expect, it } from 'vitest'
import { campaignCreate, campaignType } from '../schema/campaign'
import { parseConfig } from '../schema/types/index'
import { configFrom, createBody } from './campaign-form'
import { applyTemplate, flowSteps, newFlowForm, stepFrom, stepOfPath } from './create-flow'
import { adminTypes } from './promotions'

const siteId = '00000000-0000-4000-8000-000000000001'

const failures = (issues: { path: PropertyKey[]; message: string }[]) =>
  issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)

describe('templates', () => {
  const all = Object.entries(adminTypes).flatMap(([type, admin]) =>
    (admin.templates ?? []).map((template) => ({ type, admin, template })),
  )

  it('offers a starting point for every objective', () => {
    const typesWithTemplates = new Set(all.map(({ type }) => type))
    expect([...typesWithTemplates].sort()).toEqual(Object.keys(adminTypes).sort())
    expect(all.length).toBeGreaterThanOrEqual(15)
    for (const { admin } of all) {
      const ids = (admin.templates ?? []).map((template) => template.id)
      expect(new Set(ids).size).toBe(ids.length)
    }
  })

  it.each(all.map(({ type, template }) => [type, template.id]))(
    '%s template “%s”, applied to a new campaign, is a campaign the API accepts',
    (type, id) => {
      const admin = adminTypes[type]
      const template = admin?.templates?.find((option) => option.id === id)
      if (!admin || !template) throw new Error('template vanished')
      const form = applyTemplate(newFlowForm(type, admin), template, !admin.ConfigEditor)
      expect(form.name).toBe(template.name)
      const parsed = configFrom(form)
      if (!('config' in parsed)) throw new Error(parsed.problem.message)
      expect(parsed.config).toEqual(template.config)
      const format = admin.format ? admin.format(parsed.config) : (parsed.config.format as string | undefined)
      const body = createBody(form, parsed.config, format, siteId)

      const campaign = campaignCreate.safeParse(body)
      expect(campaign.success ? [] : failures(campaign.error.issues)).toEqual([])
      const config = parseConfig(campaignType.parse(type), body.config)
      expect(config.success ? [] : failures(config.error.issues)).toEqual([])
      // A unit in a slot brings the slot it is meant for.
      if (template.placements) expect(body.placements).toEqual(template.placements)
    },
  )
})

describe('steps', () => {
  it('come from the type: every objective starts with the objective and ends with the review', () => {
    for (const admin of Object.values(adminTypes)) {
      const steps = flowSteps(admin)
      expect(steps[0]).toBe('objective')
      expect(steps.at(-1)).toBe('review')
      expect(steps).toContain('creative')
      expect(admin.objective.when).toMatch(/^Use it .+\.$/)
    }
    const withTrigger = Object.values(adminTypes).filter((admin) => flowSteps(admin).includes('triggers'))
    expect(withTrigger.length).toBeGreaterThan(0)
    expect(withTrigger.length).toBeLessThan(Object.keys(adminTypes).length)
  })

  it('reads the step from the address, falling back to the first', () => {
    const steps = flowSteps(undefined)
    expect(stepFrom('audience', steps)).toBe('audience')
    expect(stepFrom('triggers', steps)).toBe('objective')
    expect(stepFrom('<script>', steps)).toBe('objective')
    expect(stepFrom(null, steps)).toBe('objective')
  })

  it('sends an API error to the step that shows its field', () => {
    const steps = flowSteps({
      ...Object.values(adminTypes)[0],
      createSteps: ['creative', 'triggers'],
    } as never)
    expect(stepOfPath('name', steps)).toBe('objective')
    expect(stepOfPath('config.trigger.percent', steps)).toBe('triggers')
    expect(stepOfPath('config.format', steps)).toBe('creative')
    expect(stepOfPath('variants.0.creative.ctaUrl', steps)).toBe('creative')
    expect(stepOfPath('targeting.include.all.1.values.0', steps)).toBe('audience')
    expect(stepOfPath('schedule.end', steps)).toBe('schedule')
    expect(stepOfPath('frequency.perDay', steps)).toBe('delivery')
    expect(stepOfPath('config.trigger.on', flowSteps(undefined))).toBe('creative')
  })
})
