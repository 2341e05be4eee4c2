import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { utf8Length } from './scripts'

describe('utf8Length', () => {
  it('counts what TextEncoder makes of any UTF-16 text, lone surrogates included', () => {
    const text = fc
      .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 })
      .map((codes) => String.fromCharCode(...codes))
    fc.assert(
      fc.property(text, (value) => {
        expect(utf8Length(value)).toBe(new TextEncoder().encode(value).length)
      }),
      { numRuns: 2000 },
    )
    expect(utf8Length('a🎉é\ud800')).toBe(1 + 4 + 2 + 3)
  })
})
