import { z } from 'zod'
import { limits } from './limits'
import { segmentKey, type TraitCondition, traitCondition } from './targeting'

/** Custom segments nest their groups at most this deep and hold at most this many conditions. */
export const maxSegmentDepth = 3
export const maxSegmentConditions = 20

const eventName = z.string().trim().min(1).max(limits.eventName)

/** How many times the visitor sent an event (by name) within the segment's lookback window. */
export const eventCondition = z.strictObject({
  field: z.literal('event'),
  name: eventName,
  op: z.enum(['gte', 'lte', 'equals']),
  count: z.number().int().min(0).max(1_000_000),
})
export type EventCondition = z.infer<typeof eventCondition>

export type SegmentRule =
  | TraitCondition
  | EventCondition
  | { all: SegmentRule[] }
  | { any: SegmentRule[] }
  | { not: SegmentRule }

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function ruleAt(depth: number): z.ZodType<SegmentRule> {
  const children = z.lazy(() =>
    z
      .array(ruleAt(depth + 1))
      .min(1)
      .max(maxSegmentConditions),
  )
  const groups = {
    all: z.strictObject({ all: children }),
    any: z.strictObject({ any: children }),
    not: z.strictObject({ not: z.lazy(() => ruleAt(depth + 1)) }),
  }
  return z.unknown().transform((value, ctx): SegmentRule => {
    const group = isObject(value) ? (['all', 'any', 'not'] as const).find((key) => key in value) : undefined
    if (group && depth > maxSegmentDepth) {
      ctx.addIssue({ code: 'custom', message: `groups nest at most ${maxSegmentDepth} deep`, input: value })
      return z.NEVER
    }
    const schema = group
      ? groups[group]
      : isObject(value) && value.field === 'event'
        ? eventCondition
        : traitCondition
    const result = (schema as z.ZodType).safeParse(value)
    if (result.success) return result.data as SegmentRule
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: value })
    }
    return z.NEVER
  })
}

export function segmentConditionCount(rule: SegmentRule): number {
  if ('all' in rule) return rule.all.reduce((sum, child) => sum + segmentConditionCount(child), 0)
  if ('any' in rule) return rule.any.reduce((sum, child) => sum + segmentConditionCount(child), 0)
  if ('not' in rule) return segmentConditionCount(rule.not)
  return 1
}

export const segmentRule = ruleAt(1).superRefine((tree, ctx) => {
  const count = segmentConditionCount(tree)
  if (count > maxSegmentConditions) {
    ctx.addIssue({ code: 'custom', message: `at most ${maxSegmentConditions} conditions, got ${count}` })
  }
})

/** What a patch may change; defaults belong to creation only, or a patch would reset what it left out. */
const segmentFields = {
  name: z.string().trim().min(1).max(limits.name),
  rule: segmentRule,
  lookbackDays: z.number().int().min(1).max(365),
}

export const segmentCreate = z.strictObject({
  key: segmentKey,
  ...segmentFields,
  lookbackDays: segmentFields.lookbackDays.default(30),
  siteId: z.uuid().optional(),
})
export type SegmentCreate = z.infer<typeof segmentCreate>

export const segmentPatch = z.strictObject(segmentFields).partial()
