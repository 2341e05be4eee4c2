import { z } from 'zod'
import { limits } from './limits'

/** Groups may nest this deep; a bare condition is depth 0. */
export const maxRuleDepth = 4
/** Conditions in one rule tree, counted over every group. */
export const maxRuleConditions = 50

export const devices = ['desktop', 'mobile', 'tablet'] as const
export type Device = (typeof devices)[number]

export const utmFields = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const
export type UtmField = (typeof utmFields)[number]

const utmValue = z.string().trim().toLowerCase().min(1).max(limits.shortText)
const lowerName = z.string().trim().toLowerCase().min(1).max(64)
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(maxRuleConditions)

const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code like US')
const regionCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'must be an ISO 3166-2 code like US-CA')
const languageCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2,3}$/, 'must be a primary language subtag like en')

/** Segment keys: the built-ins (gen_z, customer, …) and a site's custom segments, lower snake case. */
export const segmentKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _, starting with a letter')

export const builtInSegments = [
  'gen_z',
  'highly_engaged',
  'at_risk',
  'customer',
  'loyal_customer',
  'high_value_customer',
  'prospect',
  'inactive',
  'active',
] as const

const traitKey = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
const traitValue = z.union([z.string().max(limits.shortText), z.number().finite(), z.boolean()])

/** A condition on one trait from `Promo.identify`; comparisons apply to numbers only. */
export const traitCondition = z.discriminatedUnion('op', [
  z.strictObject({ field: z.literal('trait'), key: traitKey, op: z.literal('exists') }),
  z.strictObject({ field: z.literal('trait'), key: traitKey, op: z.literal('equals'), value: traitValue }),
  z.strictObject({
    field: z.literal('trait'),
    key: traitKey,
    op: z.literal('in'),
    values: z.array(traitValue).min(1).max(50),
  }),
  z.strictObject({
    field: z.literal('trait'),
    key: traitKey,
    op: z.enum(['gt', 'gte', 'lt', 'lte']),
    value: z.number().finite(),
  }),
])
export type TraitCondition = z.infer<typeof traitCondition>

/** Globs know `*` (any run of characters, possibly empty) and `?` (one character); nothing else is special. */
const pattern = z.string().min(1).max(limits.url)

export const condition = z.discriminatedUnion('field', [
  z.strictObject({ field: z.literal('url'), op: z.enum(['equals', 'prefix', 'glob']), value: pattern }),
  z.strictObject({
    field: z.literal('referrer'),
    op: z.enum(['equals', 'prefix', 'glob', 'contains']),
    value: pattern,
  }),
  z.discriminatedUnion('op', [
    z.strictObject({ field: z.enum(utmFields), op: z.literal('equals'), value: utmValue }),
    z.strictObject({ field: z.enum(utmFields), op: z.literal('in'), values: list(utmValue) }),
  ]),
  z.strictObject({ field: z.literal('device'), op: z.literal('in'), values: list(z.enum(devices)) }),
  z.strictObject({ field: z.enum(['os', 'browser']), op: z.literal('in'), values: list(lowerName) }),
  z.strictObject({ field: z.literal('country'), op: z.literal('in'), values: list(countryCode) }),
  z.strictObject({ field: z.literal('region'), op: z.literal('in'), values: list(regionCode) }),
  z.strictObject({ field: z.literal('language'), op: z.literal('in'), values: list(languageCode) }),
  z.strictObject({ field: z.literal('segment'), op: z.literal('in'), values: list(segmentKey) }),
  z.strictObject({
    field: z.literal('visitor'),
    op: z.literal('equals'),
    value: z.enum(['new', 'returning']),
  }),
  z.strictObject({
    field: z.literal('pages_this_session'),
    op: z.enum(['equals', 'gte', 'lte']),
    value: z.number().int().min(0).max(100_000),
  }),
  traitCondition,
])
export type Condition = z.infer<typeof condition>

export type Rule = Condition | { all: Rule[] } | { any: Rule[] } | { not: Rule }

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const levels: z.ZodType<Rule>[] = []
const level = (depth: number) => {
  levels[depth] ??= ruleAt(depth)
  return levels[depth]
}

/**
 * One node of the tree at a given group depth. The node's own keys pick its schema, so a mistake is reported
 * at its real path (`include.all.0.op`) rather than as "matches no option" of a union.
 */
function ruleAt(depth: number): z.ZodType<Rule> {
  const groups = {
    all: z.lazy(() => z.strictObject({ all: list(level(depth + 1)) })),
    any: z.lazy(() => z.strictObject({ any: list(level(depth + 1)) })),
    not: z.lazy(() => z.strictObject({ not: level(depth + 1) })),
  }
  return z.unknown().transform((value, ctx): Rule => {
    const group = isObject(value) ? (['all', 'any', 'not'] as const).find((key) => key in value) : undefined
    if (group && depth > maxRuleDepth) {
      ctx.addIssue({
        code: 'custom',
        message: `rules nest at most ${maxRuleDepth} groups deep`,
        input: value,
      })
      return z.NEVER
    }
    const result = (group ? groups[group] : condition).safeParse(value)
    if (result.success) return result.data as Rule
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: value })
    }
    return z.NEVER
  })
}

export function conditionCount(rule: Rule): number {
  if ('all' in rule) return rule.all.reduce((sum, child) => sum + conditionCount(child), 0)
  if ('any' in rule) return rule.any.reduce((sum, child) => sum + conditionCount(child), 0)
  if ('not' in rule) return conditionCount(rule.not)
  return 1
}

export const rule = level(1).superRefine((tree, ctx) => {
  const count = conditionCount(tree)
  if (count > maxRuleConditions) {
    ctx.addIssue({ code: 'custom', message: `at most ${maxRuleConditions} conditions, got ${count}` })
  }
})

/** Who sees a campaign: everyone the include rule matches (everyone if absent) and the exclude rule doesn't. */
export const targeting = z.strictObject({ include: rule.optional(), exclude: rule.optional() })
export type Targeting = z.infer<typeof targeting>
