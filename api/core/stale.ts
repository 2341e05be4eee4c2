/**
 * How long a request waits for a fresh copy of something it already holds an older copy of: a database that
 * hangs (restarting, unreachable) delays one request by this much, not every request until it answers.
 */
export const staleAfterMs = 300

/** `fresh`'s value if it comes within `staleAfterMs`, else `stale` (the load goes on and lands when it lands). */
export function freshOrStale<T>(fresh: Promise<T>, stale: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(stale), staleAfterMs)
  })
  return Promise.race([fresh, late]).finally(() => clearTimeout(timer))
}
