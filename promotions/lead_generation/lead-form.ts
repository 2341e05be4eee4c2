import * as z from 'zod/mini'
import type { LeadField } from './config'

/**
 * The one validation of a lead form's values, run by the form in the browser (before it submits, step by step)
 * and by `POST /api/v1/leads` (which trusts nothing the browser did). Built from the campaign's field config.
 * zod/mini keeps the browser's form chunk small; the server uses the same schema object.
 */

/**
 * Whether a value matches a field's `pattern`, anywhere in it (as `RegExp.prototype.test`). The API passes RE2's
 * linear-time engine (lead-pattern.ts); the browser passes none and leaves patterns to the API, so one
 * engine decides what a pattern means and a visitor's tab never runs a backtracking one.
 */
export type PatternTest = (pattern: string, value: string) => boolean

export interface LeadCheckOptions {
  /** While a multi-step form is being filled: check the fields of the steps up to this one only. */
  throughStep?: number
  /** How `pattern`s are matched; without it they are not checked here. */
  matchPattern?: PatternTest
}

/** 6 to 20 digits, with the spaces, dots, dashes, parentheses and leading + people type. */
const phoneShape = /^\+?[0-9 ().-]{6,30}$/
const digitCount = (value: string) => value.replace(/[^0-9]/g, '').length

/** Trimmed; an email in lower case, as leads are deduplicated by it. */
export function normaliseValue(field: LeadField, value: unknown): unknown {
  if (typeof value !== 'string') return value
  const trimmed = value.trim()
  return field.type === 'email' ? trimmed.toLowerCase() : trimmed
}

function textSchema(
  field: Extract<LeadField, { type: 'text' | 'email' | 'phone' }>,
  matchPattern: PatternTest | undefined,
) {
  const checks: z.core.$ZodCheck<string>[] = [
    z.maxLength(field.maxLength, `at most ${field.maxLength} characters`),
  ]
  if (field.required) checks.push(z.minLength(Math.max(1, field.minLength), 'required'))
  else if (field.minLength > 0)
    checks.push(z.minLength(field.minLength, `at least ${field.minLength} characters`))
  if (field.type === 'email') checks.push(z.email('must be an email address'))
  if (field.type === 'phone') {
    checks.push(z.regex(phoneShape, 'must be a phone number'))
    checks.push(
      z.refine(
        (value: string) => digitCount(value) >= 6 && digitCount(value) <= 20,
        'must be a phone number',
      ),
    )
  }
  const { pattern, maxLength } = field
  // Matched only within the field's length, so the work is bounded by it (a longer value is refused above).
  if (pattern && matchPattern)
    checks.push(
      z.refine(
        (value: string) => value.length > maxLength || matchPattern(pattern, value),
        'does not match the expected format',
      ),
    )
  const schema = z.string().check(...checks)
  // An optional field may be left empty; what is typed must still be valid.
  return field.required ? schema : z.optional(z.union([z.literal(''), schema]))
}

function fieldSchema(field: LeadField, matchPattern: PatternTest | undefined) {
  switch (field.type) {
    case 'text':
    case 'email':
    case 'phone':
      return textSchema(field, matchPattern)
    case 'select': {
      const values = field.options.map((o) => o.value) as [string, ...string[]]
      const choice = z.enum(values, 'choose one of the options')
      return field.required ? choice : z.optional(z.union([z.literal(''), choice]))
    }
    case 'checkbox':
      return field.required ? z.literal(true, 'required') : z.optional(z.boolean())
    case 'consent':
      // Consent is never assumed: a required consent box must be ticked.
      return field.required ? z.literal(true, 'consent is required') : z.optional(z.boolean())
  }
}

/**
 * The schema of a form's values: one key per field (all steps, or the fields of the steps up to `throughStep`
 * while a multi-step form is being filled), nothing else. Values are normalised first (`normaliseValues`).
 */
export function leadFieldsSchema(
  fields: readonly LeadField[],
  { throughStep = Number.POSITIVE_INFINITY, matchPattern }: LeadCheckOptions = {},
) {
  const shape: Record<string, ReturnType<typeof fieldSchema>> = {}
  for (const field of fields)
    if (field.step <= throughStep) shape[field.name] = fieldSchema(field, matchPattern)
  return z.strictObject(shape)
}

/** Every value trimmed (emails lowered); keys that are not fields are kept so the schema can refuse them. */
export function normaliseValues(fields: readonly LeadField[], values: Record<string, unknown>) {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(values)) {
    const field = fields.find((f) => f.name === key)
    out[key] = field ? normaliseValue(field, value) : value
  }
  return out
}

export type LeadValues = Record<string, string | boolean>

/** Checks a form's values: the normalised values, or each failing field with its message. */
export function checkLeadFields(
  fields: readonly LeadField[],
  values: Record<string, unknown>,
  options?: LeadCheckOptions,
): { ok: true; values: LeadValues } | { ok: false; errors: { path: string; message: string }[] } {
  const result = leadFieldsSchema(fields, options).safeParse(normaliseValues(fields, values))
  if (result.success) {
    const clean: LeadValues = {}
    for (const [key, value] of Object.entries(result.data)) {
      if (value !== undefined && value !== '') clean[key] = value as string | boolean
    }
    return { ok: true, values: clean }
  }
  // One message per field: the first problem found is the one to fix first.
  const errors = new Map<string, string>()
  for (const issue of result.error.issues) {
    const keys = (issue as { keys?: string[] }).keys
    const paths = issue.path.length > 0 ? [issue.path.join('.')] : (keys ?? [''])
    const message = issue.code === 'unrecognized_keys' ? 'not a field of this form' : issue.message
    for (const path of paths) if (!errors.has(path)) errors.set(path, message)
  }
  return { ok: false, errors: [...errors].map(([path, message]) => ({ path, message })) }
}
