import type { LeadField, LeadGenerationConfig } from '../config'
import type { LeadValues } from '../lead-form'

export type Grade = 'A' | 'B' | 'C' | 'D'
export type Scoring = LeadGenerationConfig['scoring']
type Rule = Scoring['rules'][number]

const isFilled = (value: string | boolean | undefined) =>
  value === true || (typeof value === 'string' && value.trim() !== '')

function matches(rule: Rule, value: string | boolean | undefined): boolean {
  if (!isFilled(value)) return false
  if (rule.when === 'filled') return true
  const text = String(value).toLowerCase()
  return rule.values.some((wanted) => {
    const needle = wanted.toLowerCase()
    return rule.when === 'equals' ? text === needle : text.includes(needle)
  })
}

/**
 * How many values tell something about the person: every lead has an email, and ticking a consent box says
 * nothing about fit, so neither counts (the blueprint's "complete profile" counts name, company, title, phone).
 */
function filledCount(values: LeadValues, fields: readonly LeadField[]): number {
  const consent = new Set(fields.filter((f) => f.type === 'consent').map((f) => f.name))
  return Object.entries(values).filter(
    ([name, value]) => name !== 'email' && !consent.has(name) && isFilled(value),
  ).length
}

export function gradeOf(score: number, grades: Scoring['grades']): Grade {
  if (score >= grades.a) return 'A'
  if (score >= grades.b) return 'B'
  if (score >= grades.c) return 'C'
  return 'D'
}

/**
 * A lead's score, 0–100: the points of every rule its values match, plus `pointsPerFilledField` for each filled
 * value, clamped; and its grade by the campaign's thresholds. Rules compare ignoring case.
 */
export function scoreLead(
  values: LeadValues,
  fields: readonly LeadField[],
  scoring: Scoring,
): { score: number; grade: Grade } {
  const rulePoints = scoring.rules.reduce(
    (sum, rule) => sum + (matches(rule, values[rule.field]) ? rule.points : 0),
    0,
  )
  const raw = rulePoints + scoring.pointsPerFilledField * filledCount(values, fields)
  const score = Math.min(100, Math.max(0, Math.round(raw)))
  return { score, grade: gradeOf(score, scoring.grades) }
}
