import { RE2JS } from 're2js'
import type { PatternTest } from '../../schema/lead-form'

/**
 * Lead fields' patterns are the marketer's and the values are anyone's, so they are matched by RE2 (re2js, plain
 * JavaScript on Node and Workers): time linear in the value, whatever the pattern. A backtracking engine
 * (`RegExp`) can take seconds on a short crafted value for patterns no static check spots, like `^(a|a)*$`.
 * Saving a campaign refuses a pattern RE2 cannot compile (lead_generation.ts); should one get here all the same,
 * it matches nothing: the field is refused rather than left unchecked.
 */

/** Compiled patterns, few per site; cleared when full rather than grown without bound. */
const compiled = new Map<string, RE2JS | null>()
const maxCompiled = 500

function compile(pattern: string): RE2JS | null {
  let re = compiled.get(pattern)
  if (re !== undefined) return re
  try {
    re = RE2JS.compile(pattern)
  } catch {
    re = null
  }
  if (compiled.size >= maxCompiled) compiled.clear()
  compiled.set(pattern, re)
  return re
}

export const matchPatternLinear: PatternTest = (pattern, value) => compile(pattern)?.test(value) ?? false
