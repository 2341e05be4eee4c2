import { describe, expect, it } from 'vitest'
import { limits } from './limits'
import { triggerSchema } from './trigger'

const paths = (input: unknown) => {
  const result = triggerSchema.safeParse(input)
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'))
}

describe('trigger', () => {
  it('accepts each kind with its own field', () => {
    for (const trigger of [
      { on: 'load' },
      { on: 'delay', seconds: 5 },
      { on: 'scroll', percent: 100 },
      { on: 'exit' },
      { on: 'inactivity', seconds: 30 },
      { on: 'click', selector: 'a[href$="/pricing"], .buy' },
      { on: 'event', name: 'AddToCart' },
      { on: 'pageCount', atLeast: 3 },
    ])
      expect(triggerSchema.parse(trigger)).toEqual(trigger)
  })

  it('refuses an unknown kind at `on`, and a field of another kind', () => {
    expect(paths({ on: 'hover' })).toEqual(['on'])
    expect(paths({})).toEqual(['on'])
    expect(paths({ on: 'load', seconds: 3 })).toEqual([''])
  })

  it('bounds every number and string', () => {
    expect(paths({ on: 'scroll', percent: 0 })).toEqual(['percent'])
    expect(paths({ on: 'scroll', percent: 101 })).toEqual(['percent'])
    expect(paths({ on: 'scroll', percent: 12.5 })).toEqual(['percent'])
    expect(paths({ on: 'delay', seconds: 3601 })).toEqual(['seconds'])
    expect(paths({ on: 'inactivity', seconds: 0 })).toEqual(['seconds'])
    expect(paths({ on: 'pageCount', atLeast: 0 })).toEqual(['atLeast'])
    expect(paths({ on: 'click', selector: ' ' })).toEqual(['selector'])
    expect(paths({ on: 'click', selector: 'a'.repeat(201) })).toEqual(['selector'])
    expect(paths({ on: 'event', name: 'x'.repeat(limits.eventName + 1) })).toEqual(['name'])
  })

  it('keeps a selector as written, even one the browser would refuse', () => {
    expect(triggerSchema.parse({ on: 'click', selector: 'button[' })).toEqual({
      on: 'click',
      selector: 'button[',
    })
  })
})
