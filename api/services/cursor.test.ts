import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../core/errors'
import { decodeCursor, encodeCursor } from './cursor'

const id = '00000000-0000-4000-8000-000000000001'
const cursorOf = (text: string) => Buffer.from(text, 'utf8').toString('base64url')

describe('decodeCursor', () => {
  it('reads back what encodeCursor wrote', () => {
    const createdAt = new Date('2026-11-29T12:00:00.123Z')
    expect(decodeCursor(encodeCursor({ createdAt, id }))).toEqual({ createdAt, id })
  })

  it.each([
    ['not base64 at all', '%%%'],
    ['no id', cursorOf('2026-11-29T12:00:00.000Z')],
    ['an id that is not a UUID', cursorOf('2026-11-29T12:00:00.000Z|1; drop table leads')],
    ['no time', cursorOf(`|${id}`)],
    // Valid JavaScript dates PostgreSQL cannot compare with: a 500 before, not a 400 at `cursor`.
    ['year 0', cursorOf(`0000-01-01T00:00:00.000Z|${id}`)],
    ['a time before the common era', cursorOf(`-100000-01-01T00:00:00.000Z|${id}`)],
    ['a six-digit year', cursorOf(`+275760-09-13T00:00:00.000Z|${id}`)],
  ])('refuses %s with a 400 at cursor', (_, cursor) => {
    let thrown: unknown
    try {
      decodeCursor(cursor)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ApiError)
    expect((thrown as ApiError).status).toBe(400)
    expect((thrown as ApiError).details).toEqual([{ path: 'cursor', message: 'invalid cursor' }])
  })
})
