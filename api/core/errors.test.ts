import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { issuesOf, validationError } from './errors'

describe('issuesOf', () => {
  const body = z.strictObject({
    name: z.string(),
    consent: z.strictObject({ granted: z.boolean() }).optional(),
  })

  it('reports a field that fails at its own path, under the prefix', () => {
    const parsed = body.safeParse({ name: 5 })
    expect(issuesOf(parsed.error!, ['config'])).toEqual([
      { path: 'config.name', message: expect.any(String) },
    ])
  })

  it('reports each unknown key at its own path, not at its parent', () => {
    const parsed = body.safeParse({ name: 'x', bogus: 1, consent: { granted: true, more: 1, other: 2 } })
    expect(
      issuesOf(parsed.error!)
        .map((issue) => issue.path)
        .sort(),
    ).toEqual(['bogus', 'consent.more', 'consent.other'])
    const unknown = body.safeParse({ name: 'x', bogus: 1 })
    expect(validationError(unknown.error!).message).toBe('bogus: unknown field')
  })
})
