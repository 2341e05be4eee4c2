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
 * Who the visitor is: an anonymous id, a session that rolls after 30 idle minutes, a user id once identified,
 * and the pages seen in the session. Kept in memory, and in localStorage only while consent allows it.
 * Storage is touched as little as a page allows (each access costs the page's main thread): this page's
 * activity is written when something changes, else (with a look for another tab's session first) at most every
 * 5 seconds, which a session of 30 minutes does not notice.
 */
export function createIdentity({ storage, canStore, now = Date.now }: IdentityOptions) {
  let anonymousId = ''
  let userId: string | undefined
  let sessionId = ''
  let lastSeen = 0
  let pages = 0
  /** When this page last wrote to storage. */
  let savedAt = 0

  /** What this page or another tab of the site saved last. */
  const read = (): { a?: string; u?: string; s?: string; t?: number; p?: number } => {
    try {
      return (canStore() && JSON.parse(storage().getItem(identityKey)!)) || {}
    } catch {
      return {}
    }
  }
  const save = () => {
    savedAt = now()
    try {
      if (canStore())
        storage().setItem(
          identityKey,
          JSON.stringify({ a: anonymousId, u: userId, s: sessionId, t: lastSeen, p: pages }),
        )
    } catch {
      // Storage full or refused: the ids still live in memory for this page.
    }
  }
  /** Another tab may have been active more recently in the same session, with pages of its own. */
  const adopt = ({ s, t, p = 0 }: ReturnType<typeof read>) => {
    // No time stored: nothing to adopt (undefined is never greater).
    if (s && (t as number) > lastSeen) {
      pages = s === sessionId ? Math.max(pages, p) : p
      sessionId = s
      lastSeen = t as number
    }
  }

  /** The current ids; counts as activity, so it may open a new session. */
  const ids = (): Ids => {
    const time = now()
    // `savedAt` 0: something to write.
    if (time - savedAt > 4999) {
      adopt(read())
      savedAt = 0
    }
    if (!anonymousId) {
      anonymousId = uuid()
      savedAt = 0
    }
    if (!sessionId || time - lastSeen > sessionIdleMs) {
      sessionId = uuid(time)
      pages = 0
      savedAt = 0
    }
    lastSeen = time
    if (!savedAt) save()
    return { anonymousId, sessionId, userId }
  }

  return {
    ids,
    /** A page view: one more page in the session, written at once. */
    viewed() {
      ids()
      pages++
      save()
    },
    /** Pages seen in the session, this one included. */
    pages: () => pages,
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
      const stored = read()
      anonymousId = stored.a || anonymousId
      userId = stored.u || userId
      adopt(stored)
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
