import { describe, expect, it } from 'vitest'
import { createIdentity, identityKey, sessionIdleMs } from './identity'

/** A Storage that counts its reads and writes. */
function countingStorage() {
  const data = new Map<string, string>()
  const counts = { reads: 0, writes: 0 }
  const storage = {
    getItem: (key: string) => {
      counts.reads++
      return data.get(key) ?? null
    },
    setItem: (key: string, value: string) => {
      counts.writes++
      data.set(key, value)
    },
    removeItem: (key: string) => void data.delete(key),
  } as unknown as Storage
  return { storage, data, counts }
}

describe('the identity', () => {
  it('touches storage once for a burst of events, and again when an id changes or seconds pass', () => {
    const { storage, data, counts } = countingStorage()
    let time = 1_000_000
    const identity = createIdentity({ storage: () => storage, canStore: () => true, now: () => time })
    const first = identity.ids()
    for (let i = 0; i < 20; i++) {
      time += 10
      expect(identity.ids()).toEqual(first)
    }
    expect(counts).toEqual({ reads: 1, writes: 1 })
    expect(JSON.parse(data.get(identityKey)!)).toMatchObject({ a: first.anonymousId, s: first.sessionId })
    // Five seconds on, the activity is written again (another tab's session looked for first).
    time += 5_000
    identity.ids()
    expect(counts).toEqual({ reads: 2, writes: 2 })
    // A new session is written at once.
    time += sessionIdleMs + 1
    const next = identity.ids()
    expect(next.sessionId).not.toBe(first.sessionId)
    expect(JSON.parse(data.get(identityKey)!).s).toBe(next.sessionId)
    identity.identify('user-7')
    expect(JSON.parse(data.get(identityKey)!).u).toBe('user-7')
  })

  it('adopts another tab’s more recent session, with its pages, within five seconds', () => {
    const { storage, data } = countingStorage()
    let time = 1_000_000
    const tab = createIdentity({ storage: () => storage, canStore: () => true, now: () => time })
    const mine = tab.ids()
    tab.viewed()
    expect(tab.pages()).toBe(1)
    data.set(
      identityKey,
      JSON.stringify({ a: mine.anonymousId, s: 'other-tab-session', t: time + 4_500, p: 6 }),
    )
    time += 4_000
    expect(tab.ids().sessionId).toBe(mine.sessionId)
    time += 1_001
    expect(tab.ids().sessionId).toBe('other-tab-session')
    expect(tab.pages()).toBe(6)
    tab.viewed()
    expect(JSON.parse(data.get(identityKey)!)).toMatchObject({ s: 'other-tab-session', p: 7 })
  })

  it('counts the session’s pages across page loads, from zero in a new session, in memory without consent', () => {
    const { storage, data } = countingStorage()
    let time = 1_000_000
    const open = (canStore = true) => {
      const identity = createIdentity({ storage: () => storage, canStore: () => canStore, now: () => time })
      identity.load()
      return identity
    }
    const first = open()
    first.viewed()
    first.viewed()
    time += 60_000
    const next = open()
    next.viewed()
    expect(next.pages()).toBe(3)
    expect(JSON.parse(data.get(identityKey)!).p).toBe(3)
    time += sessionIdleMs + 1
    next.viewed()
    expect(next.pages()).toBe(1)
    const refused = open(false)
    refused.viewed()
    refused.viewed()
    expect(refused.pages()).toBe(2)
    expect(JSON.parse(data.get(identityKey)!).p).toBe(1)
  })
})
