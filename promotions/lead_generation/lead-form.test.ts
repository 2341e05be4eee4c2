import { describe, expect, it } from 'vitest'
import { leadGenerationConfig } from './config'
import { checkLeadFields } from './lead-form'
import { matchPatternLinear } from './lead-pattern'

const config = leadGenerationConfig.parse({
  fields: [
    { name: 'email', type: 'email', label: 'Email', required: true },
    { name: 'name', type: 'text', label: 'Name', minLength: 2, maxLength: 40 },
    { name: 'phone', type: 'phone', label: 'Phone', step: 1 },
    {
      name: 'size',
      type: 'select',
      label: 'Company size',
      options: [
        { value: '1-10', label: 'Small' },
        { value: '11+', label: 'Large' },
      ],
      step: 1,
    },
    { name: 'code', type: 'text', label: 'Code', pattern: '^[A-Z]{3}-\\d{2}$' },
    { name: 'terms', type: 'consent', label: 'I agree to be contacted', required: true },
  ],
})

describe('one lead form schema for browser and server', () => {
  it('accepts a valid submit, trimming values and lowering the email', () => {
    const result = checkLeadFields(config.fields, {
      email: '  Ada@Example.COM ',
      name: 'Ada',
      phone: '+44 (20) 7946-0958',
      size: '11+',
      code: 'ABC-12',
      terms: true,
    })
    expect(result).toEqual({
      ok: true,
      values: {
        email: 'ada@example.com',
        name: 'Ada',
        phone: '+44 (20) 7946-0958',
        size: '11+',
        code: 'ABC-12',
        terms: true,
      },
    })
  })

  it('names every failing field', () => {
    const result = checkLeadFields(
      config.fields,
      {
        email: 'not-an-email',
        name: 'A',
        phone: '12',
        size: 'huge',
        code: 'abc',
        terms: false,
        extra: 'x',
      },
      { matchPattern: matchPatternLinear },
    )
    expect(result.ok).toBe(false)
    const paths = (result as { errors: { path: string }[] }).errors.map((e) => e.path).sort()
    expect(paths).toEqual(['code', 'email', 'extra', 'name', 'phone', 'size', 'terms'])
  })

  it('lets optional fields be empty but not wrong, and checks a step at a time', () => {
    expect(checkLeadFields(config.fields, { email: 'a@b.co', name: '', terms: true }).ok).toBe(true)
    // Step 0 only: the phone on step 1 is not checked yet, nor allowed.
    expect(checkLeadFields(config.fields, { email: 'a@b.co', terms: true }, { throughStep: 0 }).ok).toBe(true)
    expect(
      checkLeadFields(
        config.fields,
        { email: 'a@b.co', terms: true, phone: '+1 555 0100' },
        { throughStep: 0 },
      ).ok,
    ).toBe(false)
    expect(checkLeadFields(config.fields, { email: '', terms: true }).ok).toBe(false)
  })

  it('refuses, when saved, a pattern RE2 cannot run (backreferences, lookaround)', () => {
    for (const pattern of ['^(a)\\1$', '^(?!x)', '(?<=a)b']) {
      const bad = leadGenerationConfig.safeParse({
        fields: [{ name: 'email', type: 'email', label: 'Email', required: true, pattern }],
      })
      expect(bad.success, pattern).toBe(false)
      expect(bad.error!.issues[0]!.path).toEqual(['fields', 0, 'pattern'])
    }
    // Nested repetition is fine: RE2 matches it in linear time.
    const nested = { name: 'email', type: 'email', label: 'Email', required: true, pattern: '^(a+)+$' }
    expect(leadGenerationConfig.safeParse({ fields: [nested] }).success).toBe(true)
  })

  it('matches patterns only with the engine it is handed, and only over values within the field’s length', () => {
    const seen: string[] = []
    const matchPattern = (pattern: string, value: string) => {
      seen.push(value)
      return matchPatternLinear(pattern, value)
    }
    const values = { email: 'a@b.co', terms: true }
    // The browser hands none: the API decides.
    expect(checkLeadFields(config.fields, { ...values, code: 'abc' }).ok).toBe(true)
    expect(checkLeadFields(config.fields, { ...values, code: 'ABC-12' }, { matchPattern }).ok).toBe(true)
    const long = checkLeadFields(config.fields, { ...values, code: 'A'.repeat(201) }, { matchPattern })
    expect(long).toEqual({ ok: false, errors: [{ path: 'code', message: 'at most 200 characters' }] })
    expect(seen).toEqual(['ABC-12'])
  })
})
