import { uuid } from './uuid'

/** A visit ends after this long without activity; the next event opens a new session. */
export const sessionIdleMs = 30 * 60_000

/** Where the ids live, as `{a: anonymousId, u: userId, s: sessionId, t: last activity}`: one write per event. */
export const identityKey = 'promo_id'

export interface Ids {
  anonymousId: string
  sessionId: string
  userId?: string
}

export interface IdentityOptions {
  /** Read lazily: merely touching `localStorage` throws in some sandboxed frames. */
  storage: () => Storage
  /** Whether consent allows keeping ids across page loads. */
  canStore: () => boolean
  now?: () => number
}

/**
 * Who the visitor is: an anonymous id, a session that rolls after 30 idle minutes, and a user id once
 * identified. Kept in memory, and in localStorage only while consent allows it.
 */
export function createIdentity({ storage, canStore, now = Date.now }: IdentityOptions) {
  let anonymousId = ''
  let userId: string | undefined
  let sessionId = ''
  let lastSeen = 0

  /** What this page or another tab of the site saved last. */
  const read = (): { a?: string; u?: string; s?: string; t?: number } => {
    try {
      return (canStore() && JSON.parse(storage().getItem(identityKey)!)) || {}
    } catch {
      return {}
    }
  }
  const save = () => {
    try {
      if (canStore())
        storage().setItem(
          identityKey,
          JSON.stringify({ a: anonymousId, u: userId, s: sessionId, t: lastSeen }),
        )
    } catch {
      // Storage full or refused: the ids still live in memory for this page.
    }
  }
  /** Another tab may have been active more recently in the same session. */
  const adoptStoredSession = () => {
    const { s, t = 0 } = read()
    if (s && t > lastSeen) {
      sessionId = s
      lastSeen = t
    }
  }

  return {
    /** The current ids; counts as activity, so it may open a new session. */
    ids(): Ids {
      anonymousId ||= uuid()
      adoptStoredSession()
      const time = now()
      if (!sessionId || time - lastSeen > sessionIdleMs) sessionId = uuid(time)
      lastSeen = time
      save()
      return { anonymousId, sessionId, userId }
    },
    identify(id: string) {
      userId = id
      save()
    },
    /** Logout: a new anonymous visitor with a new session. */
    reset() {
      anonymousId = uuid()
      userId = undefined
      sessionId = ''
      save()
    },
    /** Consent now allows storage: ids kept from an earlier visit win over this page's temporary ones. */
    load() {
      const { a, u } = read()
      anonymousId = a || anonymousId
      userId = u || userId
      adoptStoredSession()
      if (anonymousId) save()
    },
    /** Consent to storage was withdrawn. */
    forget() {
      try {
        storage().removeItem(identityKey)
      } catch {
        // Nothing stored, or nothing to remove it from.
      }
    },
  }
}
export type Identity = ReturnType<typeof createIdentity>
