import { describe, expect, it } from 'vitest'
import { describeError, jsonLogger, redact } from './log'

const lines = () => {
  const written: string[] = []
  const log = jsonLogger((_level, line) => written.push(line))
  return { log, written, last: () => JSON.parse(written.at(-1)!) as Record<string, unknown> }
}

describe('redact', () => {
  it.each([
    ['key sk_live_AbC123xyz0987654321qwerty', 'key [secret key]'],
    ['site pk_test_AbC123xyz0987654', 'site [publishable key]'],
    ['to Grace.Hopper+news@example.co.uk now', 'to [email] now'],
    ['from 203.0.113.77:5432', 'from [ip]:5432'],
    ['peer ::ffff:10.0.0.1 and 2001:db8::1 and fe80::1%eth0', 'peer [ip] and [ip] and [ip]%eth0'],
    ['session Xk3jS9aQ0pLm2NbV7cRt5YwZ1eFg4HuI6oKd8sTq', 'session [token]'],
  ])('%s', (input, output) => expect(redact(input)).toBe(output))

  it.each([
    'lead 0190a0a0-1234-7abc-8def-0123456789ab stored',
    'trace 4bf92f3577b34da6a3ce929d0e0e4736',
    'at 2026-12-06T20:10:04.123Z, 12:30:00',
    'route /api/v1/campaigns/:type{[a-z_]+}/:id',
    'kv_claim_failed_serving_by_the_failure_policy',
  ])('keeps %s', (input) => expect(redact(input)).toBe(input))
})

describe('jsonLogger', () => {
  it('writes time, level and message first, and redacts every field', () => {
    const { log, last } = lines()
    log.info('signed in', {
      user: { email: 'ada@example.com', note: 'from 198.51.100.4' },
      password: 'hunter2',
      authorization: 'Bearer sk_live_0123456789abcdef0123',
      count: 3,
    })
    const line = last()
    expect(Object.keys(line).slice(0, 3)).toEqual(['time', 'level', 'message'])
    expect(line).toMatchObject({
      level: 'info',
      message: 'signed in',
      user: { email: '[redacted]', note: 'from [ip]' },
      password: '[redacted]',
      authorization: '[redacted]',
      count: 3,
    })
  })

  it('keeps only an error’s class, code and frames, never its message', () => {
    const cause = Object.assign(new Error('duplicate key value (email)=(ada@example.com)'), { code: '23505' })
    class DrizzleQueryError extends Error {}
    const error = new DrizzleQueryError('Failed query: insert …\nparams: ada@example.com,secret', { cause })
    const { log, written, last } = lines()
    log.error('lead not stored', { error })
    expect(written.join('')).not.toContain('ada@example.com')
    expect(written.join('')).not.toContain('Failed query')
    expect(last().error).toMatchObject({ type: 'DrizzleQueryError', code: '23505', cause: 'Error' })
    expect(describeError(error).at).toEqual(expect.arrayContaining([expect.stringMatching(/^at /)]))
    // An error already turned into text keeps what precedes its message.
    log.error('batch', { error: String(error) })
    expect(last().error).toBe('Error')
  })

  it('is quiet at info when asked, never at error', () => {
    const written: string[] = []
    const log = jsonLogger((_level, line) => written.push(line), { quiet: true })
    log.info('request', { status: 200 })
    log.error('broken')
    expect(written).toHaveLength(1)
  })
})
