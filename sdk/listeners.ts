/** What `Promo.on` can listen to. */
export const listenerNames = [
  'render',
  'impression',
  'viewable',
  'click',
  'close',
  'submit',
  'conversion',
  'error',
] as const
export type ListenerName = (typeof listenerNames)[number]
export type Listener = (payload: unknown) => void

export interface Listeners {
  on(name: ListenerName, listener: Listener): void
  off(name: ListenerName, listener: Listener): void
  emit(name: ListenerName, payload: unknown): void
  /** Hands an error to the `error` listeners (and the console, once): the host page never sees it thrown. */
  report(error: unknown): void
  /** The function, made unable to throw or reject into its caller. */
  guard<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R | undefined
}

export function createListeners(): Listeners {
  const byName = new Map<string, Set<Listener>>()
  let warned = false

  function emit(name: ListenerName, payload: unknown) {
    for (const listener of [...(byName.get(name) ?? [])]) {
      try {
        listener(payload)
      } catch (error) {
        if (name === 'error') warn(error)
        else report(error)
      }
    }
  }
  function warn(error: unknown) {
    if (warned) return
    warned = true
    console.warn('[promo]', error)
  }
  function report(error: unknown) {
    warn(error)
    emit('error', error)
  }

  return {
    on(name, listener) {
      if (typeof listener !== 'function') return
      const set = byName.get(name) ?? new Set()
      byName.set(name, set.add(listener))
    },
    off(name, listener) {
      byName.get(name)?.delete(listener)
    },
    emit,
    report,
    guard(fn) {
      return (...args) => {
        try {
          const result = fn(...args)
          if (result instanceof Promise) result.catch(report)
          return result
        } catch (error) {
          report(error)
          return undefined
        }
      }
    },
  }
}
