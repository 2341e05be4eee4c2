import type { Context } from 'hono'
import { describe, expect, it } from 'vitest'
import { clientIp } from './client-ip'

/** Requests as @hono/node-server and Workers hand them to a handler, reduced to what `clientIp` reads. */
const onNode = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({
    env: { incoming: { headers, socket: { remoteAddress } } },
    req: { raw: {}, header: (name: string) => headers[name] },
  }) as unknown as Context
const onWorkers = (headers: Record<string, string> = {}) =>
  ({ env: {}, req: { raw: { cf: {} }, header: (name: string) => headers[name] } }) as unknown as Context

describe('clientIp', () => {
  it("takes the Node socket's peer, ignoring forwarding headers nobody said to trust", () => {
    expect(clientIp(onNode('203.0.113.9'))).toBe('203.0.113.9')
    expect(clientIp(onNode('203.0.113.9', { 'x-forwarded-for': '198.51.100.1' }))).toBe('203.0.113.9')
    expect(clientIp(onNode('127.0.0.1'))).toBe('127.0.0.1')
  })

  it('knows no address behind a local proxy it was not told to trust', () => {
    expect(clientIp(onNode('127.0.0.1', { 'x-forwarded-for': '198.51.100.1' }))).toBeUndefined()
    expect(clientIp(onNode('::ffff:10.0.0.2', { 'x-real-ip': '198.51.100.1' }))).toBeUndefined()
    expect(clientIp(onNode('fd12:3456::1', { forwarded: 'for=198.51.100.1' }))).toBeUndefined()
    expect(clientIp(onNode('172.20.0.5', { 'x-forwarded-for': '198.51.100.1' }))).toBeUndefined()
  })

  it('takes the first address of the trusted header, else falls back', () => {
    const forwarded = { 'x-forwarded-for': ' 198.51.100.4 , 10.0.0.1' }
    expect(clientIp(onNode('10.0.0.1', forwarded), 'x-forwarded-for')).toBe('198.51.100.4')
    expect(clientIp(onNode('10.0.0.1', { 'x-real-ip': '2001:db8::7' }), 'X-Real-IP')).toBe('2001:db8::7')
    expect(clientIp(onNode('203.0.113.9', { 'x-forwarded-for': 'unknown' }), 'x-forwarded-for')).toBe(
      '203.0.113.9',
    )
    expect(clientIp(onNode('203.0.113.9'), 'x-forwarded-for')).toBe('203.0.113.9')
  })

  it("takes Cloudflare's cf-connecting-ip on Workers and nothing a client can set", () => {
    const headers = { 'cf-connecting-ip': '2001:db8::1', 'x-forwarded-for': '198.51.100.1' }
    expect(clientIp(onWorkers(headers))).toBe('2001:db8::1')
    expect(clientIp(onWorkers({ 'x-forwarded-for': '198.51.100.1' }))).toBeUndefined()
  })

  it('refuses anything that is not shaped like an address', () => {
    expect(clientIp(onNode('203.0.113.9', { 'x-real-ip': '<script>' }), 'x-real-ip')).toBe('203.0.113.9')
    expect(clientIp(onNode('10.0.0.1', { 'x-real-ip': '<script>' }), 'x-real-ip')).toBeUndefined()
    expect(clientIp(onWorkers({ 'cf-connecting-ip': 'x'.repeat(100) }))).toBeUndefined()
  })
})
