import { RE2JS } from 're2js'

/**
 * What a lead field's `pattern` means. The pattern is the marketer's and the values are anyone's, so patterns
 * run on RE2 (re2js, plain JavaScript on Node and Workers): time linear in the value, whatever the pattern. A
 * backtracking engine (`RegExp`) can take seconds on a short crafted value for patterns no static check spots,
 * like `^(a|a)*$`. RE2 has no backreferences and no lookaround: such a pattern does not compile, and is refused
 * when the campaign is saved (lead_generation.ts). Only the API matches patterns (the browser's form leaves them
 * to it), so this module stays out of the SDK's bundles.
 */

/** Compiled patterns, few per site; cleared when full rather than grown without bound. */
const compiled = new Map<string, RE2JS | null>()
const maxCompiled = 500

/** The pattern compiled by RE2, or null when RE2 cannot run it. */
export function compileLeadPattern(pattern: string): RE2JS | null {
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

/**
 * Whether the value matches anywhere in it, as `RegExp.prototype.test` would. A pattern RE2 cannot run matches
 * nothing: should one get past the save, its field is refused rather than left unchecked.
 */
export const matchPatternLinear = (pattern: string, value: string): boolean =>
  compileLeadPattern(pattern)?.test(value) ?? false
