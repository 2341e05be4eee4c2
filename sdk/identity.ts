import { uuid } from './uuid'

/** A visit ends after this long without activity; the next event opens a new session. */
export const sessionIdleMs = 30 * 60_000

export const storageKeys = { anonymousId: 'promo_aid', session: 'promo_sid', userId: 'promo_uid' } as const

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

  const read = (key: string) => {
    try {
      return canStore() ? storage().getItem(key) : null
    } catch {
      return null
    }
  }
  const write = (key: string, value: string | undefined) => {
    try {
      if (!canStore()) return
      if (value) storage().setItem(key, value)
      else storage().removeItem(key)
    } catch {
      // Storage full or refused: the ids still live in memory for this page.
    }
  }
  /** Another tab may have been active more recently in the same session. */
  const adoptStoredSession = () => {
    const [id, seen] = (read(storageKeys.session) ?? '').split(' ')
    if (id && Number(seen) > lastSeen) {
      sessionId = id
      lastSeen = Number(seen)
    }
  }
  const save = () => {
    write(storageKeys.anonymousId, anonymousId)
    write(storageKeys.userId, userId)
    write(storageKeys.session, sessionId && `${sessionId} ${lastSeen}`)
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
      return userId ? { anonymousId, sessionId, userId } : { anonymousId, sessionId }
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
      anonymousId = read(storageKeys.anonymousId) || anonymousId
      userId = read(storageKeys.userId) || userId
      adoptStoredSession()
      if (anonymousId) save()
    },
    /** Consent to storage was withdrawn. */
    forget() {
      try {
        for (const key of Object.values(storageKeys)) storage().removeItem(key)
      } catch {
        // Nothing stored, or nothing to remove it from.
      }
    },
  }
}
export type Identity = ReturnType<typeof createIdentity>
