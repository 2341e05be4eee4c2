import { z } from 'zod'
import { httpUrl } from '../../schema/campaign'
import { limits } from '../../schema/limits'
import { triggerSchema } from '../../schema/trigger'
import { compileLeadPattern } from './lead-pattern'
import { defaultLeadTexts } from './texts'

export { defaultLeadTexts }

/** Text is plain: it is rendered as text, so markup is refused rather than shown as tags. */
const isPlain = (value: string) => !/<[a-z!/?]/i.test(value)
const text = (max: number) => z.string().trim().max(max).refine(isPlain, 'must be plain text, not HTML')

/** A field's key in the submitted lead (`fields.email`, `fields.first_name`). */
const fieldName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lowercase letters, digits and _')

/**
 * A field's pattern is matched against visitors' input by RE2 on the API (lead-pattern.ts), in time linear in
 * the input whatever the pattern; the browser leaves it to the API. So a pattern must be one RE2 can run: no
 * backreferences, no lookahead or lookbehind. Refused here, when the campaign is saved, not at a visitor's submit.
 */
const re2Runs = (pattern: string) => compileLeadPattern(pattern) !== null

const common = {
  name: fieldName,
  label: text(limits.shortText).min(1),
  required: z.boolean().default(false),
  /** Multi-step forms: the step (0 first) a field is on; steps show in order. */
  step: z.number().int().min(0).max(9).default(0),
}
const field = z.discriminatedUnion('type', [
  z.strictObject({
    ...common,
    type: z.enum(['text', 'email', 'phone']),
    placeholder: text(limits.shortText).optional(),
    pattern: z
      .string()
      .max(200)
      .refine(re2Runs, 'must be a regular expression RE2 can run (no backreferences or lookaround)')
      .optional(),
    minLength: z.number().int().min(0).max(limits.text).default(0),
    maxLength: z.number().int().min(1).max(limits.text).default(200),
  }),
  z.strictObject({
    ...common,
    type: z.literal('select'),
    options: z
      .array(z.strictObject({ value: text(100).min(1), label: text(limits.shortText).min(1) }))
      .min(1)
      .max(100),
  }),
  /** A consent box's label is the consent text stored with the lead. */
  z.strictObject({ ...common, type: z.enum(['checkbox', 'consent']), checked: z.boolean().default(false) }),
])
export type LeadField = z.infer<typeof field>

/** `filled`: any value; `equals` / `contains`: any of `values`, ignoring case. */
const scoringRule = z
  .strictObject({
    field: fieldName,
    when: z.enum(['filled', 'equals', 'contains']),
    values: z.array(text(100).min(1)).max(50).default([]),
    points: z.number().int().min(-100).max(100),
  })
  .refine((rule) => rule.when === 'filled' || rule.values.length > 0, {
    message: 'needs values',
    path: ['values'],
  })

const threshold = z.number().int().min(1).max(1000)
const grades = z
  .strictObject({ a: threshold, b: threshold, c: threshold })
  .refine((g) => g.a > g.b && g.b > g.c, 'grade thresholds must fall from a to c')

export type LeadTexts = typeof defaultLeadTexts
const leadTexts = z.strictObject({
  next: text(40).min(1).default(defaultLeadTexts.next),
  back: text(40).min(1).default(defaultLeadTexts.back),
  step: text(60).min(1).default(defaultLeadTexts.step),
  choose: text(60).min(1).default(defaultLeadTexts.choose),
  download: text(60).min(1).default(defaultLeadTexts.download),
  privacy: text(60).min(1).default(defaultLeadTexts.privacy),
  retry: text(limits.shortText).min(1).default(defaultLeadTexts.retry),
})

export const leadGenerationConfig = z
  .strictObject({
    fields: z
      .array(field)
      .min(1)
      .max(30)
      .prefault([{ name: 'email', type: 'email', label: 'Email', required: true }]),
    stepTitles: z.array(text(limits.shortText)).max(10).default([]),
    display: z.enum(['inline', 'popup', 'slide_in']).default('inline'),
    /** When a popup or slide-in appears (an inline form shows with its slot): on load, after a delay, on exit… */
    trigger: triggerSchema.default({ on: 'load' }),
    submitButtonText: text(40).min(1).default('Submit'),
    privacyPolicyUrl: httpUrl.optional(),
    successMessage: text(limits.text).min(1).default('Thank you!'),
    redirectUrl: httpUrl.optional(),
    /** A gated offer: its asset is handed out as a signed, expiring download link after submit. */
    offer: z
      .strictObject({
        type: z.enum(['ebook', 'whitepaper', 'webinar', 'trial', 'demo', 'newsletter', 'contact', 'other']),
        title: text(limits.shortText).optional(),
        description: text(limits.text).optional(),
        assetUrl: httpUrl.optional(),
      })
      .optional(),
    texts: leadTexts.prefault({}),
    captcha: z.boolean().default(false),
    /** Cloudflare Turnstile's site key (public, shown to the browser); required with `captcha`. */
    captchaSiteKey: z
      .string()
      .regex(/^[0-9A-Za-z_-]{1,100}$/, 'a Turnstile site key')
      .optional(),
    progressiveProfiling: z.boolean().default(false),
    /** Lead score: the matching rules' points plus pointsPerFilledField each; graded A–D by `grades`. */
    scoring: z
      .strictObject({
        rules: z.array(scoringRule).max(50).default([]),
        pointsPerFilledField: z.number().int().min(0).max(100).default(2),
        grades: grades.default({ a: 80, b: 60, c: 40 }),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const names = config.fields.map((f) => f.name)
    const issue = (message: string, path: (string | number)[]) =>
      ctx.addIssue({ code: 'custom', message, path })
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) issue('duplicate field name', ['fields', i, 'name'])
    })
    if (config.captcha && !config.captchaSiteKey) issue('required when captcha is on', ['captchaSiteKey'])
    if (!config.fields.some((f) => f.name === 'email' && f.type === 'email' && f.required))
      issue('leads are deduplicated by email: add a required email field named email', ['fields'])
    config.fields.forEach((f, i) => {
      if ('maxLength' in f && f.minLength > f.maxLength)
        issue('must not exceed maxLength', ['fields', i, 'minLength'])
    })
    config.scoring.rules.forEach((rule, i) => {
      if (!names.includes(rule.field)) issue(`no field named ${rule.field}`, ['scoring', 'rules', i, 'field'])
    })
  })
export type LeadGenerationConfig = z.infer<typeof leadGenerationConfig>
